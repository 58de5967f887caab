import Foundation

/// How figures are written in reviews and `incidents metrics`: one place, so every format agrees.
public enum MetricFormatting {
    /// `45s`, `12m 30s`, `3h 05m`, `2d 04h`; negative durations with a leading minus.
    public static func duration(_ seconds: Int64) -> String {
        if seconds < 0 { return "-" + duration(-seconds) }
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m \(pad(seconds % 60))s" }
        if seconds < 86_400 { return "\(seconds / 3600)h \(pad(seconds % 3600 / 60))m" }
        return "\(seconds / 86_400)d \(pad(seconds % 86_400 / 3600))h"
    }

    /// A duration that need not be whole seconds (a mean, or a median on a half second), shown to the
    /// nearest second, a half second rounded to even (90.5 s as `1m 30s`, 91.5 s as `1m 32s`).
    public static func duration(_ seconds: Double) -> String { duration(wholeSeconds(seconds)) }

    /// The nearest whole second, a half rounded to even: how text shows a median; JSON and CSV keep the half.
    public static func wholeSeconds(_ seconds: Double) -> Int64 { Int64(seconds.rounded(.toNearestOrEven)) }

    /// A median or other value as JSON and CSV write it: `90` when whole, `90.5` otherwise.
    public static func number(_ value: Double) -> String { value == value.rounded() ? String(Int64(value)) : String(value) }

    /// How the median and percentiles are computed, as every report's footnote says it.
    public static let statisticsNote = "Durations and counts are headed by their median: the middle value, or the mean of the two middle values of an even count, as a spreadsheet's MEDIAN gives it (text shows a duration to the nearest second, a half rounded to even; counts, JSON and CSV keep the half); p90 and p95 by nearest rank, each one of the measured values."

    /// Appended in text and Markdown to a figure from a small sample (``MetricValue/smallSample``).
    public static let smallSampleMarker = "†"

    /// What a figure from a small sample means, in every format.
    public static let smallSampleMeaning = "n < \(MetricValue.smallSampleThreshold): too few to compare"

    /// The footnote to figures marked with ``smallSampleMarker``.
    public static let smallSampleNote = "\(smallSampleMarker) \(smallSampleMeaning)."

    /// The headline of a value, with ``smallSampleMarker`` when it rests on a small sample.
    public static func markedHeadline(_ value: MetricValue) -> String {
        headline(value) + (value.smallSample ? smallSampleMarker : "")
    }

    static func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }

    public static func percent(_ ratio: Double) -> String { String(format: "%.1f%%", ratio * 100) }

    public static func decimal(_ value: Double) -> String { String(format: "%.2f", value) }

    /// The headline of a value, or `—` when there is none.
    public static func headline(_ value: MetricValue) -> String {
        guard let figure = value.headline else { return "—" }
        return headline(figure, kind: value.kind)
    }

    public static func headline(_ figure: Double, kind: MetricKind) -> String {
        switch kind {
        case .duration: duration(figure)
        case .count, .tally: figure == figure.rounded() ? String(Int64(figure)) : decimal(figure)
        case .share: percent(figure)
        case .rate: decimal(figure) + "/h"
        case .average: decimal(figure)
        case .nps: String(format: "%+.0f", figure)
        }
    }

    /// A change between two headlines: durations as a signed duration, shares in percentage points.
    public static func change(_ change: Double?, kind: MetricKind) -> String {
        guard let change else { return "—" }
        let sign = change > 0 ? "+" : ""
        switch kind {
        case .duration: return (change > 0 ? "+" : "") + duration(change)
        case .share: return sign + String(format: "%.1f pts", change * 100)
        case .nps: return sign + String(format: "%.0f", change)
        case .count, .tally: return sign + (change == change.rounded() ? String(Int64(change)) : decimal(change))
        case .rate, .average: return sign + decimal(change)
        }
    }

    /// The secondary figures: p90/p95/max for durations, totals for counts, yes of n for shares.
    public static func detail(_ value: MetricValue) -> String {
        switch value.kind {
        case .duration:
            guard let s = value.statistics, let p90 = s.p90, let p95 = s.p95, let max = s.maximum, let mean = s.mean else { return "" }
            return "mean \(duration(mean)), p90 \(duration(p90)), p95 \(duration(p95)), max \(duration(max))"
        case .count:
            guard let s = value.statistics, let p90 = s.p90, let mean = s.mean else { return "" }
            return "total \(value.total ?? 0), mean \(decimal(mean)), p90 \(p90), max \(s.maximum ?? 0)"
        case .tally: return ""
        case .share:
            var text = "\(value.total ?? 0) of \(value.count)"
            if let misses = value.misses, let median = misses.median, let max = misses.maximum {
                text += "; misses by median \(duration(median)), max \(duration(max))"
            }
            return text
        case .rate: return "\(value.total ?? 0) in all"
        case .average:
            guard let s = value.statistics, let median = s.median else { return "" }
            return "median \(number(median))"
        case .nps: return ""
        }
    }

    /// `still open 3, unanswered 1`, reasons sorted.
    public static func excluded(_ value: MetricValue) -> String {
        value.excluded.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
