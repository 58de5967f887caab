public import IncidentEvents
public import LedgerModel

/// The quarterly review: a period's figures next to the previous period's, the incidents that need
/// discussing, satisfaction and postmortem follow-through, and where it all came from.
///
/// Everything is computed from ``IncidentMetricFacts``, the ledger's head and the report time the
/// caller passes in (``MetricContext/asOf``); nothing comes from the clock, so the same ledger,
/// period, calendars and report time give the same review, byte for byte, in every format.
public struct QuarterlyReview: Sendable, Codable {
    /// What the review was computed from, so that it can be reproduced and checked.
    public struct Source: Sendable, Codable {
        public var headPosition: UInt64
        public var headHash: String
        /// The time the review was made (the caller's `--as-of`, else the wall clock): the "now"
        /// promised updates and action items are judged against.
        public var asOf: String
        /// The ledger's last recorded time.
        public var lastRecorded: String
        /// The clock of duration metrics: `always-open v1` is calendar time.
        public var clock: String
        /// Business-hours calendars supplied for SLA policies, `id vN`.
        public var calendars: [String]
        /// Each metric's name and version.
        public var metricVersions: [String: Int]
        /// Incident streams without a declaration, left out of every figure.
        public var notDeclared: Int
    }

    /// One metric this period against the previous one.
    /// The rows of the postmortem follow-through section, in the order shown.
    public var followThroughRows: [Row] {
        ["time_to_postmortem", "action_items_opened", "action_items_completed", "action_items_overdue"].compactMap { name in rows.first { $0.metric == name } }
    }

    public struct Row: Sendable, Codable {
        public var metric: String
        public var title: String
        public var kind: MetricKind
        public var current: MetricValue
        public var previous: MetricValue
        /// Current headline minus previous headline; nil when either is missing.
        public var change: Double?

        /// Either period's figure rests on a small sample, so the change between them is too.
        public var changeFromSmallSample: Bool { current.smallSample || previous.smallSample }

        /// Nothing observed and nothing left out in either period.
        public var isUnobserved: Bool {
            current.count == 0 && previous.count == 0 && current.excluded.isEmpty && previous.excluded.isEmpty
        }
    }

    /// The misses of one SLA target of one policy in one incident.
    public struct Breach: Sendable, Codable {
        public var incident: String
        public var title: String
        public var severity: String
        /// `sla_first_response`, `sla_update_cadence` or `sla_resolution`.
        public var target: String
        public var policy: String
        /// How many observations missed it (customer messages for first response; otherwise 1).
        public var misses: Int
        /// The largest miss, in seconds on the policy's clock.
        public var missedBySeconds: Int64
    }

    /// How many breaches the text, Markdown and HTML forms list; JSON holds them all.
    public static let breachesShown = 20

    public struct Silence: Sendable, Codable {
        public var incident: String
        public var title: String
        public var severity: String
        public var seconds: Int64
    }

    public struct ExecutiveEscalation: Sendable, Codable {
        public var incident: String
        public var title: String
        public var reason: String
        public var customer: String?
        public var at: String
    }

    /// A maintenance of the period outside the playbook policy, counted as unplanned, and why.
    public struct MaintenanceOutsidePolicy: Sendable, Codable {
        public var incident: String
        public var title: String
        /// The rules it breaks (``PlaybookRule``), by name.
        public var rules: [String]
        /// What each rule broken says, in the same order.
        public var reasons: [String]
    }

    public struct PeriodFigure: Sendable, Codable {
        public var period: String
        public var value: MetricValue
    }

    public struct Satisfaction: Sendable, Codable {
        public var period: String
        public var responseRate: MetricValue
        public var csat: MetricValue
        public var csatScore: MetricValue
        public var nps: MetricValue

        /// The figures in the order the satisfaction table shows them.
        public var figures: [MetricValue] { [responseRate, csat, csatScore, nps] }
    }

    public struct Bucket: Sendable, Codable {
        public var label: String
        /// Upper bound in seconds (exclusive); nil for the last, open bucket.
        public var below: Int64?
        public var count: Int
    }

