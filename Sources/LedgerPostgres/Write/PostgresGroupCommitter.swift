import LedgerModel
import LedgerStore
import Logging
import PostgresNIO
import Synchronization

/// This process's one writer to the database. Appends that arrive while a transaction is in flight
/// wait together and are then committed in one transaction — one lock of the chain head, one
/// insert, one flush for all of them (group commit, as LMDB's writer does).
///
/// A transaction that fails before `COMMIT` is sent wrote nothing; one whose connection was lost
/// is tried again on another connection (up to ``attemptsOnLostConnections`` times). A failure
/// while `COMMIT` is in flight leaves the outcome unknown, and is reported so
/// (``LedgerError/Code/outcomeUnknown``), never as failed.
final class PostgresGroupCommitter: Sendable {
    /// How many times a group is tried when its connection is lost before `COMMIT` is sent.
    static let attemptsOnLostConnections = 5
    /// How long a transaction waits for a connection before it fails, having written nothing.
    static let connectionWait: Duration = .seconds(10)
    /// A transaction takes waiting submissions until it holds about this many bytes of events.
    static let transactionBudgetBytes = 16 << 20

    private let client: PostgresClient
    let clock: @Sendable () -> Timestamp
    private let logger: Logger
    private let commits: CommitSignal
    private let confirmed: ConfirmedHead
    private let location: PostgresLocation
    private let pending = Mutex(PendingAppends())
    private let counted = Mutex(CommitTotals())

    /// Runs just before `COMMIT` is sent, for tests that lose the connection there.
    let beforeCommit = Mutex<(@Sendable (PostgresConnection) async -> Void)?>(nil)

    init(
        client: PostgresClient, clock: @escaping @Sendable () -> Timestamp, logger: Logger, commits: CommitSignal, confirmed: ConfirmedHead,
        location: PostgresLocation
    ) {
        self.client = client
        self.clock = clock
        self.logger = logger
        self.commits = commits
        self.confirmed = confirmed
        self.location = location
    }

    /// The commits made so far and the appends they served.
    var totals: CommitTotals { counted.withLock { $0 } }

    /// Appends the batch atomically and returns once it is durably committed.
    func submit(_ appends: [StreamAppend]) async throws(LedgerError) -> [AppendResult] {
        // Encoding happens here, on the caller's task, in parallel with other callers.
        let prepared = appends.map(PreparedAppend.init)
        let result = await withCheckedContinuation { continuation in
            if pending.withLock({ $0.add(PendingAppends.Submission(prepared, continuation: continuation)) }) {
                Task { await self.drain() }
            }
        }
        return try result.get()
    }

    /// Commits waiting submissions until none are left.
    private func drain() async {
        while true {
            let group = pending.withLock { $0.nextGroup(budget: Self.transactionBudgetBytes) }
            if group.isEmpty { return }
            let outcomes = await commit(group.map(\.appends))
            for (submission, outcome) in zip(group, outcomes) {
                submission.continuation.resume(returning: outcome)
            }
        }
    }

    private func commit(_ submissions: [[PreparedAppend]]) async -> [PostgresAppendTransaction.Outcome] {
        var attempt = 1
        while true {
            do {
                let (outcomes, committed) = try await attemptCommit(submissions)
                if let committed {
                    confirmed.raise(to: committed.position)
                    counted.withLock {
                        $0.commits += 1
                        $0.appends += UInt64(submissions.count)
                    }
                    commits.signal()
                }
                return outcomes
            } catch let failure as PostgresAppendTransaction.Failure {
                if failure.duringCommit {
                    logger.warning("the outcome of a commit is unknown", metadata: ["error": "\(PostgresEventStore.describe(failure.error))"])
                    return Array(repeating: .failure(unknownOutcome(failure.error)), count: submissions.count)
                }
                if attempt < Self.attemptsOnLostConnections, Self.isConnectionLoss(failure.error) {
                    logger.debug("retrying an append whose connection was lost before it committed", metadata: ["error": "\(PostgresEventStore.describe(failure.error))"])
                    // The pool may lease another connection it has not yet heard is gone: give it a moment.
                    try? await Task.sleep(for: .milliseconds(50 * attempt))
                    attempt += 1
                    continue
                }
                return Array(repeating: .failure(nothingWritten(failure.error)), count: submissions.count)
            } catch {
                // No connection could be had: nothing was sent.
                return Array(repeating: .failure(nothingWritten(error)), count: submissions.count)
            }
        }
    }

    private func attemptCommit(_ submissions: [[PreparedAppend]]) async throws -> (outcomes: [PostgresAppendTransaction.Outcome], committed: LedgerHead?) {
        let hook = beforeCommit.withLock { $0 }
        let (clock, logger) = (clock, logger)
        return try await client.withConnection(waitingAtMost: Self.connectionWait) { connection in
            try await PostgresAppendTransaction(connection: connection, logger: logger, recordedAt: clock(), beforeCommit: hook).run(submissions)
        }
    }

    private func nothingWritten(_ error: any Error) -> LedgerError {
        if let error = error as? LedgerError { return error }
        var failure = LedgerError(
            PostgresEventStore.code(of: error), "append to \(location) failed: \(PostgresEventStore.describe(error)); nothing was written",
            ledgerPath: location.description)
        failure.cause = error
        return failure
    }

    private func unknownOutcome(_ error: any Error) -> LedgerError {
        var failure = LedgerError(
            .outcomeUnknown,
            "the connection to \(location) was lost while the append committed (\(PostgresEventStore.describe(error))): it may or may not have been recorded — retrying it with the same event ids is safe",
            ledgerPath: location.description)
        failure.cause = error
        return failure
    }

    /// Whether the error is the connection's, not the server's answer to a statement.
    static func isConnectionLoss(_ error: any Error) -> Bool {
        if error is PostgresAppendTransaction.ConnectionClosed { return true }
        guard let error = error as? PSQLError else { return false }
        return [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown].contains(error.code)
    }
}
