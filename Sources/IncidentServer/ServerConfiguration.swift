/// How `incidents serve` listens and what it accepts: the address, TLS, and the limits every
/// request is held to (docs/server.md, "Limits").
public struct ServerConfiguration: Sendable {
    /// The host name or address to listen on; loopback by default, so nothing is exposed by accident.
    public var host = "127.0.0.1"
    /// The port; 0 picks a free one (the tests use that), reported through `onListening`.
    public var port = 8080
    /// PEM files of the certificate chain and private key, for HTTPS; plain HTTP when nil.
    public var tls: (certificate: String, key: String)?
    /// The largest request body, in bytes (413 beyond).
    public var maximumBodyBytes = 1 << 20
    /// The most events one `POST /v1/events` may carry (413 beyond).
    public var maximumBatchEvents = 1000
    /// The largest header block, in bytes.
    public var maximumHeaderBytes = 16 << 10
    /// A connection idle this long, in seconds, is closed; a client that stops sending mid-request too.
    public var idleTimeoutSeconds: Int64 = 30
    /// Requests one token may make per second on average (bursts of twice as many pass); beyond it, 429
    /// with `Retry-After`. 0: no limit.
    public var requestsPerSecondPerToken = 5000
    /// Live tails send a comment this often, in seconds, so proxies keep them open and dead clients are found.
    public var heartbeatSeconds: Int64 = 15
    /// A live tail that asks for due items (`?due=true`) judges the due list again this often, in seconds.
    public var dueCheckSeconds: Int64 = 1

    public init() {}
}
