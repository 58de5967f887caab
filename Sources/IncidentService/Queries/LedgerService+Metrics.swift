import IncidentEvents
public import IncidentMetrics
import IncidentEvents
import IncidentProjections
public import LedgerModel
import LedgerStore

/// Every incident's metric facts and the head they stand at, from one point of the log.
public struct MetricFacts: Sendable {
    public var facts: [IncidentMetricFacts]
    public var head: LedgerHead
}

extension LedgerService {
    /// Every incident's metric facts, up to the head read first: the facts and the head they are
    /// reported against describe the same log. Judged by the playbook policy in force: a maintenance
    /// outside it counts as unplanned (``IncidentMetricFacts/judged(by:)``).
    public func metricFacts() throws -> MetricFacts {
        let head = try ledger.read { try $0.head() }
        let runner = reader(upTo: head.position)
        try runner.catchUp(IncidentMetricsProjection.self)
        let maintenance = try policy().maintenance
        return MetricFacts(facts: try runner.states(IncidentMetricsProjection.self).map { $0.judged(by: maintenance) }, head: head)
    }

    /// One metric over the incidents the filter selects, broken down by `breakdown`.
    public func metric(
        _ metric: MetricDefinition, filter: IncidentFilter = IncidentFilter(), breakdown: MetricDimension? = nil, context: MetricContext
    ) throws -> MetricResult {
        MetricResult.compute(metric, over: try metricFacts().facts, filter: filter, breakdown: breakdown, context: context)
    }

    /// The quarterly review of `period`; by default the quarter before the one holding the latest
    /// declaration. nil when the ledger holds no declared incident to choose a period by.
    public func review(of period: CalendarPeriod?, context: MetricContext) throws -> QuarterlyReview? {
        let loaded = try metricFacts()
        guard let period = period ?? Self.defaultReviewPeriod(loaded.facts) else { return nil }
        // The playbook's checks read the events themselves: those of the incidents the review counts them for.
        let counted = loaded.facts.filter { incident in
            incident.declared != nil && [period, period.previous].contains { IncidentFilter(period: $0).matches(incident) }
        }
        let findings = try playbookFindings(of: counted.map(\.incident), upTo: loaded.head.position)
        return QuarterlyReview.build(period: period, facts: loaded.facts, head: loaded.head, context: context, playbookFindings: findings)
    }

    /// The quarter before the one holding the latest declaration.
    public static func defaultReviewPeriod(_ facts: [IncidentMetricFacts]) -> CalendarPeriod? {
        facts.compactMap(\.declared).max().map { CalendarPeriod.quarter(containing: $0).previous }
    }
}
