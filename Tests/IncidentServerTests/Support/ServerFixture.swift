import Foundation
import IncidentServer
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Logging
import ServiceLifecycle

/// A real server on a free loopback port over a fresh ledger in a temporary directory, run in this
/// process as its own service group, and stopped by a graceful shutdown.
final class ServerFixture: Sendable {
    let directory: TemporaryDirectory
    let service: LedgerService
    let port: Int
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    private init(directory: TemporaryDirectory, service: LedgerService, port: Int, group: ServiceGroup, running: Task<Void, any Error>) {
        self.directory = directory
        self.service = service
        self.port = port
        self.group = group
        self.running = running
    }

    static func start(_ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> ServerFixture {
        let directory = TemporaryDirectory("server-test")
        let ledger = try Ledger.create(at: directory.file("ledger"))
        let service = LedgerService(ledger: ledger, defaults: RecordingDefaults.system.recorded(by: Actor(kind: .person, id: "test-admin")))
        var configuration = ServerConfiguration()
        configuration.port = 0
        configure(&configuration)
        var logger = Logger(label: "server-test")
        logger.logLevel = .warning
        let (ports, listening) = AsyncStream<Int>.makeStream()
        let app = try LedgerServer(service: service, configuration: configuration, logger: logger).application { port in
            listening.yield(port)
            listening.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let running = Task { try await group.run() }
        var port = 0
        for await given in ports { port = given }
        guard port > 0 else { throw HTTPTestClient.Failure(description: "the server did not start") }
        return ServerFixture(directory: directory, service: service, port: port, group: group, running: running)
    }

    /// A client holding a new token of `role` for `holder`.
    func client(_ role: AccessRole, holder: String = "jane@example.com") async throws -> HTTPTestClient {
        let issued = try await service.createToken(holder: Actor(kind: .person, id: holder), role: role, expiresAt: nil)
        return HTTPTestClient(port: port, token: issued.secret)
    }

    /// A client with no token.
    var anonymous: HTTPTestClient { HTTPTestClient(port: port) }

    /// Shuts the server down gracefully and waits for it.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
    }
}
