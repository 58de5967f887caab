import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// Whether the server has begun to shut down: `/healthz` then answers 503, so a load balancer stops
/// sending, and new writes are refused with 503 while those in flight finish.
final class ShutdownState: Service, Sendable {
    private let flag = Atomic(false)

    var isShuttingDown: Bool { flag.load(ordering: .relaxed) }

    func run() async throws {
        try? await gracefulShutdown()
        flag.store(true, ordering: .relaxed)
    }
}

/// Logs every request once, with its id, method, route, status and time — never a header, a token or a
/// body — and counts it for `/metrics`. Writes that arrive after shutdown began get 503.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let metrics: ServerMetrics
    let shutdown: ShutdownState

    func handle(_ request: Request, context: ServerContext, next: @concurrent (Request, ServerContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        if shutdown.isShuttingDown, request.method == .post {
            response = try Problem(.serviceUnavailable, code: "shutting-down", "the server is shutting down; nothing was written — retry against another instance")
                .response(from: request, context: context)
        } else {
            response = try await next(request, context)
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let route = context.endpointPath ?? "unmatched"
        metrics.observe(method: request.method.rawValue, route: route, status: Int(response.status.code), seconds: seconds)
        context.logger.info(
            "request", metadata: ["method": "\(request.method)", "route": "\(route)", "status": "\(response.status.code)", "ms": "\(Int(seconds * 1000))"])
        return response
    }
}
