import IncidentProjections

/// A metric summarised over one group of incidents.
public struct MetricValue: Sendable, Hashable, Codable {
    public var kind: MetricKind
    /// Observations summarised.
    public var count: Int
    /// Observations left out, per reason.
    public var excluded: [String: Int]
    /// Durations, counts and scores: mean, median (mean of the two middle values of an even count),
    /// p90, p95 (nearest rank), maximum.
    public var statistics: DurationStatistics?
    /// Counts and tallies: the sum; shares: how many were yes; rates: the sum of values.
    public var total: Int64?
    /// Shares: yes / n; rates: per hour; NPS: the score (−100…100).
    public var ratio: Double?
    /// Shares that measure a miss (SLA targets, maintenance windows): how far the misses went, in seconds.
    public var misses: DurationStatistics?
    /// The figure rests on at least one but fewer than ``smallSampleThreshold`` observations: shown,
    /// but marked as too few to compare (an NPS of +100 from one answer).
    public var smallSample: Bool

    /// Fewer observations than this (and more than none) make a small sample.
    public static let smallSampleThreshold = 5

    /// Summarises the observations of one group.
    public init(kind: MetricKind, samples: [Sample], excluded: [String: Int]) {
        self.kind = kind
        self.count = samples.count
        self.excluded = excluded
        self.smallSample = samples.count > 0 && samples.count < Self.smallSampleThreshold
        let values = samples.map(\.value)
        switch kind {
        case .duration, .average:
            statistics = DurationStatistics(seconds: values, excluded: excluded)
        case .count:
            statistics = DurationStatistics(seconds: values, excluded: excluded)
            total = values.reduce(0, +)
        case .tally:
            total = values.reduce(0, +)
        case .share:
            let yes = values.reduce(0, +)
            total = yes
            ratio = samples.isEmpty ? nil : Double(yes) / Double(samples.count)
            let missed = samples.compactMap(\.missedBy)
            if !missed.isEmpty { misses = DurationStatistics(seconds: missed) }
        case .rate:
            let sum = values.reduce(0, +)
            let seconds = samples.map(\.weight).reduce(0, +)
            total = sum
            ratio = seconds > 0 ? Double(sum) * 3600 / Double(seconds) : nil
        case .nps:
            ratio = SurveyScoring.netPromoterScore(values)
        }
    }

    /// The one figure that heads a comparison: the median for durations and counts, the mean for
    /// scores, the total for tallies, the share, rate or score otherwise.
    public var headline: Double? {
        switch kind {
        case .duration, .count: statistics?.median
        case .average: statistics?.mean
        case .tally: total.map(Double.init)
        case .share, .rate, .nps: ratio
        }
    }
}
