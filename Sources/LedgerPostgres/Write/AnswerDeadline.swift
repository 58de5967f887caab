import PostgresNIO
import Synchronization

/// How long the database may take over one piece of work on a connection — an append transaction
/// from its `BEGIN` to its `COMMIT`'s answer, or one read — before the connection is closed.
///
/// A database that stops answering without closing the connection (a frozen server, a machine cut
/// off without a reset) would otherwise hold that work, and every append queued behind it, for as
/// long as TCP takes to notice: hours. Closing the connection fails the statement in flight at
/// once; what an append sent before `COMMIT` rolls back with the connection, and a `COMMIT` sent and
/// not answered leaves the outcome unknown, as for any connection lost during it.
final class AnswerDeadline: Sendable {
    /// A minute: far beyond a durable commit on a loaded machine with a synchronous standby, or a
    /// page of reads.
    static let standard: Duration = .seconds(60)

    /// No answer in time: what work that passed its deadline failed with.
    struct NoAnswer: Error, CustomStringConvertible {
        let limit: Duration
        var description: String { "the database did not answer within \(limit) (is it frozen, or cut off from this machine?)" }
    }

    let limit: Duration
    private let passed = Atomic<Bool>(false)

    init(_ limit: Duration) {
        self.limit = limit
    }

    /// Whether the deadline passed while `guarding` ran, and the connection was closed.
    var hasPassed: Bool { passed.load(ordering: .acquiring) }

    /// Runs `body`, closing `connection` if `body` is still running once ``limit`` has passed.
    func guarding<Result>(_ connection: PostgresConnection, _ body: () async throws -> Result) async rethrows -> Result {
        let watchdog = Task { [self] in
            try? await Task.sleep(for: limit)
            guard !Task.isCancelled else { return }
            passed.store(true, ordering: .releasing)
            try? await connection.close()
        }
        defer { watchdog.cancel() }
        return try await body()
    }
}
