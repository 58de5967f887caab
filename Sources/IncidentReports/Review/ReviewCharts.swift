import Foundation
import IncidentMetrics

/// The review's charts as inline SVG: no script, no network, readable when printed.
enum ReviewCharts {
    static let width = 720.0, height = 260.0
    static let left = 64.0, right = 16.0, top = 16.0, bottom = 44.0
    static let font = "font-family=\"system-ui, DejaVu Sans, sans-serif\" font-size=\"11\""

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A trend: median and p90 per period as two lines with points; periods without data are gaps.
    static func trend(_ points: [(label: String, median: Int64?, p90: Int64?, n: Int)], title: String) -> String {
        let maximum = Double(max(points.compactMap(\.p90).max() ?? 0, points.compactMap(\.median).max() ?? 0, 1))
        let scale = niceCeiling(maximum)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let step = plotWidth / Double(max(points.count, 1))
        func x(_ index: Int) -> Double { left + step * (Double(index) + 0.5) }
        func y(_ value: Int64) -> Double { top + plotHeight - plotHeight * Double(value) / scale }
        var svg = header(title)
        svg += axes(scale: scale, format: { MetricFormatting.duration(Int64($0)) })
        for (index, point) in points.enumerated() {
            svg += "<text x=\"\(number(x(index)))\" y=\"\(number(height - bottom + 16))\" text-anchor=\"middle\" \(font) fill=\"#5b6575\">\(HTML.escape(String(point.label.suffix(5))))</text>\n"
        }
        for (series, color, key) in [("p90", "#b42318", \(label: String, median: Int64?, p90: Int64?, n: Int).p90), ("median", "#1f5fa8", \.median)] {
            var path = ""
            var pen = false
            for (index, point) in points.enumerated() {
                guard let value = point[keyPath: key] else { pen = false; continue }
                path += "\(pen ? "L" : "M")\(number(x(index))) \(number(y(value))) "
                pen = true
            }
            if !path.isEmpty { svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n" }
            for (index, point) in points.enumerated() {
                guard let value = point[keyPath: key] else { continue }
                svg += "<circle cx=\"\(number(x(index)))\" cy=\"\(number(y(value)))\" r=\"3.5\" fill=\"\(color)\"><title>\(HTML.escape(point.label)): \(series) \(HTML.escape(MetricFormatting.duration(value))), n=\(point.n)</title></circle>\n"
            }
        }
        svg += legend([("median", "#1f5fa8"), ("p90", "#b42318")])
        return svg + "</svg>\n"
    }

    /// Vertical bars with a label under each and the value over it.
    static func bars(_ bars: [(label: String, value: Double, text: String)], title: String, scaleMaximum: Double? = nil, format: (Double) -> String) -> String {
        // Four gridlines: a count scale is a multiple of 4, so every gridline is a whole number.
        let scale = scaleMaximum ?? (niceCeiling(max(bars.map(\.value).max() ?? 0, 1)) / 4).rounded(.up) * 4
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let step = plotWidth / Double(max(bars.count, 1))
        var svg = header(title)
        svg += axes(scale: scale, format: format)
        for (index, bar) in bars.enumerated() {
            let barHeight = plotHeight * min(bar.value, scale) / scale
            let x = left + step * Double(index) + step * 0.15
            let y = top + plotHeight - barHeight
            svg += "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(step * 0.7))\" height=\"\(number(barHeight))\" fill=\"#1f5fa8\"><title>\(HTML.escape(bar.label)): \(HTML.escape(bar.text))</title></rect>\n"
            svg += "<text x=\"\(number(x + step * 0.35))\" y=\"\(number(y - 4))\" text-anchor=\"middle\" \(font) fill=\"#1d2430\">\(HTML.escape(bar.text))</text>\n"
            svg += "<text x=\"\(number(x + step * 0.35))\" y=\"\(number(height - bottom + 16))\" text-anchor=\"middle\" \(font) fill=\"#5b6575\">\(HTML.escape(bar.label))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// The bands of the heat map of time to first reply: an upper bound in seconds (nil: the rest), a fill and a label.
    static let heatBands: [(below: Int64?, fill: String, label: String)] = [
        (900, "#1a7f37", "< 15 min"), (3600, "#8cc265", "15–60 min"), (4 * 3600, "#f2c14e", "1–4 h"), (nil, "#b42318", "≥ 4 h"),
    ]

    /// A heat map of the week: one row per day (Monday first), one cell per hour, coloured by the
    /// median time to first reply of the messages received then; grey where none came, hatched
    /// (outlined red) where some came and none was answered.
    static func heatMap(_ cells: [QuarterlyReview.HourOfWeek], title: String) -> String {
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let cellWidth = (width - left - right) / 24, cellHeight = 24.0
        let mapHeight = top + cellHeight * 7 + 52
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(mapHeight))\" role=\"img\" aria-label=\"\(HTML.escape(title))\">\n<title>\(HTML.escape(title))</title>\n"
        for (index, day) in days.enumerated() {
            svg += "<text x=\"\(number(left - 8))\" y=\"\(number(top + cellHeight * (Double(index) + 0.5) + 4))\" text-anchor=\"end\" \(font) fill=\"#5b6575\">\(day)</text>\n"
        }
        for hour in stride(from: 0, to: 24, by: 3) {
            svg += "<text x=\"\(number(left + cellWidth * (Double(hour) + 0.5)))\" y=\"\(number(top + cellHeight * 7 + 14))\" text-anchor=\"middle\" \(font) fill=\"#5b6575\">\(String(format: "%02d", hour))</text>\n"
        }
        for cell in cells {
            let x = left + cellWidth * Double(cell.hour), y = top + cellHeight * Double(cell.day)
            let fill: String
            var stroke = "#ffffff"
            var detail = "\(days[cell.day]) \(String(format: "%02d:00", cell.hour)): \(cell.messages) message\(cell.messages == 1 ? "" : "s")"
            if let median = cell.medianSeconds {
                fill = heatBands.first { $0.below.map { median < Double($0) } ?? true }!.fill
                detail += ", median first reply \(MetricFormatting.duration(MetricFormatting.wholeSeconds(median)))"
            } else {
                fill = "#eef1f5"
                if cell.messages > 0 { stroke = "#b42318" }
            }
            if cell.unanswered > 0 { detail += ", \(cell.unanswered) unanswered" }
            svg += "<rect x=\"\(number(x + 1))\" y=\"\(number(y + 1))\" width=\"\(number(cellWidth - 2))\" height=\"\(number(cellHeight - 2))\" fill=\"\(fill)\" stroke=\"\(stroke)\"><title>\(HTML.escape(detail))</title></rect>\n"
        }
        let legendY = top + cellHeight * 7 + 26
        for (index, band) in (heatBands.map { ($0.label, $0.fill) } + [("no message", "#eef1f5")]).enumerated() {
            let x = left + Double(index) * 110
            svg += "<rect x=\"\(number(x))\" y=\"\(number(legendY))\" width=\"14\" height=\"10\" fill=\"\(band.1)\"/><text x=\"\(number(x + 18))\" y=\"\(number(legendY + 9))\" \(font) fill=\"#1d2430\">\(HTML.escape(band.0))</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func header(_ title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\">\n<title>\(HTML.escape(title))</title>\n"
    }

    /// The y axis with four gridlines, labelled by `format`, and the x axis line.
    static func axes(scale: Double, format: (Double) -> String) -> String {
        let plotHeight = height - top - bottom
        var svg = ""
        for tick in 0...4 {
            let value = scale * Double(tick) / 4
            let y = top + plotHeight - plotHeight * Double(tick) / 4
            svg += "<line x1=\"\(number(left))\" x2=\"\(number(width - right))\" y1=\"\(number(y))\" y2=\"\(number(y))\" stroke=\"#d9dee6\"/>\n"
            svg += "<text x=\"\(number(left - 6))\" y=\"\(number(y + 4))\" text-anchor=\"end\" \(font) fill=\"#5b6575\">\(HTML.escape(format(value)))</text>\n"
        }
        return svg
    }

    static func legend(_ entries: [(String, String)]) -> String {
        var svg = ""
        for (index, (label, color)) in entries.enumerated() {
            let x = width - right - 150 + Double(index) * 75
            svg += "<rect x=\"\(number(x))\" y=\"\(number(height - 14))\" width=\"12\" height=\"4\" fill=\"\(color)\"/><text x=\"\(number(x + 16))\" y=\"\(number(height - 9))\" \(font) fill=\"#1d2430\">\(label)</text>\n"
        }
        return svg
    }

    /// 1, 2 or 5 × a power of ten, or a round duration, at least `value`.
    static func niceCeiling(_ value: Double) -> Double {
        let durations: [Double] = [60, 300, 600, 1800, 3600, 7200, 14_400, 28_800, 43_200, 86_400, 172_800, 345_600, 604_800, 1_209_600, 2_592_000]
        if value > 50, let round = durations.first(where: { $0 >= value }) { return round }
        let power = pow(10, floor(log10(value)))
        for factor in [1.0, 2, 5, 10] where factor * power >= value { return factor * power }
        return value
    }
}
