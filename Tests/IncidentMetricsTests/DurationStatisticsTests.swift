import LedgerTestSupport
import Testing
@testable import IncidentMetrics

/// Hand-worked statistics; nearest rank (p90, p95) is ⌈p/100 × n⌉, 1-based, in the sorted values;
/// the median is the middle value, or the mean of the two middle values of an even count.
@Suite struct DurationStatisticsTests {
    @Test func emptySetHasNoFiguresOnlyCounts() {
        let statistics = DurationStatistics(seconds: [], excluded: ["still open": 3, "no reply": 2])
        #expect(statistics.count == 0)
        #expect(statistics.mean == nil)
        #expect(statistics.median == nil)
        #expect(statistics.p90 == nil)
        #expect(statistics.p95 == nil)
        #expect(statistics.maximum == nil)
        #expect(statistics.excluded == ["still open": 3, "no reply": 2])
        #expect(statistics.excludedCount == 5)
    }

    @Test func oneValueIsEveryFigure() {
        // n = 1: every rank is 1.
        let statistics = DurationStatistics(seconds: [42])
        #expect(statistics.count == 1)
        #expect(statistics.mean == 42)
        #expect(statistics.median == 42)
        #expect(statistics.p90 == 42)
        #expect(statistics.p95 == 42)
        #expect(statistics.maximum == 42)
        #expect(statistics.excludedCount == 0)
    }

    @Test func twoValues() {
        // Sorted [10, 30]. Mean 40 / 2 = 20. Median (10 + 30) / 2 = 20, as a spreadsheet's MEDIAN
        // (nearest rank would give the lower middle value, 10). p90 rank ⌈1.8⌉ = 2 → 30. p95 rank ⌈1.9⌉ = 2 → 30.
        let statistics = DurationStatistics(seconds: [30, 10])
        #expect(statistics.count == 2)
        #expect(statistics.mean == 20)
        #expect(statistics.median == 20)
        #expect(statistics.p90 == 30)
        #expect(statistics.p95 == 30)
        #expect(statistics.maximum == 30)
    }

    @Test func threeValues() {
        // Sorted [60, 120, 3600]. Mean 3780 / 3 = 1260. Median rank ⌈1.5⌉ = 2 → 120.
        // p90 rank ⌈2.7⌉ = 3 → 3600. p95 rank ⌈2.85⌉ = 3 → 3600.
        let statistics = DurationStatistics(seconds: [3600, 60, 120])
        #expect(statistics.mean == 1260)
        #expect(statistics.median == 120)
        #expect(statistics.p90 == 3600)
        #expect(statistics.p95 == 3600)
    }

    @Test func ties() {
        // Sorted [5, 5, 5, 5, 5, 7, 7, 7, 7, 100], n = 10. Sum 25 + 28 + 100 = 153, mean 15.3.
        // Median (5th + 6th) / 2 = (5 + 7) / 2 = 6. p90 rank 9 → 7. p95 rank ⌈9.5⌉ = 10 → 100.
        let statistics = DurationStatistics(seconds: [5, 5, 5, 7, 7, 100, 5, 7, 5, 7], excluded: ["reopened": 1])
        #expect(statistics.count == 10)
        #expect(statistics.mean == 15.3)
        #expect(statistics.median == 6)
        #expect(statistics.p90 == 7)
        #expect(statistics.p95 == 100)
        #expect(statistics.maximum == 100)
        #expect(statistics.excludedCount == 1)
    }

    @Test func twentyMinutes() {
        // 60, 120, …, 1200 seconds, n = 20. Mean 60 × 210 / 20 = 630. Median (600 + 660) / 2 = 630.
        // p90 rank 18 → 1080. p95 rank 19 → 1140: exactly 95% of the values are ≤ 1140.
        let statistics = DurationStatistics(seconds: (1...20).reversed().map { Int64($0) * 60 })
        #expect(statistics.mean == 630)
        #expect(statistics.median == 630)
        #expect(statistics.p90 == 1080)
        #expect(statistics.p95 == 1140)
        #expect(statistics.maximum == 1200)
    }

    @Test func meanDoesNotOverflow() {
        // Two values near Int64.max: their sum overflows 64 bits, their mean does not.
        let big = Int64.max - 1
        let statistics = DurationStatistics(seconds: [big, big])
        #expect(statistics.mean == Double(big))
        #expect(statistics.median == Double(big))
    }

