import Foundation
import IncidentProjections

/// The review's charts as inline SVG: no script, no network, readable when printed.
enum ReviewCharts {
    static let width = 720.0, height = 260.0
    static let left = 64.0, right = 16.0, top = 16.0, bottom = 44.0
    static let font = "font-family=\"system-ui, DejaVu Sans, sans-serif\" font-size=\"11\""

    static func escape(_ text: String) -> String { PostmortemHTML.escape(text) }
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
            svg += "<text x=\"\(number(x(index)))\" y=\"\(number(height - bottom + 16))\" text-anchor=\"middle\" \(font) fill=\"#5b6575\">\(escape(String(point.label.suffix(5))))</text>\n"
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
                svg += "<circle cx=\"\(number(x(index)))\" cy=\"\(number(y(value)))\" r=\"3.5\" fill=\"\(color)\"><title>\(escape(point.label)): \(series) \(escape(MetricFormatting.duration(value))), n=\(point.n)</title></circle>\n"
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
            svg += "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(step * 0.7))\" height=\"\(number(barHeight))\" fill=\"#1f5fa8\"><title>\(escape(bar.label)): \(escape(bar.text))</title></rect>\n"
            svg += "<text x=\"\(number(x + step * 0.35))\" y=\"\(number(y - 4))\" text-anchor=\"middle\" \(font) fill=\"#1d2430\">\(escape(bar.text))</text>\n"
            svg += "<text x=\"\(number(x + step * 0.35))\" y=\"\(number(height - bottom + 16))\" text-anchor=\"middle\" \(font) fill=\"#5b6575\">\(escape(bar.label))</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func header(_ title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\">\n<title>\(escape(title))</title>\n"
    }

    /// The y axis with four gridlines, labelled by `format`, and the x axis line.
    static func axes(scale: Double, format: (Double) -> String) -> String {
        let plotHeight = height - top - bottom
        var svg = ""
        for tick in 0...4 {
            let value = scale * Double(tick) / 4
            let y = top + plotHeight - plotHeight * Double(tick) / 4
            svg += "<line x1=\"\(number(left))\" x2=\"\(number(width - right))\" y1=\"\(number(y))\" y2=\"\(number(y))\" stroke=\"#d9dee6\"/>\n"
            svg += "<text x=\"\(number(left - 6))\" y=\"\(number(y + 4))\" text-anchor=\"end\" \(font) fill=\"#5b6575\">\(escape(format(value)))</text>\n"
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
