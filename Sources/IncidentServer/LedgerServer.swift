public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import IncidentService
public import Logging
import NIOCore
#if canImport(Glibc)
import Glibc
#endif
import NIOSSL
import Synchronization
import UnixSignals

/// `incidents serve`: the ledger as an HTTP service, a thin adapter over ``LedgerService`` like the
/// CLI. Every route parses its request, checks the caller's token and role, calls one use case and
/// presents the answer; every refusal is an RFC 9457 problem with the CLI's sentence (docs/server.md).
public struct LedgerServer: Sendable {
    public let service: LedgerService
    public let configuration: ServerConfiguration
    public let logger: Logger

    public init(service: LedgerService, configuration: ServerConfiguration = ServerConfiguration(), logger: Logger) {
        self.service = service
        self.configuration = configuration
        self.logger = logger
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully: stops accepting, lets the requests in
    /// flight (appends among them) finish, ends live tails, and returns; the store closes after.
    ///
    /// - Parameter onListening: called with the port once the server listens (the port chosen, for 0).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = try application(onListening: onListening)
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES || error.errnoCode == EADDRNOTAVAIL {
            let address = "\(configuration.host):\(configuration.port)"
            let reason =
                switch error.errnoCode {
                case EADDRINUSE: "the address is in use — stop what listens there, or give another --listen"
                case EACCES: "permission denied (ports below 1024 need privileges) — give a port above 1023, or serve behind a proxy"
                default: "no interface of this machine has that address — give one of its own addresses, or 127.0.0.1"
                }
            throw ServiceFailure(.unavailable, "cannot listen on \(address): \(reason)")
        }
    }

    /// The application, to run as a service of one's own service group (the tests do).
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let shutdown = ShutdownState()
        let router = router(shutdown: shutdown)
        var http = HTTP1Channel.Configuration(idleTimeout: .seconds(configuration.idleTimeoutSeconds))
        http.httpDecoder = .init(maxHeaderFieldSize: configuration.maximumHeaderBytes, maxHeaderListSize: configuration.maximumHeaderBytes, maxHeaderFieldCount: 100)
        var server = HTTPServerBuilder.http1(configuration: http)
        if let tls = configuration.tls {
            let certificates: [NIOSSLCertificateSource]
            let key: NIOSSLPrivateKey
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(tls.certificate).map { NIOSSLCertificateSource.certificate($0) }
                guard !certificates.isEmpty else { throw ServiceFailure(.invalidInput, "no certificate in it") }
            } catch {
                throw ServiceFailure(.invalidInput, "\(tls.certificate) is not a PEM certificate chain (\(error)) — give the server's certificate, then its chain, in PEM")
            }
            do {
                key = try NIOSSLPrivateKey(file: tls.key, format: .pem)
            } catch {
                throw ServiceFailure(.invalidInput, "\(tls.key) is not a PEM private key (\(error)) — give the certificate's unencrypted private key in PEM")
            }
            server = try .tls(server, tlsConfiguration: .makeServerConfiguration(certificateChain: certificates, privateKey: .privateKey(key)))
        }
        return Application(
            router: router, server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "incidents"),
            services: [shutdown],
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Every route of the API the server answers, as `METHOD /path/{parameter}`: what
    /// Schemas/openapi.json must describe. The web pages' routes are apart (``pageRoutes``).
    public var routes: [String] {
        let pages = Set(pageRoutes)
        return router(shutdown: ShutdownState()).routes.map { "\($0.method) \($0.path)" }.filter { !pages.contains($0) }
    }

    /// Every route of the web pages, as ``routes`` gives the API's: what docs/web.md must describe.
    public var pageRoutes: [String] {
        let router = Router(context: ServerContext.self)
        addPages(
            to: router, sessions: WebSessions(), metrics: ServerMetrics(ledger: service.ledger),
            rateLimit: RateLimit(requestsPerSecond: configuration.requestsPerSecondPerToken))
        return router.routes.map { "\($0.method) \($0.path)" }
    }

    /// The router: every route group on its path, behind the middleware each needs.
    func router(shutdown: ShutdownState) -> Router<ServerContext> {
        let metrics = ServerMetrics(ledger: service.ledger)
        let router = Router(context: ServerContext.self)
        router.add(middleware: SecurityHeaders())
        router.add(middleware: RequestLogMiddleware(metrics: metrics, shutdown: shutdown))
        router.add(middleware: ProblemMiddleware())
        let open = OpenRoutes(service: service, metrics: metrics, shutdown: shutdown)
        open.addHealth(to: router)
        let recording = RecordingRoutes(service: service, configuration: configuration, metrics: metrics)
        // Webhook deliveries authenticate by their signature, not a bearer token.
        WebhookRoutes(service: service, configuration: configuration, recording: recording).add(to: router)
        let rateLimit = RateLimit(requestsPerSecond: configuration.requestsPerSecondPerToken)

        let sessions = WebSessions()
        addPages(to: router, sessions: sessions, metrics: metrics, rateLimit: rateLimit)

        // The API: a bearer token, or for reading only, a page's session.
        let guarded = router.group().add(middleware: BearerAuthentication(service: service, sessions: sessions))
            .add(middleware: RateLimitMiddleware(limit: rateLimit))
        open.addMetrics(to: guarded)
        let v1 = guarded.group("v1")
        open.addSchemas(to: v1)
        recording.add(to: v1)
        IncidentRoutes(service: service).add(to: v1)
        DueRoutes(service: service).add(to: v1)
        ReportRoutes(service: service).add(to: v1)
        EventRoutes(service: service, configuration: configuration, metrics: metrics).add(to: v1)
        AuditRoutes(service: service).add(to: v1)
        TokenRoutes(service: service, configuration: configuration).add(to: v1)
        PlaybookRoutes(service: service, configuration: configuration).add(to: v1)
        TemplateRoutes(service: service, configuration: configuration, recording: recording).add(to: v1)
        return router
    }

    /// The web pages: signed in by a session cookie, refusals as pages (docs/web.md).
    /// `rateLimit` is the API's, so a token's requests count once whichever way they come.
    func addPages(to router: Router<ServerContext>, sessions: WebSessions, metrics: ServerMetrics, rateLimit: RateLimit) {
        let sessionRoutes = SessionRoutes(service: service, configuration: configuration, sessions: sessions)
        sessionRoutes.addOpen(to: router)
        let pages = router.group().add(middleware: PageAuthentication(service: service, sessions: sessions))
            .add(middleware: RateLimitMiddleware(limit: rateLimit))
        sessionRoutes.addSignedIn(to: pages)
        IncidentPageRoutes(service: service, configuration: configuration, metrics: metrics).add(to: pages)
        ReviewPageRoutes(service: service).add(to: pages)
        PlaybookPageRoutes(service: service).add(to: pages)
        AuditPageRoutes(service: service, configuration: configuration, audit: AuditRoutes(service: service)).add(to: pages)
    }
}
