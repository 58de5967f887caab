import Foundation

/// The review's figures as CSV (RFC 4180), one row per metric and period, for spreadsheets.
public enum ReviewCSV {
    public static let header = ["period", "metric", "version", "kind", "n", "excluded", "mean", "median", "p90", "p95", "max", "total", "ratio"]

    public static func render(_ review: QuarterlyReview) -> String {
        var lines = [header.joined(separator: ",")]
        for (period, pick) in [(review.period.name, \QuarterlyReview.Row.current), (review.previousPeriod.name, \QuarterlyReview.Row.previous)] {
            for row in review.rows {
                lines.append(Self.row([period] + cells(metric: row.metric, version: review.source.metricVersions[row.metric] ?? 0, value: row[keyPath: pick])))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The cells of one metric's value, after the period: metric, version, kind, n, excluded, mean,
    /// median, p90, p95, max, total, ratio.
    public static func cells(metric: String, version: Int, value: MetricValue) -> [String] {
        let s = value.statistics
        return [
            metric, String(version), value.kind.rawValue, String(value.count), String(value.excludedTotal),
            s?.mean.map { String($0) } ?? "", s?.median.map(MetricFormatting.number) ?? "", s?.p90.map(String.init) ?? "", s?.p95.map(String.init) ?? "",
            s?.maximum.map(String.init) ?? "", value.total.map(String.init) ?? "", value.ratio.map { String($0) } ?? "",
        ]
    }

    /// One CSV row, fields quoted where needed.
    public static func row(_ cells: [String]) -> String { cells.map(field).joined(separator: ",") }

    /// Quotes a field when it holds a comma, quote or line break.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension MetricValue {
    /// Observations left out, over all reasons.
    public var excludedTotal: Int { excluded.values.reduce(0, +) }
}
