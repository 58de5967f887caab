import Hummingbird
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore

/// `GET /healthz` (no token: a load balancer's probe), `GET /metrics` (any valid token), and the
/// event catalog: `GET /v1/schemas` and `GET /v1/schemas/{type}` (`?version=`).
struct OpenRoutes {
    let service: LedgerService
    let metrics: ServerMetrics
    let shutdown: ShutdownState

    func addHealth(to router: Router<ServerContext>) {
        router.get("healthz") { _, _ in
            guard !shutdown.isShuttingDown else {
                throw Problem(.serviceUnavailable, code: "shutting-down", "the server is shutting down; retry against another instance")
            }
            let head = try await service.ledger.head()
            return HTTPIO.json(["status": "ok", "head": head.json])
        }
    }

    func addMetrics(to router: RouterGroup<ServerContext>) {
        router.get("metrics") { _, context in
            _ = try context.authenticated()
            return HTTPIO.body(metrics.text(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    func addSchemas(to router: RouterGroup<ServerContext>) {
        router.get("schemas") { _, context in
            _ = try context.authenticated()
            let entries: [JSONValue] = Catalog.entries.map {
                ["type": .string($0.type), "version": .integer(Int64($0.schemaVersion)), "summary": .string($0.summary)]
            }
            return HTTPIO.json(.array(entries))
        }
        router.get("schemas/:type") { request, context in
            _ = try context.authenticated()
            let type = try context.pathParameter("type")
            let version = try Query(request).integer("version", in: 1...Int(UInt16.max)).map(UInt16.init)
            guard let document = EventSchemas.document(type: type, version: version) else {
                throw Problem(ServiceFailure(.notFound, "no schema for \(MessageText.quoted(type))\(version.map { " version \($0)" } ?? ""); GET /v1/schemas lists every type"))
            }
            return HTTPIO.body(document.json.canonicalText + "\n", contentType: "application/schema+json")
        }
    }
}
