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

    /// The conventional median: the middle value of an odd count, the mean of the two middle values
    /// of an even count (as a spreadsheet's MEDIAN). `sorted` must be in ascending order; nil when empty.
    ///
    /// For `[10, 20, 30, 40]`: (20 + 30) / 2 = 25; for `[1, 2]`: 1.5.
    public static func median(_ sorted: [Int64]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let upper = sorted.count / 2
        if sorted.count % 2 == 1 { return Double(sorted[upper]) }
        // Summed in 128 bits so two large values cannot overflow; a half of a whole number below 2^52 is exact.
        return Double(Int128(sorted[upper - 1]) + Int128(sorted[upper])) / 2
    }
}

/// The summary every duration metric reports: how many durations, how many were left out and why,
/// and their mean, median, 90th and 95th percentiles and maximum, in seconds.
///
/// The median is the conventional one, as a spreadsheet's MEDIAN gives it: the middle value of an
/// odd count, the mean of the two middle values of an even count (so it can fall on a half second).
/// The 90th and 95th percentiles use the nearest-rank method (`Percentile.nearestRank`): the
/// smallest duration such that at least p% of the durations are less than or equal to it, so each
/// is one of the measured durations. For no durations at all, the mean, median, percentiles and
/// maximum are nil, never zero.
public struct DurationStatistics: Sendable, Hashable, Codable {
    /// n: the number of durations summarised.
    public var count: Int
    /// Durations the caller left out, counted per reason (for example `"still open": 3`).
    public var excluded: [String: Int]
    /// The arithmetic mean in seconds, unrounded; nil when `count` is 0.
    public var mean: Double?
    /// The middle value, or the mean of the two middle values of an even count (a whole or half
    /// number of seconds); nil when `count` is 0.
    public var median: Double?
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
        median = Percentile.median(sorted)
        p90 = Percentile.nearestRank(sorted, 90)
        p95 = Percentile.nearestRank(sorted, 95)
        maximum = sorted.last
    }

    /// The total number of durations left out, over all reasons.
    public var excludedCount: Int {
        excluded.values.reduce(0, +)
    }
}
