import Foundation
import Hummingbird
import IncidentProjections
import IncidentService
import LedgerModel

/// What is due: `GET /v1/due`, the same list as `incidents due --json`.
struct DueRoutes {
    let service: LedgerService

    /// The longest look ahead, in seconds: a year, as `incidents due --window` allows.
    static let longestWindow = 0...(366 * 86_400)

    func add(to router: RouterGroup<ServerContext>) {
        router.get("due") { request, context in try await due(request, context) }
    }

    func due(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readIncidents)
        let query = Query(request)
        let at = try query.timestamp("at") ?? .now()
        let window = try query.integer("windowSeconds", in: Self.longestWindow).map { Int64($0) * 1_000_000 }
        let service = self.service
        let list = try await Offload.run { try service.due(at: at, window: window) }
        return HTTPIO.body(String(decoding: try IncidentRoutes.encoder.encode(list), as: UTF8.self) + "\n", contentType: "application/json")
    }
}