    /// An even count whose middle values differ by an odd number of seconds has a median on a half
    /// second: JSON and CSV keep it, text rounds it to the nearest second, a half to even.
    @Test func aMedianOnAHalfSecondIsKeptAndShownRoundedHalfToEven() {
        #expect(DurationStatistics(seconds: [2, 1]).median == 1.5)
        let lower = DurationStatistics(seconds: [10, 90, 91, 500])
        #expect(lower.median == 90.5)
        #expect(MetricFormatting.duration(lower.median!) == "1m 30s")
        #expect(MetricFormatting.number(lower.median!) == "90.5")
        let upper = DurationStatistics(seconds: [91, 92])
        #expect(upper.median == 91.5)
        #expect(MetricFormatting.duration(upper.median!) == "1m 32s")
        #expect(MetricFormatting.number(DurationStatistics(seconds: [90, 92]).median!) == "91")
        let value = MetricValue(kind: .duration, samples: [Sample(90), Sample(91)], excluded: [:])
        #expect(value.headline == 90.5)
        #expect(ReviewCSV.cells(metric: "m", version: 1, value: value)[6] == "90.5")
    }

    @Test func percentileEdges() {
        #expect(Percentile.nearestRank([], 50) == nil)
        #expect(Percentile.nearestRank([1, 2, 3], .nan) == nil)
        #expect(Percentile.nearestRank([1, 2, 3], 0) == 1)
        #expect(Percentile.nearestRank([1, 2, 3], -5) == 1)
        #expect(Percentile.nearestRank([1, 2, 3], 100) == 3)
        #expect(Percentile.nearestRank([1, 2, 3], 250) == 3)
        // [10, 20, 30, 40]: p25 rank 1 → 10; p25.5 rank ⌈1.02⌉ = 2 → 20; p50 rank 2 → 20; p75 rank 3 → 30.
        #expect(Percentile.nearestRank([10, 20, 30, 40], 25) == 10)
        #expect(Percentile.nearestRank([10, 20, 30, 40], 25.5) == 20)
        #expect(Percentile.nearestRank([10, 20, 30, 40], 50) == 20)
        #expect(Percentile.nearestRank([10, 20, 30, 40], 75) == 30)
    }

    /// Nearest rank against its definition, checked the slow way: the smallest value v in the
    /// list such that at least p% of the values are ≤ v.
    @Test func nearestRankMatchesItsDefinitionOnRandomData() {
        var generator = SeededGenerator(seed: 2026)
        func reference(_ sorted: [Int64], _ p: Double) -> Int64? {
            sorted.first { candidate in
                let atMost = sorted.count { $0 <= candidate }
                return Double(atMost) * 100 >= p * Double(sorted.count)
            }
        }
        for _ in 0..<200 {
            let count = Int.random(in: 1...100, using: &generator)
            // A small range makes ties common.
            let range: ClosedRange<Int64> = Bool.random(using: &generator) ? 0...20 : -1_000_000...1_000_000
            let values = (0..<count).map { _ in Int64.random(in: range, using: &generator) }
            let sorted = values.sorted()
            // Binary fractions only, so that p × n is exact in the reference too.
            let fractional = Double(Int.random(in: 0...99, using: &generator)) + [0, 0.25, 0.5, 0.75][Int.random(in: 0...3, using: &generator)]
            for p in [0, 1, 25, 50, 90, 95, 99, 100, fractional] {
                #expect(Percentile.nearestRank(sorted, p) == reference(sorted, p), "p\(p) of \(sorted)")
            }
            let statistics = DurationStatistics(seconds: values)
            // The median from its definition: the lower middle value (nearest rank 50) and the
            // smallest value with more than half of the values at or below it, averaged.
            let upperMiddle = sorted.first { candidate in sorted.count { $0 <= candidate } * 2 > sorted.count }
            #expect(statistics.median == (Double(reference(sorted, 50)!) + Double(upperMiddle!)) / 2, "median of \(sorted)")
            #expect(statistics.p90 == reference(sorted, 90))
            #expect(statistics.p95 == reference(sorted, 95))
            #expect(statistics.maximum == sorted.last)
            #expect(statistics.count == count)
        }
    }
}

/// Figures from fewer than five observations are marked, never hidden.
@Suite struct SmallSampleTests {
    @Test func fewerThanFiveObservationsAndMoreThanNoneMakeASmallSample() {
        func value(_ kind: MetricKind, _ values: [Int64]) -> MetricValue {
            MetricValue(kind: kind, samples: values.map { Sample($0) }, excluded: [:])
        }
        #expect(MetricValue.smallSampleThreshold == 5)
        // An NPS of +100 from one answer.
        let one = value(.nps, [10])
        #expect(one.ratio == 100 && one.smallSample)
        #expect(MetricFormatting.markedHeadline(one) == "+100†")
        #expect(value(.duration, [60, 60, 60, 60]).smallSample)
        #expect(!value(.duration, [60, 60, 60, 60, 60]).smallSample)
        #expect(MetricFormatting.markedHeadline(value(.duration, [60, 60, 60, 60, 60])) == "1m 00s")
        // No observation is no figure at all ("—"), not a small one.
        #expect(!value(.share, []).smallSample)
    }
}