    public var period: CalendarPeriod
    public var previousPeriod: CalendarPeriod
    public var source: Source
    public var incidents: Int
    public var previousIncidents: Int
    public var incidentsBySeverity: [String: Int]
    public var incidentsByKind: [String: Int]
    public var rows: [Row]
    /// Time to resolve this period, by severity.
    public var resolveBySeverity: MetricResult
    public var slaBreaches: [Breach]
    /// The sources' own SLA verdicts against the ledger's; nil when no incident of the period has one.
    public var sourceSLA: SourceSLAComparison?
    /// The incidents with the longest customer-facing silence, longest first (at most 10).
    public var longestSilences: [Silence]
    public var executiveEscalations: [ExecutiveEscalation]
    /// This period and the three before it, oldest first.
    public var satisfaction: [Satisfaction]
    /// Time to resolve per month over the twelve months that end with the period, oldest first.
    public var resolveByMonth: [PeriodFigure]
    /// How this period's times to first public update are distributed.
    public var firstUpdateDistribution: [Bucket]
    /// CSAT per quarter over the eight quarters that end with the period's, oldest first.
    public var csatByQuarter: [PeriodFigure]
    /// Unplanned incidents of the period whose first public update is the declaration itself (within
    /// a second, as when a status page post opens the incident): their time to first public update
    /// starts at the declaration the update made, so a 0 says nothing about how fast customers heard.
    public var declaredByFirstUpdate: Int
    /// The incidents declared as scheduled maintenance that broke the playbook policy, by incident id.
    public var maintenanceOutsidePolicy: [MaintenanceOutsidePolicy]
    /// Executive sponsorship in the period.
    public var sponsorship: Sponsorship
    /// Time to first reply by the hour of the week the message came in, 168 cells from Monday 00:00.
    public var firstReplyByHourOfWeek: [HourOfWeek]
    /// The time zone of those hours: the review clock's.
    public var hourOfWeekZone: String
    /// Response figures per region, each on its region's calendar; empty unless calendars were given for regions.
    public var byRegion: [RegionFigures]
    /// The playbook's rules broken, per rule, this period and the previous one.
    public var playbook: PlaybookCounts

    /// The rows with an observation, or something left out, in either period; the others are
    /// named in one line (``unobservedRows``), so that a ledger that never records, say, surveys
    /// does not fill the table with dashes.
    public var observedRows: [Row] { rows.filter { !$0.isUnobserved } }
    public var unobservedRows: [Row] { rows.filter(\.isUnobserved) }

    /// Builds the review of `period` from every incident's facts.
    ///
    /// - Parameter playbookFindings: the playbook's rules each incident's events broke (at least for the
    ///   incidents of the period and the previous one), by incident.
    public static func build(
        period: CalendarPeriod, facts: [IncidentMetricFacts], head: LedgerHead, context: MetricContext, playbookFindings: [String: [RecordedFinding]] = [:]
    ) -> QuarterlyReview {
        let declared = facts.filter { $0.declared != nil }
        let previous = period.previous
        // Each period's incidents are picked once; every figure of a period is computed over them.
        var byPeriod = [CalendarPeriod: [IncidentMetricFacts]]()
        func incidents(_ span: CalendarPeriod) -> [IncidentMetricFacts] {
            if let known = byPeriod[span] { return known }
            let picked = declared.filter(IncidentFilter(period: span).matches)
            byPeriod[span] = picked
            return picked
        }
        // Several sections show the same figure (this quarter's CSAT is in the table, the satisfaction
        // section and the eight-quarter chart): each metric is computed once per period.
        var computed = [String: [CalendarPeriod: MetricValue]]()
        func value(_ metric: MetricDefinition, _ span: CalendarPeriod) -> MetricValue {
            if let known = computed[metric.name]?[span] { return known }
            let value = MetricResult.compute(metric, over: incidents(span), filter: IncidentFilter(), context: context).overall
            computed[metric.name, default: [:]][span] = value
            return value
        }
        func value(_ name: String, _ span: CalendarPeriod) -> MetricValue { value(MetricCatalog.named(name)!, span) }
        let inPeriod = incidents(period)

        let rows = MetricCatalog.all.map { metric -> Row in
            let current = value(metric, period)
            let earlier = value(metric, previous)
            let change = current.headline.flatMap { now in earlier.headline.map { now - $0 } }
            return Row(metric: metric.name, title: metric.title, kind: metric.kind, current: current, previous: earlier, change: change)
        }

        var breaches = [Breach]()
        for incident in inPeriod {
            for name in ["sla_first_response", "sla_update_cadence", "sla_resolution"] {
                var byPolicy = [String: Breach]()
                for case .sample(let sample) in MetricCatalog.named(name)!.observations(incident, context) {
                    guard let missed = sample.missedBy else { continue }
                    let policy = sample.dimensions[.policy] ?? ""
                    var breach = byPolicy[policy] ?? Breach(
                        incident: incident.incident, title: incident.title ?? "", severity: incident.severity?.rawValue ?? MetricDimension.none,
                        target: name, policy: policy, misses: 0, missedBySeconds: missed)
                    breach.misses += 1
                    breach.missedBySeconds = max(breach.missedBySeconds, missed)
                    byPolicy[policy] = breach
                }
                breaches += byPolicy.keys.sorted().map { byPolicy[$0]! }
            }
        }
        breaches.sort { ($0.missedBySeconds, $1.incident, $1.target) > ($1.missedBySeconds, $0.incident, $0.target) }

        let gapMetric = MetricCatalog.named("longest_update_gap")!
        var silences = inPeriod.compactMap { incident -> Silence? in
            guard case .sample(let sample)? = gapMetric.observations(incident, context).first else { return nil }
            return Silence(incident: incident.incident, title: incident.title ?? "", severity: incident.severity?.rawValue ?? MetricDimension.none, seconds: sample.value)
        }
        silences.sort { ($0.seconds, $1.incident) > ($1.seconds, $0.incident) }

        let executive = inPeriod.flatMap { incident in
            incident.escalations.filter { $0.level == .executive }.map {
                ExecutiveEscalation(
                    incident: incident.incident, title: incident.title ?? "", reason: $0.reason.rawValue, customer: $0.customer,
                    at: Timestamp(microsecondsSinceEpoch: $0.at).rfc3339)
            }
        }.sorted { ($0.at, $0.incident) < ($1.at, $1.incident) }

        let quarters = backwards(from: CalendarPeriod.quarter(containing: period.start), count: 8)
        let satisfaction = quarters.suffix(4).map { quarter in
            Satisfaction(
                period: quarter.name, responseRate: value("survey_response_rate", quarter), csat: value("csat", quarter),
                csatScore: value("csat_score", quarter), nps: value("nps", quarter))
        }
        let months = backwards(from: CalendarPeriod.month(containing: period.end - 1), count: 12)

        var count = [String: Int]()
        var kinds = [String: Int]()
        for incident in inPeriod {
            count[incident.severity?.rawValue ?? MetricDimension.none, default: 0] += 1
            kinds[incident.kind?.rawValue ?? MetricDimension.none, default: 0] += 1
        }

        return QuarterlyReview(
            period: period, previousPeriod: previous,
            source: Source(
                headPosition: head.position, headHash: head.hash.hex, asOf: Timestamp(microsecondsSinceEpoch: context.asOf).rfc3339,
                lastRecorded: head.recordedAt.rfc3339,
                clock: "\(context.clock.id) v\(context.clock.version)",
                calendars: context.calendars.values.map { "\($0.id) v\($0.version)" }.sorted(),
                metricVersions: Dictionary(uniqueKeysWithValues: MetricCatalog.all.map { ($0.name, $0.version) }),
                notDeclared: facts.count - declared.count),
            incidents: inPeriod.count, previousIncidents: incidents(previous).count,
            incidentsBySeverity: count, incidentsByKind: kinds, rows: rows,
            resolveBySeverity: MetricResult.compute(MetricCatalog.named("time_to_resolve")!, over: inPeriod, filter: IncidentFilter(), breakdown: .severity, context: context),
            slaBreaches: breaches, sourceSLA: SourceSLAComparison.compare(inPeriod, context), longestSilences: Array(silences.prefix(10)), executiveEscalations: executive,
            satisfaction: satisfaction,
            resolveByMonth: months.map { PeriodFigure(period: $0.name, value: value("time_to_resolve", $0)) },
            firstUpdateDistribution: distribution(MetricCatalog.named("time_to_first_public_update")!, inPeriod, context),
            csatByQuarter: quarters.map { PeriodFigure(period: $0.name, value: value("csat", $0)) },
            declaredByFirstUpdate: inPeriod.count(where: isDeclaredByFirstUpdate),
            maintenanceOutsidePolicy: inPeriod.filter { !$0.maintenanceBreaches.isEmpty }.sorted { $0.incident < $1.incident }.map {
                MaintenanceOutsidePolicy(
                    incident: $0.incident, title: $0.title ?? "", rules: $0.maintenanceBreaches.map(\.rule.rawValue), reasons: $0.maintenanceBreaches.map(\.message))
            },
            sponsorship: sponsorship(period: period, inPeriod: inPeriod, all: facts, context: context),
            firstReplyByHourOfWeek: firstReplyByHourOfWeek(inPeriod, context: context), hourOfWeekZone: context.clock.timeZone,
            byRegion: byRegion(inPeriod, context: context),
            playbook: PlaybookCounts.count(playbookFindings, current: inPeriod, previous: incidents(previous)))
    }

