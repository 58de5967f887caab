import Logging
import NIOCore
import PostgresNIO

extension PostgresConnection {
    /// Runs `query` and collects its rows, or throws ``PostgresAppendTransaction/ConnectionClosed``
    /// when the connection is closed, without sending it.
    ///
    /// postgres-nio 1.33 drops a query written to a connection that has closed and never answers
    /// it, and the connection may close between a check and the write. So both happen in one step
    /// on the connection's event loop: a query written while the channel is active reaches the
    /// connection's handler, which answers it, if only with the connection's failure.
    @discardableResult
    func send(_ query: PostgresQuery, logger: Logger) async throws -> PostgresQueryResult {
        try await eventLoop.flatSubmit {
            guard !self.isClosed else { return self.eventLoop.makeFailedFuture(PostgresAppendTransaction.ConnectionClosed()) }
            return self.query(query, logger: logger)
        }.get()
    }

    /// Runs `body` between `BEGIN` and `COMMIT`, each sent with ``send(_:logger:)``; rolls back and
    /// rethrows what `body` threw, a refusal as it is. (postgres-nio's `withTransaction` writes to a
    /// closed connection, and wraps what the body threw.) Appends keep their own `BEGIN` and
    /// `COMMIT` (``PostgresAppendTransaction``): their group is taken between the lock and the
    /// writes, and they must tell a failure before `COMMIT` (nothing written) from one during it
    /// (outcome unknown).
    func transaction<Result: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await send("BEGIN", logger: logger)
        let result: Result
        do {
            result = try await body(self)
        } catch {
            _ = try? await send("ROLLBACK", logger: logger)
            throw error
        }
        try await send("COMMIT", logger: logger)
        return result
    }
}
