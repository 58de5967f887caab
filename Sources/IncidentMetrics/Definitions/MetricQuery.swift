public import IncidentEvents

/// Which incidents a metric is computed over.
public struct IncidentFilter: Sendable, Hashable {
    /// Incidents declared in this period (UTC); nil: all.
    public var period: CalendarPeriod?
    public var severity: Severity?
    public var kind: IncidentKind?
    /// Incidents whose final scope names this service.
    public var service: String?

    public init(period: CalendarPeriod? = nil, severity: Severity? = nil, kind: IncidentKind? = nil, service: String? = nil) {
        self.period = period
        self.severity = severity
        self.kind = kind
        self.service = service
    }

    /// Whether a declared incident passes.
    public func matches(_ facts: borrowing IncidentMetricFacts) -> Bool {
        guard let declared = facts.declared else { return false }
        if let period, !period.contains(declared) { return false }
        if let severity, facts.severity != severity { return false }
        if let kind, facts.kind != kind { return false }
        if let service, !facts.services.contains(service) { return false }
        return true
    }
}

/// A metric computed over a set of incidents, overall and per group of a breakdown.
public struct MetricResult: Sendable, Codable {
    public var metric: String
    public var version: Int
    public var title: String
    public var breakdown: MetricDimension?
    /// The clock durations were measured on (`always-open v1` is calendar time), for metrics that
    /// follow it; nil for the others.
    public var clock: String?
    /// The business-hours calendars supplied for SLA policies, `id vN`.
    public var calendars: [String]
    /// Incidents the filter selected.
    public var incidents: Int
    public var overall: MetricValue
    /// Per group, in group order; empty without a breakdown.
    public var groups: [Group]

    public struct Group: Sendable, Codable {
        public var name: String
        public var value: MetricValue
    }

    /// Computes `metric` over the incidents `filter` selects from `facts`.
    ///
    /// Incidents that were never declared never match; the caller reports how many there were.
    public static func compute(_ metric: MetricDefinition, over facts: [IncidentMetricFacts], filter: IncidentFilter, breakdown: MetricDimension? = nil, context: MetricContext) -> MetricResult {
        var samples = [Sample]()
        var excluded = [String: Int]()
        var grouped = [String: (samples: [Sample], excluded: [String: Int])]()
        var incidents = 0
        // Through a buffer: reading an incident's facts out of the array copies the struct, retaining
        // every field it holds; a buffer element is read in place.
        facts.withUnsafeBufferPointer { buffer in
            for index in buffer.indices where filter.matches(buffer[index]) {
                incidents += 1
                let incidentGroups = breakdown.flatMap { $0.groups(of: buffer[index]) }
                for observation in metric.observations(buffer[index], context) {
                    let names: [String]
                    switch observation {
                    case .sample(let sample):
                        samples.append(sample)
                        names = breakdown.map { incidentGroups ?? [sample.dimensions[$0] ?? MetricDimension.none] } ?? []
                        for name in names { grouped[name, default: ([], [:])].samples.append(sample) }
                    case .excluded(let reason):
                        excluded[reason, default: 0] += 1
                        // An exclusion has no sample-level dimension: it is counted in the incident's group only.
                        names = incidentGroups ?? []
                        for name in names { grouped[name, default: ([], [:])].excluded[reason, default: 0] += 1 }
                    }
                }
            }
        }
        let groups = grouped.keys.sorted(by: groupOrder).map { name in
            var value = MetricValue(kind: metric.kind, samples: grouped[name]!.samples, excluded: grouped[name]!.excluded)
            // A row of a breakdown by incident is that incident's own figure, not a sample of incidents.
            if breakdown == .incident { value.smallSample = false }
            return Group(name: name, value: value)
        }
        return MetricResult(
            metric: metric.name, version: metric.version, title: metric.title, breakdown: breakdown,
            clock: metric.usesClock ? "\(context.clock.id) v\(context.clock.version)" : nil,
            calendars: context.calendars.values.map { "\($0.id) v\($0.version)" }.sorted(), incidents: incidents,
            overall: MetricValue(kind: metric.kind, samples: samples, excluded: excluded), groups: groups)
    }

    /// Group names sort as text, but `(none)` goes last.
    static func groupOrder(_ a: String, _ b: String) -> Bool {
        if a == MetricDimension.none { return false }
        if b == MetricDimension.none { return true }
        return a < b
    }
}
