import Hummingbird
import IncidentEvents
import IncidentMetrics
import IncidentReports
import IncidentService
import LedgerModel
import LedgerStore

/// The quarterly review of a period and one metric with its breakdowns.
struct ReportRoutes {
    let service: LedgerService

    static let reviewFormats: [ReportFormat] = [.json, .markdown, .html, .csv, .text]

    func add(to router: RouterGroup<ServerContext>) {
        router.get("review") { request, context in try await review(request, context, period: nil) }
        router.get("review/:period") { request, context in
            try await review(request, context, period: try context.pathParameter("period"))
        }
        router.get("metrics") { _, context in
            _ = try context.require(.readIncidents)
            let metrics: [JSONValue] = MetricCatalog.all.map {
                ["name": .string($0.name), "version": .integer(Int64($0.version)), "title": .string($0.title), "definition": .string($0.definition)]
            }
            return HTTPIO.json(.array(metrics))
        }
        router.get("metrics/:name") { request, context in try await metric(request, context) }
    }

    func review(_ request: Request, _ context: ServerContext, period name: String?) async throws -> Response {
        _ = try context.require(.readIncidents)
        let query = Query(request)
        let period = try name.map(Self.period)
        let format = try ReportFormat.negotiate(query, request, offered: Self.reviewFormats)
        let metricContext = MetricContext(clock: .alwaysOpen, calendars: [:], asOf: (try query.timestamp("asOf") ?? .now()).microsecondsSinceEpoch)
        let service = self.service
        guard let review = try await Offload.run({ try service.review(of: period, context: metricContext) }) else {
            throw Problem(ServiceFailure(.notFound, "the ledger at \(service.ledger.path) holds no declared incident to review — import or record some first"))
        }
        let text: String =
            switch format {
            case .text: ReviewText.render(review, markdown: false)
            case .markdown: ReviewText.render(review, markdown: true)
            case .html: ReviewHTML.render(review)
            case .csv: ReviewCSV.render(review)
            case .json: ReviewJSON.render(review)
            }
        return HTTPIO.body(text, contentType: format.contentType)
    }

    func metric(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readIncidents)
        let name = try context.pathParameter("name")
        guard let metric = MetricCatalog.named(name) else {
            throw Problem(ServiceFailure(.notFound, "no metric \(MessageText.quoted(name)); GET /v1/metrics lists them"))
        }
        let query = Query(request)
        let filter = IncidentFilter(
            period: try query["period"].map(Self.period), severity: try query.choice("severity", Severity.self),
            kind: try query.choice("kind", IncidentKind.self), service: query["service"])
        let breakdown = try query.choice("by", MetricDimension.self)
        let metricContext = MetricContext(clock: .alwaysOpen, calendars: [:], asOf: (try query.timestamp("asOf") ?? .now()).microsecondsSinceEpoch)
        let service = self.service
        let result = try await Offload.run { try service.metric(metric, filter: filter, breakdown: breakdown, context: metricContext) }
        return HTTPIO.body(MetricsJSON.render(result), contentType: "application/json")
    }

    static func period(_ text: String) throws -> CalendarPeriod {
        guard let period = CalendarPeriod.parse(text) else {
            throw Problem(ServiceFailure(.usage, "the period must be 2026-Q3, 2026-07 or 2026-07-01..2026-10-01, not \(MessageText.quoted(text))"))
        }
        return period
    }
}
