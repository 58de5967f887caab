import Hummingbird
import IncidentService
import Synchronization

/// A token bucket per access token: a runaway script or a stuck retry loop gets 429 with
/// `Retry-After` instead of taking the server from everyone else. Tokens refill continuously at the
/// configured rate; a burst of twice the rate passes.
final class RateLimit: Sendable {
    private struct Bucket {
        var level: Double
        var updated: ContinuousClock.Instant
    }

    let rate: Double
    private let buckets = Mutex([String: Bucket]())

    init(requestsPerSecond: Int) {
        rate = Double(requestsPerSecond)
    }

    /// True when the token may make one more request now.
    func admit(_ token: String, now: ContinuousClock.Instant = .now) -> Bool {
        guard rate > 0 else { return true }
        return buckets.withLock { buckets in
            var bucket = buckets[token] ?? Bucket(level: 2 * rate, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.level = min(2 * rate, bucket.level + seconds * rate)
            bucket.updated = now
            let admitted = bucket.level >= 1
            if admitted { bucket.level -= 1 }
            buckets[token] = bucket
            return admitted
        }
    }
}

/// Refuses a token's request over its rate (429), after authentication has named the token.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let limit: RateLimit

    func handle(_ request: Request, context: ServerContext, next: @concurrent (Request, ServerContext) async throws -> Response) async throws -> Response {
        if let caller = context.caller, !limit.admit(caller.id) {
            var problem = Problem(.tooManyRequests, code: "too-many-requests", "this token made more than \(Int(limit.rate)) requests a second; slow down and retry after the time Retry-After gives")
            problem.headers[.retryAfter] = "1"
            throw problem
        }
        return try await next(request, context)
    }
}
