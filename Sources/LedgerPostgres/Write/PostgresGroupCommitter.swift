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
    /// How long a transaction may take once it has its connection (``AnswerDeadline``); tests shorten it.
    let deadline = Mutex(AnswerDeadline.standard)

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

    /// The commits made so far and the appends they served, and the appends waiting now.
    var totals: CommitTotals {
        var totals = counted.withLock { $0 }
        totals.waiting = UInt64(pending.withLock { $0.count })
        return totals
    }

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
            if pending.withLock({ $0.stopIfIdle() }) { return }
            let (group, outcomes) = await commitNextGroup()
            for (submission, outcome) in zip(group, outcomes) {
                submission.continuation.resume(returning: outcome)
            }
        }
    }

    /// One try of a group on one connection, and how it ended.
    private enum Attempt {
        /// The transaction ran: it committed when `committed` is set, or every submission was refused.
        case finished(group: [PendingAppends.Submission], outcomes: [PostgresAppendTransaction.Outcome], committed: LedgerHead?)
        /// It failed; `group` is nil when it failed before taking one.
        case failed(group: [PendingAppends.Submission]?, PostgresAppendTransaction.Failure)
        /// No connection could be had: nothing was sent.
        case noConnection(group: [PendingAppends.Submission]?, any Error)
        /// The database did not answer within the deadline; the connection was closed, with `COMMIT`
        /// in flight when `duringCommit`.
        case noAnswer(group: [PendingAppends.Submission]?, duringCommit: Bool, AnswerDeadline.NoAnswer)
    }

    /// Commits the submissions waiting when the chain head is locked, and returns them with their outcomes.
    ///
    /// The group is taken once the lock is held, not before: appends that arrive while another
    /// process's transaction holds the chain head join this one, so several servers on one database
    /// keep groups as large as one server's. When no connection can be had, everything waiting fails
    /// with the group, not one group per connection wait.
    private func commitNextGroup() async -> ([PendingAppends.Submission], [PostgresAppendTransaction.Outcome]) {
        var group: [PendingAppends.Submission]? = nil
        var attempt = 1
        while true {
            let failure: LedgerError
            switch await attemptCommit(group) {
            case .finished(let taken, let outcomes, let committed):
                if let committed {
                    confirmed.raise(to: committed.position)
                    counted.withLock {
                        $0.commits += 1
                        $0.appends += UInt64(taken.count)
                    }
                    commits.signal()
                }
                return (taken, outcomes)
            case .failed(let taken, let error):
                group = taken
                if error.duringCommit {
                    logger.warning("the outcome of a commit is unknown", metadata: ["error": "\(PostgresEventStore.describe(error.error))"])
                    failure = unknownOutcome(error.error)
                } else if attempt < Self.attemptsOnLostConnections, Self.isConnectionLoss(error.error) {
                    logger.debug("retrying an append whose connection was lost before it committed", metadata: ["error": "\(PostgresEventStore.describe(error.error))"])
                    // The pool may lease another connection it has not yet heard is gone: give it a moment.
                    try? await Task.sleep(for: .milliseconds(50 * attempt))
                    attempt += 1
                    continue
                } else {
                    failure = nothingWritten(error.error)
                }
            case .noConnection(let taken, let error):
                // The database is unreachable now: whatever waits would only wait as long again to
                // fail the same way, so it fails with this group.
                let failed = (taken ?? []) + pending.withLock { $0.takeAll() }
                return (failed, Array(repeating: .failure(nothingWritten(error)), count: failed.count))
            case .noAnswer(let taken, let duringCommit, let error):
                // Likewise for a database that stopped answering; only this group's `COMMIT` may
                // have been applied.
                logger.warning("the database did not answer an append in time", metadata: ["during-commit": "\(duringCommit)"])
                let group = taken ?? []
                let waiting = pending.withLock { $0.takeAll() }
                let outcome: PostgresAppendTransaction.Outcome = .failure(duringCommit ? unknownOutcome(error) : nothingWritten(error))
                return (group + waiting, Array(repeating: outcome, count: group.count) + Array(repeating: .failure(nothingWritten(error)), count: waiting.count))
            }
            // Only this drain takes from the queue, so submissions are still waiting if none were taken yet.
            let failed = group ?? pending.withLock { $0.nextGroup(budget: Self.transactionBudgetBytes) }
            return (failed, Array(repeating: .failure(failure), count: failed.count))
        }
    }

    /// Locks the chain head on a connection of the pool, takes the group (`given`, or the submissions
    /// waiting now), and runs its transaction.
    private func attemptCommit(_ given: [PendingAppends.Submission]?) async -> Attempt {
        let hook = beforeCommit.withLock { $0 }
        let deadline = AnswerDeadline(deadline.withLock { $0 })
        do {
            let attempt = try await client.withConnection(waitingAtMost: Self.connectionWait) { connection in
                await deadline.guarding(connection) { await self.transact(on: connection, group: given, hook: hook) }
            }
            if deadline.hasPassed, case .failed(let group, let failure) = attempt {
                return .noAnswer(group: group, duringCommit: failure.duringCommit, AnswerDeadline.NoAnswer(limit: deadline.limit))
            }
            return attempt
        } catch {
            return .noConnection(group: given, error)
        }
    }

    /// Locks the chain head on `connection`, takes the group (`given`, or the submissions waiting
    /// now), and runs its transaction.
    private func transact(
        on connection: PostgresConnection, group given: [PendingAppends.Submission]?, hook: (@Sendable (PostgresConnection) async -> Void)?
    ) async -> Attempt {
        let transaction = PostgresAppendTransaction(connection: connection, logger: logger, beforeCommit: hook)
        let head: LedgerHead
        do throws(PostgresAppendTransaction.Failure) {
            head = try await transaction.lockHead()
        } catch {
            return .failed(group: given, error)
        }
        let group = given ?? pending.withLock { $0.nextGroup(budget: Self.transactionBudgetBytes) }
        do throws(PostgresAppendTransaction.Failure) {
            // Taken after the group, so that no event of it says its source recorded it later.
            let (outcomes, committed) = try await transaction.run(group.map(\.appends), lockedHead: head, recordedAt: clock())
            return .finished(group: group, outcomes: outcomes, committed: committed)
        } catch {
            return .failed(group: group, error)
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
