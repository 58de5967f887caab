import PostgresNIO
import Synchronization

extension PostgresClient {
    /// No connection could be had in time: nothing was sent.
    struct NoConnection: Error, CustomStringConvertible {
        let limit: Duration
        var description: String { "no connection to the server within \(limit) (is it down?)" }
    }

    /// Runs `body` on one of the pool's connections, or throws ``NoConnection`` when none is had
    /// within `limit`. Once `body` has begun it is never cut short.
    ///
    /// The pool itself keeps asking a server that refuses connections for a minute before it fails
    /// the requests waiting for one; a store whose server is gone says so sooner.
    func withConnection<Result: Sendable>(
        waitingAtMost limit: Duration, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let lease = LeaseRace()
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await self.withConnection { connection in
                    guard lease.begin() else { throw NoConnection(limit: limit) }
                    return try await body(connection)
                }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                // Thrown, this ends the group and cancels the lease still waiting.
                if lease.expire() { throw NoConnection(limit: limit) }
                return nil
            }
            while let answer = try await group.next() {
                guard let result = answer else { continue }
                group.cancelAll()
                return result
            }
            preconditionFailure("the lease neither answered nor failed")
        }
    }
}

/// Whether a connection came before the time limit: whichever of the two is first decides.
private final class LeaseRace: Sendable {
    private enum State { case waiting, begun, expired }
    private let state = Mutex(State.waiting)

    /// Whether the body may begin (the time limit has not passed).
    func begin() -> Bool { settle(.begun) }

    /// Whether the time limit passed before any connection came.
    func expire() -> Bool { settle(.expired) }

    private func settle(_ outcome: State) -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = outcome
            return true
        }
    }
}
