import LedgerModel

/// How a metric's observations are summarised.
public enum MetricKind: String, Codable, Sendable, CaseIterable {
    /// Durations in seconds: n, excluded, mean, median, p90, p95, maximum.
    case duration
    /// A number per incident: its total and the same statistics as a duration.
    case count
    /// Things counted one by one (escalations, action items): their total.
    case tally
    /// Yes-or-no observations: the share that are yes, and for SLA targets how far the others missed.
    case share
    /// A sum per hour of incident time: Σ values × 3600 / Σ seconds.
    case rate
    /// Scores: their mean and distribution.
    case average
    /// Net promoter score on 0–10 answers: % promoters (9–10) − % detractors (0–6).
    case nps
}

/// One observation of a metric: a value, with the finer breakdowns it belongs to.
public struct Sample: Sendable, Hashable {
    /// Seconds for durations; the count, 0/1, or score otherwise.
    public var value: Int64
    /// For `rate`: the seconds of incident time the value was observed over.
    public var weight: Int64 = 0
    /// For `share` observations that are "no" and measure a miss: by how many seconds.
    public var missedBy: Int64?
    /// Sample-level dimensions (customer tier, channel, escalation level and reason, SLA policy).
    public var dimensions: SampleDimensions = [:]

    public init(_ value: Int64, weight: Int64 = 0, missedBy: Int64? = nil, _ dimensions: SampleDimensions = [:]) {
        self.value = value
        self.weight = weight
        self.missedBy = missedBy
        self.dimensions = dimensions
    }
}

/// What a metric makes of one incident: observations, or reasons something was left out.
public enum Observation: Sendable, Hashable {
    case sample(Sample)
    /// Left out, never counted as zero; the reason is reported with the count left out.
    case excluded(String)
}

/// How durations are measured, and what "now" is.
public struct MetricContext: Sendable {
    /// The clock of duration metrics: calendar time (``BusinessCalendar/alwaysOpen``) unless a
    /// business-hours calendar is chosen.
    public var clock: BusinessCalendar
    /// The calendars SLA policies with `business_hours` name, by id.
    public var calendars: [String: BusinessCalendar]
    /// The time the report is made (microseconds), passed in by the caller: promises and action items
    /// due before it and not fulfilled are overdue.
    public var asOf: Int64
    /// The working hours of each region's support team, by region (as incidents' scopes name them):
    /// the review then gives the response figures of each region's incidents on its own calendar.
    public var regionCalendars: [String: BusinessCalendar] = [:]

    public init(clock: BusinessCalendar = .alwaysOpen, calendars: [String: BusinessCalendar] = [:], asOf: Int64) {
        self.clock = clock
        self.calendars = calendars
        self.asOf = asOf
    }

    /// Whole seconds from `start` to `stop` on `calendar` (negative when stop is before start, in calendar time).
    static func seconds(from start: Int64, to stop: Int64, on calendar: BusinessCalendar) -> Int64 {
        if calendar == .alwaysOpen || stop < start { return (stop - start) / 1_000_000 }
        return calendar.businessSeconds(from: .init(microsecondsSinceEpoch: start), to: .init(microsecondsSinceEpoch: stop))
    }

    /// Whole seconds on the duration metrics' clock.
    func seconds(from start: Int64, to stop: Int64) -> Int64 { Self.seconds(from: start, to: stop, on: clock) }
}

/// A metric: a name, a version and an exact definition of what it observes in each incident.
public struct MetricDefinition: Sendable {
    public var name: String
    /// Bump it when the definition changes; a review names the versions it used.
    public var version: Int
    public var kind: MetricKind
    /// A short title for tables.
    public var title: String
    /// The definition, one paragraph, as docs/metrics.md and `incidents metrics --list` give it.
    public var definition: String
    /// Whether durations follow the chosen clock (business hours); SLA metrics use their policy's.
    public var usesClock: Bool
    let observe: @Sendable (borrowing IncidentMetricFacts, MetricContext) -> [Observation]

    public func observations(_ facts: borrowing IncidentMetricFacts, _ context: MetricContext) -> [Observation] {
        observe(facts, context)
    }
}

/// The sample-level dimensions of one observation. A plain struct, not a dictionary: a review makes
/// hundreds of thousands of samples, and a dictionary each was most of its time.
public struct SampleDimensions: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    public var tier: String?
    public var channel: String?
    public var level: String?
    public var reason: String?
    public var policy: String?

    public init(dictionaryLiteral elements: (MetricDimension, String)...) {
        for (dimension, value) in elements { self[dimension] = value }
    }

    /// The value of a sample-level dimension; nil for incident-level ones.
    public subscript(dimension: MetricDimension) -> String? {
        get {
            switch dimension {
            case .tier: tier
            case .channel: channel
            case .level: level
            case .reason: reason
            case .policy: policy
            case .incident, .quarter, .month, .severity, .kind, .service: nil
            }
        }
        set {
            switch dimension {
            case .tier: tier = newValue
            case .channel: channel = newValue
            case .level: level = newValue
            case .reason: reason = newValue
            case .policy: policy = newValue
            case .incident, .quarter, .month, .severity, .kind, .service: break
            }
        }
    }
}
