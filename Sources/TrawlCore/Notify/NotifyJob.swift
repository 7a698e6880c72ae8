import Foundation

/// A `notify` job: one event for one receiver. Its stored arguments are the body to send and the
/// receiver's URL without credentials — never a secret: the HMAC secret is looked up at delivery
/// from the variable the profile's `secret_env` names, and URL credentials from the profile.
public struct NotifyJob: Codable, Sendable, Equatable {
    /// `NotifyTarget.receiver`: the URL without credentials, matched against the profile at delivery.
    public var receiver: String
    public var payload: WebhookPayload

    public init(receiver: String, payload: WebhookPayload) {
        self.receiver = receiver
        self.payload = payload
    }

    /// Attempts before a delivery is dead-lettered: with the worker's backoff (30 s doubling, capped
    /// at an hour by default) eight attempts span about an hour of receiver outage.
    public static let maxAttempts = 8

    /// One job per (event, receiver that wants it); none when the profile has no `notify:`.
    public static func jobs(for events: [PackageEvent], profile: Profile, collection: String, now: Int64) throws -> [NewJob] {
        guard !profile.notify.isEmpty else { return [] }
        var jobs: [NewJob] = []
        for event in events {
            for target in profile.notify where target.wants(event.kind) {
                let receiver = target.receiver
                let id = WebhookEventID.make(
                    collection: collection, kind: event.kind, package: event.normalizedName, version: event.version, receiver: receiver)
                let payload = WebhookPayload(
                    id: id, event: event.kind, collection: collection, profile: profile.key, package: event.name, version: event.version,
                    previousVersion: event.kind == .release ? event.previousVersion : nil,
                    url: WebhookPayload.pagePath(package: event.normalizedName, collection: collection), occurredAt: now)
                let arguments = String(decoding: try Self.encoder.encode(NotifyJob(receiver: receiver, payload: payload)), as: UTF8.self)
                // The event id as the unique key: the same change detected twice is queued once.
                jobs.append(NewJob(kind: JobKind.notify, profile: profile.key, arguments: arguments, uniqueKey: "notify:\(id)", maxAttempts: maxAttempts))
            }
        }
        return jobs
    }

    public static func decode(_ arguments: String) throws -> NotifyJob {
        try JSONDecoder().decode(NotifyJob.self, from: Data(arguments.utf8))
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
