import Foundation

/// Runs `work` on a new thread of its own and returns what it returns.
///
/// Every test of a `swift test` run shares Swift's cooperative threads, one per core: two here.
/// Work that blocks one of them — a child process waited for, a socket read, minutes of computing —
/// holds up every other test of the run, and a test that measures time waiting for its server then
/// measures the others' work instead (a CI run had the failover test see 13 notes acknowledged in
/// 300 s while the corruption campaign and the verifiers' mutation test held both threads). Blocking
/// work in an async test goes here; so does any work that runs for more than a moment.
/// libdispatch's global queue is no substitute: it does not grow while its threads are computing.
public func onItsOwnThread<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Swift.Result { try work() }) }
    }
}
