import Foundation
import Hummingbird
import IncidentMetrics
import IncidentReports
import IncidentService
import LedgerModel

/// The quarterly review page and the drill-down from a figure to the incidents behind it.
struct ReviewPageRoutes {
    let service: LedgerService

    func add(to router: RouterGroup<ServerContext>) {
        router.get("review") { request, context in try await review(request, context) }
        router.get("review/metric/:name") { request, context in try await drill(request, context) }
    }

    func review(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readIncidents)
        let viewer = try context.viewer()
        let period = try Query(request)["period"].map(ReportRoutes.period)
        let service = self.service
        let metricContext = MetricContext(clock: .alwaysOpen, calendars: [:], asOf: Timestamp.now().microsecondsSinceEpoch)
        guard let review = try await Offload.run({ try service.review(of: period, context: metricContext) }) else {
            throw Problem(ServiceFailure(.notFound, "the ledger holds no declared incident to review — import or record some first"))
        }
        return PageIO.html(ReviewPage.render(review, viewer: viewer))
    }

    func drill(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.require(.readIncidents)
        let viewer = try context.viewer()
        let name = try context.pathParameter("name")
        guard let metric = MetricCatalog.named(name) else {
            throw Problem(ServiceFailure(.notFound, "no metric \(MessageText.quoted(name)); the review lists them"))
        }
        guard let periodName = Query(request)["period"] else {
            throw Problem(ServiceFailure(.usage, "give the period, as ?period=2026-Q3"))
        }
        let period = try ReportRoutes.period(periodName)
        let service = self.service
        let metricContext = MetricContext(clock: .alwaysOpen, calendars: [:], asOf: Timestamp.now().microsecondsSinceEpoch)
        let result = try await Offload.run { try service.metric(metric, filter: IncidentFilter(period: period), breakdown: .incident, context: metricContext) }
        return PageIO.html(ReviewPage.drill(result, period: period.name, viewer: viewer))
    }
}
