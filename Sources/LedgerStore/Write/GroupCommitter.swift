import Dispatch
import LedgerModel
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The ledger's single writer. Appends that arrive while a commit is in flight wait together and
/// are then committed in one LMDB write transaction — one fsync for all of them (group commit).
///
/// Every transaction begins and commits inside one block on one serial dispatch queue, so it never
/// spans an `await` and never changes threads, as LMDB requires.
/// How much group commit has shared: this process's commits and the appends they served
/// (appends ÷ commits is the mean group size), and the appends waiting for a commit now.
public struct CommitTotals: Sendable, Hashable {
    public var commits: UInt64 = 0
    public var appends: UInt64 = 0
    /// Appends waiting for a commit at this moment: a queue that keeps growing says the store
    /// commits more slowly than appends arrive.
    public var waiting: UInt64 = 0

    package init() {}
}

final class GroupCommitter: Sendable {
    /// A transaction takes waiting submissions until it holds about this many bytes of events.
    static let transactionBudgetBytes = 64 << 20
    /// After a commit that served several submissions, the writer waits up to this long for the
    /// acknowledged writers to come back, so the next group is full rather than split in two.
    static let regroupWaitMicroseconds = 300

    private let environment: Environment
    private let clock: @Sendable () -> Timestamp
    private let logger: Logger
    private let queue = DispatchQueue(label: "incident-ledger.writer")
    private let pending = Mutex(PendingAppends())

    /// Signalled after every commit, for subscriptions that follow the log.
    private let commits: CommitSignal
    private let counted = Mutex(CommitTotals())

    /// The commits made so far and the appends they served, and the appends waiting now.
    var totals: CommitTotals {
        var totals = counted.withLock { $0 }
        totals.waiting = UInt64(pending.withLock { $0.count })
        return totals
    }

    init(environment: Environment, clock: @escaping @Sendable () -> Timestamp, logger: Logger, commits: CommitSignal) {
        self.environment = environment
        self.clock = clock
        self.logger = logger
        self.commits = commits
    }

    /// Appends the batch atomically and returns once it is durably committed.
    func submit(_ appends: [StreamAppend]) async throws(LedgerError) -> [AppendResult] {
        // Encoding happens here, on the caller's task, in parallel with other callers.
        let prepared = appends.map(PreparedAppend.init)
        let result = await withCheckedContinuation { continuation in
            if pending.withLock({ $0.add(PendingAppends.Submission(prepared, continuation: continuation)) }) {
                queue.async { self.drain() }
            }
        }
        return try result.get()
    }

    /// Commits waiting submissions until none are left.
    private func drain() {
        var lastGroupSize = 0
        while true {
            if lastGroupSize > 1 { awaitRegroup(expecting: lastGroupSize) }
            let group = pending.withLock { $0.nextGroup(budget: Self.transactionBudgetBytes) }
            if group.isEmpty { return }
            lastGroupSize = group.count
            commit(group)
        }
    }

    /// Gives the writers just served a moment to submit again, until as many are waiting as were
    /// served or the wait runs out. A lone writer never waits: this runs only after a shared commit.
    private func awaitRegroup(expecting count: Int) {
        var waited = 0
        while waited < Self.regroupWaitMicroseconds, pending.withLock({ $0.count }) < count {
            usleep(50)
            waited += 50
        }
    }

    private func commit(_ group: [PendingAppends.Submission]) {
        let outcomes: [AppendTransaction.Outcome]
        do {
            let transaction = AppendTransaction(environment: environment, recordedAt: clock())
            outcomes = try environment.write(expectedBytes: group.reduce(0) { $0 + $1.bytes }) { txn in
                try transaction.apply(group.map(\.appends), in: txn)
            }
            logger.trace("committed", metadata: ["submissions": "\(group.count)"])
            counted.withLock {
                $0.commits += 1
                $0.appends += UInt64(group.count)
            }
            commits.signal()
        } catch {
            let failure = Self.ledgerError(error)
            logger.debug("append failed", metadata: ["error": "\(failure.message)"])
            outcomes = Array(repeating: .failure(failure), count: group.count)
        }
        for (submission, outcome) in zip(group, outcomes) {
            submission.continuation.resume(returning: outcome)
        }
    }

    static func ledgerError(_ error: any Error) -> LedgerError {
        switch error {
        case let error as LedgerError: error
        case let error as LMDBError where error.code == LMDBError.transactionFull:
            LedgerError(.invalidInput, "the batch is too large for one transaction; nothing was written — split it into batches of at most 100,000 events", cause: error)
        case let error as LMDBError: error.ledgerError
        default: LedgerError(.storage, "append failed: \(error); nothing was written")
        }
    }
}
