import LedgerModel

/// The appends waiting for a store's single writer, and whether the writer is draining them: the
/// queue both stores' group committers keep under their lock. Appends that arrive while a commit
/// is in flight wait here and go into the next transaction together.
package struct PendingAppends: Sendable {
    /// One caller's batch, encoded, and the continuation its outcome resumes.
    package struct Submission: Sendable {
        package var appends: [PreparedAppend]
        /// About how many bytes the batch's records take, for the transaction budget.
        package var bytes: Int
        package var continuation: CheckedContinuation<Result<[AppendResult], LedgerError>, Never>

        package init(_ appends: [PreparedAppend], continuation: CheckedContinuation<Result<[AppendResult], LedgerError>, Never>) {
            self.appends = appends
            bytes = appends.reduce(0) { total, append in
                append.request.events.reduce(total) { $0 + 200 + $1.payload.canonicalBytes.count }
            }
            self.continuation = continuation
        }
    }

    private var waiting: [Submission] = []
    private var draining = false

    package init() {}

    /// The number of submissions waiting.
    package var count: Int { waiting.count }

    /// Queues a submission; true when no writer is draining, so the caller must start one.
    package mutating func add(_ submission: Submission) -> Bool {
        waiting.append(submission)
        if draining { return false }
        draining = true
        return true
    }

    /// True, and the writer has stopped draining, when none wait (for a writer that takes its
    /// group later, once it holds a lock).
    package mutating func stopIfIdle() -> Bool {
        guard waiting.isEmpty else { return false }
        draining = false
        return true
    }

    /// Every waiting submission, whatever its size (to fail them all when the store is unreachable).
    package mutating func takeAll() -> [Submission] {
        defer { waiting.removeAll() }
        return waiting
    }

    /// The next group: the waiting submissions in order, as many as fit in `budget` bytes (at least
    /// one). Empty when none wait, and then the writer has stopped draining.
    package mutating func nextGroup(budget: Int) -> [Submission] {
        var taken = 0
        var bytes = 0
        while taken < waiting.count, taken == 0 || bytes + waiting[taken].bytes <= budget {
            bytes += waiting[taken].bytes
            taken += 1
        }
        if taken == 0 { draining = false }
        defer { waiting.removeFirst(taken) }
        return Array(waiting.prefix(taken))
    }
}
