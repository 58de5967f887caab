import Dispatch

/// Runs the service's synchronous reads (LMDB snapshots, folds, report building) off Swift's
/// cooperative threads, which are as many as the cores: a long review must not stall every other
/// request meanwhile.
enum Offload {
    private static let queue = DispatchQueue(label: "incidents.server.reads", qos: .userInitiated, attributes: .concurrent)

    static func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Swift.Result { try body() }) }
        }
    }
}