    /// Whether the incident's first public update is the post that declared it: it came less than a
    /// second after the declaration and the impact start (when recorded), as one status page post gives.
    static func isDeclaredByFirstUpdate(_ facts: IncidentMetricFacts) -> Bool {
        guard facts.kind != .scheduledMaintenance, facts.unknownTimes == nil, let declared = facts.declared, let first = facts.firstPublicUpdate else { return false }
        let start = min(declared, facts.impactStarted ?? declared)
        return start <= first && first - start < 1_000_000
    }

    /// `count` periods ending with `last`, oldest first.
    static func backwards(from last: CalendarPeriod, count: Int) -> [CalendarPeriod] {
        var periods = [last]
        while periods.count < count { periods.insert(periods[0].previous, at: 0) }
        return periods
    }

    /// Bucket bounds for response times, in seconds.
    static let bucketBounds: [(String, Int64)] = [
        ("< 5 min", 300), ("5–15 min", 900), ("15–30 min", 1800), ("30–60 min", 3600), ("1–2 h", 7200), ("2–4 h", 14_400), ("4–24 h", 86_400),
    ]

    static func distribution(_ metric: MetricDefinition, _ incidents: [IncidentMetricFacts], _ context: MetricContext) -> [Bucket] {
        var buckets = bucketBounds.map { Bucket(label: $0.0, below: $0.1, count: 0) } + [Bucket(label: "≥ 24 h", below: nil, count: 0)]
        for incident in incidents {
            for case .sample(let sample) in metric.observations(incident, context) {
                let index = bucketBounds.firstIndex { sample.value < $0.1 } ?? bucketBounds.count
                buckets[index].count += 1
            }
        }
        return buckets
    }
}
