import Synchronization

/// Tells waiting subscriptions that a commit landed (for LMDB, one of this process's writer; for
/// PostgreSQL, one announced by any process): a generation number
/// that every commit moves on, and the tasks waiting for it to move.
///
/// A waiter reads ``generation`` before it reads the log and waits for a generation after it, so a
/// commit between the two is never missed.
package final class CommitSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextWaiter = 0
        /// Registered waiters; nil until the waiter suspends. A waiter released before it suspends
        /// (by its timer or its cancellation) is no longer here, and does not suspend.
        var waiters: [Int: CheckedContinuation<Void, Never>?] = [:]
    }

    private let state = Mutex(State())

    package init() {}

    /// The number of commits signalled so far.
    package var generation: UInt64 { state.withLock { $0.generation } }

    /// Wakes every waiter: a commit has landed.
    package func signal() {
        let waiters = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter?.resume() }
    }

    /// Returns when a commit after `generation` was signalled, when `timeout` has passed, or when
    /// the task is cancelled, whichever comes first.
    package func wait(after generation: UInt64, timeout: Duration) async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            state.waiters[state.nextWaiter] = .some(nil)
            return state.nextWaiter
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.resume(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    guard state.generation == generation, !Task.isCancelled, state.waiters[id] != nil else {
                        state.waiters[id] = nil
                        return true
                    }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            resume(id)
        }
        timer.cancel()
    }

    /// Resumes one waiter, if it is still waiting (each is resumed exactly once).
    private func resume(_ id: Int) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter??.resume()
    }
}
