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

/// The due list watched on a timer for a live tail (`GET /v1/events/stream?due=true`): an SSE event
/// `due` each time an item comes due (enters the window, or gets a new deadline) and again when it
/// becomes overdue.
struct DueWatch: Sendable {
    /// Only this incident's items, as the tail's `?incident=` asks.
    let incident: String?
    /// How often the list is judged again.
    let interval: Duration
    /// The list at a time: ``LedgerService/due(at:window:)``.
    let list: @Sendable (Timestamp) throws -> DueList

    /// What one item is, apart from whether it is overdue yet.
    struct Key: Hashable {
        var incident: String
        var kind: DueItem.Kind
        var reference: String?
        var dueAt: Timestamp

        init(_ item: DueItem) {
            (incident, kind, reference, dueAt) = (item.incident, item.kind, item.reference, item.dueAt)
        }
    }

    /// Sends a frame for every item that came due or became overdue since the last look, until cancelled.
    func run(_ send: @Sendable (String) async -> Void) async throws {
        var sent = [Key: Bool]()
        while true {
            let list = try await Offload.run { [self] in try self.list(.now()) }
            var seen = [Key: Bool]()
            for item in list.items where incident == nil || item.incident == incident {
                let key = Key(item)
                seen[key] = item.overdue
                if sent[key] != item.overdue { await send(try Self.frame(item)) }
            }
            sent = seen
            try await Task.sleep(for: interval)
        }
    }

    /// One `due` event: the item as `GET /v1/due` gives it, without an `id:` (the tail's ids are positions).
    static func frame(_ item: DueItem) throws -> String {
        "event: due\ndata: \(String(decoding: try IncidentRoutes.encoder.encode(item), as: UTF8.self))\n\n"
    }
}
