
/// POSTs one signed event to one receiver, once: a 2xx is delivered; any other status, a timeout or
/// a connection error throws, and the job queue retries with its backoff (so the HTTP layer's own
/// retries are off here: one attempt per job, every attempt visible in the queue).
public struct WebhookDelivery: Sendable {
    public let http: HTTPFetcher
    public var timeout: Duration

    public init(http: HTTPFetcher, timeout: Duration = WebhookDelivery.defaultTimeout) {
        self.http = http
        self.timeout = timeout
    }

    public static let defaultTimeout: Duration = .seconds(10)

    /// The HTTP settings of a delivery: one attempt, a short deadline, no credentials of other
    /// upstreams (a receiver never gets a mirror's or GitHub's `Authorization`).
    public static func httpConfiguration(timeout: Duration = defaultTimeout) -> HTTPFetcher.Configuration {
        HTTPFetcher.Configuration(
            retry: RetryPolicy(maxAttempts: 1), requestTimeout: timeout, connectTimeout: min(timeout, .seconds(5)))
    }

    /// Sends `payload` to `receiver` (a URL without credentials), signed with `secret`; `authorization`
    /// carries credentials the profile wrote into the receiver URL.
    public func deliver(_ payload: WebhookPayload, to receiver: String, secret: Secret, authorization: Secret? = nil) async throws {
        let body = try payload.encoded()
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("X-Trawl-Event", payload.event.rawValue),
            ("X-Trawl-Event-Id", payload.id),
            (WebhookSignature.header, WebhookSignature.sign(body, secret: secret)),
        ]
        if let authorization { headers.append(("Authorization", authorization.value)) }
        let request = FetchRequest(
            receiver, method: .POST, upstream: .webhook, headers: headers, body: body, timeout: timeout, followRedirects: false)
        let response = try await http.fetch(request)
        guard response.isSuccess else {
            throw WebhookDeliveryError(receiver: receiver, status: response.status)
        }
    }
}

/// A receiver answered, but not with a 2xx.
public struct WebhookDeliveryError: Error, Sendable, CustomStringConvertible {
    public var receiver: String
    public var status: Int

    public var description: String { "\(URLCredentials.redacted(receiver)): HTTP \(status); the delivery is retried" }
}
