import LedgerTestSupport
import Testing
@testable import Metrics

/// Hand-worked statistics; nearest rank is ⌈p/100 × n⌉, 1-based, in the sorted values.
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
        // Sorted [10, 30]. Mean 40 / 2 = 20. Median rank ⌈0.5 × 2⌉ = 1 → 10 (the lower middle
        // value, not 20). p90 rank ⌈1.8⌉ = 2 → 30. p95 rank ⌈1.9⌉ = 2 → 30.
        let statistics = DurationStatistics(seconds: [30, 10])
        #expect(statistics.count == 2)
        #expect(statistics.mean == 20)
        #expect(statistics.median == 10)
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
        // Median rank 5 → 5. p90 rank 9 → 7. p95 rank ⌈9.5⌉ = 10 → 100.
        let statistics = DurationStatistics(seconds: [5, 5, 5, 7, 7, 100, 5, 7, 5, 7], excluded: ["reopened": 1])
        #expect(statistics.count == 10)
        #expect(statistics.mean == 15.3)
        #expect(statistics.median == 5)
        #expect(statistics.p90 == 7)
        #expect(statistics.p95 == 100)
        #expect(statistics.maximum == 100)
        #expect(statistics.excludedCount == 1)
    }

    @Test func twentyMinutes() {
        // 60, 120, …, 1200 seconds, n = 20. Mean 60 × 210 / 20 = 630. Median rank 10 → 600.
        // p90 rank 18 → 1080. p95 rank 19 → 1140: exactly 95% of the values are ≤ 1140.
        let statistics = DurationStatistics(seconds: (1...20).reversed().map { Int64($0) * 60 })
        #expect(statistics.mean == 630)
        #expect(statistics.median == 600)
        #expect(statistics.p90 == 1080)
        #expect(statistics.p95 == 1140)
        #expect(statistics.maximum == 1200)
    }

    @Test func meanDoesNotOverflow() {
        // Two values near Int64.max: their sum overflows 64 bits, their mean does not.
        let big = Int64.max - 1
        let statistics = DurationStatistics(seconds: [big, big])
        #expect(statistics.mean == Double(big))
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
            #expect(statistics.median == reference(sorted, 50))
            #expect(statistics.p90 == reference(sorted, 90))
            #expect(statistics.p95 == reference(sorted, 95))
            #expect(statistics.maximum == sorted.last)
            #expect(statistics.count == count)
        }
    }
}
