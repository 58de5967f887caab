/// Percentiles of a sorted list of values.
public enum Percentile {
    /// The nearest-rank percentile: the smallest value such that at least `p` percent of the values
    /// are less than or equal to it, that is the value at 1-based rank ⌈p/100 × n⌉ (at least 1).
    ///
    /// `sorted` must be in ascending order. `p` is a percentage; values below 0 count as 0 (giving
    /// the minimum) and above 100 as 100 (the maximum). Returns nil for an empty list or a NaN `p`.
    ///
    /// For `[10, 20, 30, 40]`: p50 is rank ⌈2⌉ = 2, so 20; p90 is rank ⌈3.6⌉ = 4, so 40.
    public static func nearestRank(_ sorted: [Int64], _ p: Double) -> Int64? {
        guard !sorted.isEmpty, !p.isNaN else { return nil }
        let percent = min(max(p, 0), 100)
        // With an integral p, p × n is exact and dividing by 100 rounds correctly, so a rank that
        // is a whole number comes out exactly and ⌈⌉ does not overshoot.
        let rank = Int((percent * Double(sorted.count) / 100).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

/// The summary every duration metric reports: how many durations, how many were left out and why,
/// and their mean, median, 90th and 95th percentiles and maximum, in seconds.
///
/// Percentiles, the median included, use the nearest-rank method (`Percentile.nearestRank`): the
/// smallest duration such that at least p% of the durations are less than or equal to it. Every
/// reported percentile is therefore one of the measured durations; for an even count the median is
/// the lower of the two middle values, not their average. For no durations at all, the mean,
/// percentiles and maximum are nil, never zero.
public struct DurationStatistics: Sendable, Hashable, Codable {
    /// n: the number of durations summarised.
    public var count: Int
    /// Durations the caller left out, counted per reason (for example `"still open": 3`).
    public var excluded: [String: Int]
    /// The arithmetic mean in seconds, unrounded; nil when `count` is 0.
    public var mean: Double?
    /// The nearest-rank 50th percentile; nil when `count` is 0.
    public var median: Int64?
    /// The nearest-rank 90th percentile; nil when `count` is 0.
    public var p90: Int64?
    /// The nearest-rank 95th percentile; nil when `count` is 0.
    public var p95: Int64?
    /// The largest duration; nil when `count` is 0.
    public var maximum: Int64?

    /// Summarises durations in seconds, given in any order, with the caller's count of durations
    /// it left out, per reason.
    public init(seconds: some Sequence<Int64>, excluded: [String: Int] = [:]) {
        let sorted = seconds.sorted()
        count = sorted.count
        self.excluded = excluded
        if sorted.isEmpty {
            mean = nil
        } else {
            // 128 bits cannot overflow for any count of 64-bit values that fits in memory.
            let sum = sorted.reduce(Int128(0)) { $0 + Int128($1) }
            mean = Double(sum) / Double(sorted.count)
        }
        median = Percentile.nearestRank(sorted, 50)
        p90 = Percentile.nearestRank(sorted, 90)
        p95 = Percentile.nearestRank(sorted, 95)
        maximum = sorted.last
    }

    /// The total number of durations left out, over all reasons.
    public var excludedCount: Int {
        excluded.values.reduce(0, +)
    }
}
