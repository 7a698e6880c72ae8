public import Logging

/// Runs `notify` jobs for `trawl worker` and `trawl serve --worker`: finds the job's receiver in its
/// profile as loaded now, reads the secret from the variable `secret_env` names, and delivers.
///
/// The secret is read here, at delivery, and nowhere else: it is never in a job's arguments, a
/// log line, an error or a problem. Errors name the receiver by its URL without credentials.
public struct NotifyJobRunner: Sendable {
    /// A loaded profile by key.
    public var profile: @Sendable (String) -> Profile?
    /// An environment (or `.env`) variable by name.
    public var environment: @Sendable (String) -> String?
    public var http: HTTPFetcher.Configuration
    public var logger: Logger

    public init(
        profile: @escaping @Sendable (String) -> Profile?, environment: @escaping @Sendable (String) -> String?,
        http: HTTPFetcher.Configuration = WebhookDelivery.httpConfiguration(), logger: Logger
    ) {
        self.profile = profile
        self.environment = environment
        self.http = http
        self.logger = logger
    }

    public func run(_ job: ClaimedJob) async throws {
        let notify: NotifyJob
        do { notify = try NotifyJob.decode(job.arguments) } catch {
            throw PermanentJobError("notify job \(job.id) has arguments that are not a notify event")
        }
        let payload = notify.payload
        guard let key = job.profile, let profile = profile(key) else {
            throw PermanentJobError("notify job \(job.id) names profile '\(job.profile ?? "")', which is not loaded")
        }
        // A receiver removed from the profile (or one no longer wanting this event) is not told:
        // the profile as it is now is what the operator wants.
        guard let target = profile.notify.first(where: { $0.receiver == notify.receiver }) else {
            throw PermanentJobError("profile '\(key)' no longer lists the notify receiver \(notify.receiver); event \(payload.id) not delivered")
        }
        guard target.wants(payload.event) else {
            logger.info("notify receiver no longer wants this event; skipped", metadata: ["event": "\(payload.id)", "receiver": "\(notify.receiver)"])
            return
        }
        // Retried rather than dead-lettered: setting the variable and restarting the worker within
        // the retry window still delivers the event.
        guard let secret = environment(target.secretEnv).map(Secret.init) else {
            throw NotifySecretMissing(variable: target.secretEnv, profile: key)
        }
        let fetcher = HTTPFetcher(configuration: http, logger: logger)
        do {
            try await WebhookDelivery(http: fetcher, timeout: http.requestTimeout)
                .deliver(payload, to: notify.receiver, secret: secret, authorization: target.authorization)
        } catch {
            try? await fetcher.shutdown()
            throw error
        }
        try await fetcher.shutdown()
        logger.info("webhook delivered", metadata: [
            "event": "\(payload.id)", "kind": "\(payload.event.rawValue)", "package": "\(payload.package)", "receiver": "\(notify.receiver)",
            "attempt": "\(job.attempts)",
        ])
    }
}

/// The variable a receiver's `secret_env` names is not set where the worker runs.
public struct NotifySecretMissing: Error, Sendable, CustomStringConvertible {
    public var variable: String
    public var profile: String

    public var description: String {
        "the notify secret variable \(variable) (profile '\(profile)') is not set in the worker's environment; the delivery is retried"
    }
}
