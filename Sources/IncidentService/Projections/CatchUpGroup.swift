import Dispatch
import Synchronization

/// The stored projections' catch-ups after writes, shared as group commit shares a sync: one runs
/// at a time, on a thread of its own rather than Swift's cooperative ones (it commits, so it waits
/// on the disk), and every write that arrives meanwhile waits for the next one, which covers its
/// event too. A write returns, as before, once the stored projections include it.
final class CatchUpGroup: Sendable {
    private struct State {
        var running = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "incidents.service.catch-up")

    /// Returns once a catch-up that began after this call has finished.
    func join(_ catchUp: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { continuation in
            let leads = state.withLock { state in
                state.waiting.append(continuation)
                defer { state.running = true }
                return !state.running
            }
            if leads { queue.async { self.drain(catchUp) } }
        }
    }

    /// Runs catch-ups until no write waits for one.
    private func drain(_ catchUp: @escaping @Sendable () -> Void) {
        while true {
            let batch = state.withLock { state in
                let batch = state.waiting
                state.waiting = []
                if batch.isEmpty { state.running = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            catchUp()
            for waiter in batch { waiter.resume() }
        }
    }
}
