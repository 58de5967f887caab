import IncidentEvents
import LedgerModel
public import IncidentProjections

/// The incident on a time axis, as inline SVG: milestones and the impact, the status phases as
/// coloured bands, public updates (with their promises, missed ones in red), customer messages
/// (with their first replies) and escalations on rows of their own, a time scale in UTC and a legend.
///
/// Pure text, no scripts, no fonts or images from outside; every label from an event is escaped.
/// Coordinates are whole numbers, so the same report always draws the same bytes.
public enum TimelineSVG {
    static let width = 1000
    static let plotLeft = 160
    static let plotRight = 975
    static let labelFont = 11
    /// A generous estimate of a label's width per character at ``labelFont``, so labels never overlap.
    static let characterWidth = 6.6

    /// Phase colours: from hot (investigating) to calm (resolved); closed is grey.
    static func colour(_ phase: IncidentPhase) -> String {
        switch phase {
        case .investigating: "#d9485f"
        case .identified: "#f08c3a"
        case .mitigated: "#f2c94c"
        case .monitoring: "#4fa3d1"
        case .resolved: "#5bb06a"
        case .closed: "#9aa3ad"
        }
    }

    static let updateColour = "#1f5fa8"
    static let messageColour = "#c2410c"
    static let escalationColour = "#7b3fa0"
    static let missedColour = "#c81e1e"
    static let milestoneColour = "#1d2430"
    static let mutedColour = "#5b6575"
    static let gridColour = "#e3e7ec"
    static let promiseColour = "#8a94a3"

    /// The time span drawn, and what falls outside it.
    struct Axis {
        var start: Int64
        var end: Int64
        /// Events of the drawn rows left out because they came long after the resolution.
        var omitted: Int

        func x(_ time: Timestamp) -> Int {
            let span = Double(end - start)
            let fraction = span > 0 ? Double(time.microsecondsSinceEpoch - start) / span : 0
            return TimelineSVG.plotLeft + Int((fraction * Double(TimelineSVG.plotRight - TimelineSVG.plotLeft)).rounded())
        }

        func contains(_ time: Timestamp) -> Bool { time.microsecondsSinceEpoch >= start && time.microsecondsSinceEpoch <= end }
    }

    public static func render(_ report: PostmortemReport) -> String {
        guard let axis = axis(report) else { return "" }
        var body = SVGWriter()
        let figures = report.figures
        var y = 8

        // Row: milestones over the impact bar.
        let milestones = PostmortemText.impactMoments(report).compactMap { row -> (String, Timestamp)? in
            guard let moment = row.moment, axis.contains(moment.at) else { return nil }
            // A mitigation stopped by the resolution is the resolution: draw it once.
            if row.label == "Mitigated", moment.kind != .mitigated { return nil }
            let name = row.label == "Impact started" ? "impact" : row.label.lowercased()
            return (name, moment.at)
        }
        var rowBody = SVGWriter()
        var placer = LabelPlacer()
        let lanes = placer.place(milestones.map { (axis.x($0.1), $0.0) })
        let impactTop = y + 6 + placer.laneCount * 14
        if let start = figures.duration.start?.at ?? report.phases.first?.from {
            let stop = figures.duration.stop.map { axis.x($0.at) } ?? plotRight
            rowBody.rect(x: axis.x(start), y: impactTop + 4, width: max(2, stop - axis.x(start)), height: 10, fill: "#f4c7c3", stroke: "#d9485f", title: "Impact: \(figures.duration.seconds.map(PostmortemText.duration) ?? "ongoing")")
        }
        for (index, milestone) in milestones.enumerated() {
            let x = axis.x(milestone.1)
            rowBody.diamond(x: x, y: impactTop + 9, size: 6, fill: milestoneColour, title: "\(milestone.0) \(milestone.1.rfc3339)")
            if let lane = lanes[index] {
                let labelY = impactTop - 4 - lane * 14
                rowBody.line(x1: x, y1: labelY + 2, x2: x, y2: impactTop + 3, stroke: "#b8c0ca", width: 1)
                rowBody.text(x: x, y: labelY, milestone.0, anchor: "middle", size: labelFont, fill: milestoneColour, halo: true)
            }
        }
        let impactHeight = impactTop + 22 - y
        body.rowLabel("Impact", y: y, height: impactHeight)
        body.append(rowBody)
        let rowsTop = y
        y += impactHeight + 6

        // Row: status phases.
        let statusTop = y
        for (index, phase) in report.phases.enumerated() {
            let from = max(phase.from.microsecondsSinceEpoch, axis.start)
            let to = index + 1 < report.phases.count ? min(report.phases[index + 1].from.microsecondsSinceEpoch, axis.end) : axis.end
            guard to > from else { continue }
            let x1 = axis.x(Timestamp(microsecondsSinceEpoch: from))
            let x2 = axis.x(Timestamp(microsecondsSinceEpoch: to))
            body.rect(x: x1, y: y, width: max(1, x2 - x1), height: 26, fill: colour(phase.phase), stroke: "#ffffff", title: "\(phase.phase.rawValue) from \(phase.from.rfc3339) (#\(phase.position))")
            let label = phase.phase.rawValue
            if Double(x2 - x1) > Double(label.count) * characterWidth + 8 {
                body.text(x: (x1 + x2) / 2, y: y + 17, label, anchor: "middle", size: labelFont, fill: phase.phase == .mitigated ? "#3d3200" : "#ffffff", weight: "600")
            }
        }
        body.rowLabel("Status", y: statusTop, height: 26)
        y += 26 + 10

        // Row: public updates, their promises and the missed ones.
        let updates = report.updates.filter { axis.contains($0.at) }
        y = markRow(&body, title: "Public updates", top: y, axis: axis, below: 14, marks: updates.enumerated().map { index, update in
            var extras = [SVGWriter.Shape]()
            if let promise = update.nextUpdateBy {
                // Each promise runs below the marks, on one of two lines, so consecutive ones stay apart.
                let offset = index % 2 == 0 ? 10 : 16
                let promiseX = axis.x(Timestamp(microsecondsSinceEpoch: min(promise.microsecondsSinceEpoch, axis.end)))
                extras.append(.promise(from: axis.x(update.at), to: promiseX, offset: offset, title: "U\(update.number) promised the next update by \(promise.rfc3339)"))
                if let missed = update.missedPromise {
                    let until = missed.fulfilledAt.map { min($0.microsecondsSinceEpoch, axis.end) } ?? axis.end
                    extras.append(.missed(from: promiseX, to: axis.x(Timestamp(microsecondsSinceEpoch: until)), offset: offset, title: "Missed promise: \(PostmortemText.missed(missed))"))
                }
            }
            return Mark(x: axis.x(update.at), label: "U\(update.number)", shape: .circle(updateColour), title: "U\(update.number) \(update.at.rfc3339) \(update.status.rawValue): \(update.text)", extras: extras)
        })

        // Row: customer messages and their first replies; for a busy incident, counts per interval.
        let replies = Dictionary(figures.firstReplies.map { ($0.messageId, $0) }, uniquingKeysWith: { first, _ in first })
        let messages = report.messages.filter { axis.contains($0.at) }
        if report.messages.count > PostmortemText.busyMessages {
            y = countRow(&body, title: "Customer messages", top: y, axis: axis, messages: messages, replies: replies)
        } else { y = markRow(&body, title: "Customer messages", top: y, axis: axis, marks: messages.map { message in
            var extras = [SVGWriter.Shape]()
            let reply = replies[message.messageId]
            if let stop = reply?.figure.stop {
                let to = axis.x(Timestamp(microsecondsSinceEpoch: min(stop.at.microsecondsSinceEpoch, axis.end)))
                extras.append(.reply(from: axis.x(message.at), to: to, title: "First reply \(stop.at.rfc3339), after \(reply?.figure.seconds.map(PostmortemText.duration) ?? "")"))
            } else {
                extras.append(.unanswered(from: axis.x(message.at), to: plotRight, title: "\(message.messageId) unanswered"))
            }
            let waited = reply?.figure.seconds.map { ", first reply after \(PostmortemText.duration($0))" } ?? ", unanswered"
            return Mark(x: axis.x(message.at), label: message.messageId, shape: .triangle(messageColour), title: "\(message.messageId) from \(message.customer) via \(message.channel.rawValue) at \(message.at.rfc3339)\(waited)", extras: extras)
        }) }

        // Row: escalations.
        let escalations = report.escalations.filter { axis.contains($0.raisedAt) }
        y = markRow(&body, title: "Escalations", top: y, axis: axis, marks: escalations.map { escalation in
            var extras = [SVGWriter.Shape]()
            if let closed = escalation.closedAt {
                let to = axis.x(Timestamp(microsecondsSinceEpoch: min(closed.microsecondsSinceEpoch, axis.end)))
                extras.append(.span(from: axis.x(escalation.raisedAt), to: to, colour: escalationColour, closed: axis.contains(closed), title: "\(escalation.id) closed \(closed.rfc3339)"))
            }
            let level = PostmortemText.words(escalation.toLevel.rawValue)
            return Mark(x: axis.x(escalation.raisedAt), label: "\(escalation.id) → \(level)", shape: .square(escalationColour), title: "\(escalation.id) \(escalation.raisedAt.rfc3339): \(PostmortemText.words(escalation.fromLevel.rawValue)) → \(level) (\(PostmortemText.words(escalation.reason.rawValue)))", extras: extras)
        })

        // Grid and time scale.
        let rowsBottom = y
        var grid = SVGWriter()
        let ticks = Self.ticks(axis)
        for tick in ticks {
            let x = axis.x(Timestamp(microsecondsSinceEpoch: tick.time))
            grid.line(x1: x, y1: rowsTop, x2: x, y2: rowsBottom + 4, stroke: gridColour, width: 1)
        }
        y = rowsBottom + 4
        body.line(x1: plotLeft, y1: y, x2: plotRight, y2: y, stroke: mutedColour, width: 1)
        for tick in ticks {
            let x = axis.x(Timestamp(microsecondsSinceEpoch: tick.time))
            body.line(x1: x, y1: y, x2: x, y2: y + 5, stroke: mutedColour, width: 1)
            body.text(x: x, y: y + 18, tick.label, anchor: "middle", size: labelFont, fill: mutedColour)
            if let date = tick.date { body.text(x: x, y: y + 31, date, anchor: "middle", size: labelFont, fill: mutedColour, weight: "600") }
        }
        body.text(x: plotLeft - 10, y: y + 18, "UTC", anchor: "end", size: labelFont, fill: mutedColour, weight: "600")
        y += 44

        // Legend.
        var legend = SVGWriter()
        var x = plotLeft
        func item(_ width: Int, _ label: String, _ draw: (inout SVGWriter, Int, Int) -> Void) {
            let itemWidth = width + 8 + Int((Double(label.count) * characterWidth).rounded(.up)) + 18
            if x + itemWidth > plotRight {
                x = plotLeft
                y += 20
            }
            draw(&legend, x, y)
            legend.text(x: x + width + 8, y: y + 4, label, anchor: "start", size: labelFont, fill: "#1d2430")
            x += itemWidth
        }
        legend.text(x: plotLeft - 10, y: y + 4, "Legend", anchor: "end", size: labelFont, fill: mutedColour, weight: "600")
        for phase in IncidentPhase.allCases where phase != .closed || report.phases.contains(where: { $0.phase == .closed && axis.contains($0.from) }) {
            item(18, phase.rawValue) { svg, x, y in svg.rect(x: x, y: y - 5, width: 18, height: 12, fill: colour(phase), stroke: colour(phase), title: nil) }
        }
        item(12, "impact") { svg, x, y in svg.rect(x: x, y: y - 4, width: 12, height: 10, fill: "#f4c7c3", stroke: "#d9485f", title: nil) }
        item(10, "milestone") { svg, x, y in svg.diamond(x: x + 5, y: y + 1, size: 5, fill: milestoneColour, title: nil) }
        item(10, "public update") { svg, x, y in svg.circle(x: x + 5, y: y + 1, radius: 5, fill: updateColour, title: nil) }
        item(24, "next update promised by") { svg, x, y in svg.shape(.promise(from: x, to: x + 22, offset: 0, title: nil), y: y + 1) }
        item(24, "promise missed: late by") { svg, x, y in svg.shape(.missed(from: x, to: x + 22, offset: 0, title: nil), y: y + 1) }
        item(10, "customer message") { svg, x, y in svg.triangle(x: x + 5, y: y + 1, size: 6, fill: messageColour, title: nil) }
        item(28, "to first reply") { svg, x, y in svg.shape(.reply(from: x, to: x + 23, title: nil), y: y + 1) }
        item(24, "unanswered") { svg, x, y in svg.shape(.unanswered(from: x, to: x + 24, title: nil), y: y + 1) }
        item(10, "escalation raised") { svg, x, y in svg.square(x: x + 5, y: y + 1, size: 9, fill: escalationColour, title: nil) }
        item(28, "until closed") { svg, x, y in svg.shape(.span(from: x, to: x + 23, colour: escalationColour, closed: true, title: nil), y: y + 1) }
        y += 16
        if axis.omitted > 0 {
            legend.text(x: plotLeft, y: y + 6, "\(axis.omitted) later event\(axis.omitted == 1 ? "" : "s") (long after the resolution) not drawn; see the timeline.", anchor: "start", size: labelFont, fill: mutedColour)
            y += 18
        }
        let height = y + 4

        var out = ""
        out += #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(width) \#(height)" width="\#(width)" height="\#(height)" role="img" aria-labelledby="timeline-svg-title" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif">"#
        out += "\n<title id=\"timeline-svg-title\">\(HTML.escape("\(report.incident) on a time axis: status phases, public updates, customer messages and escalations"))</title>\n"
        out += #"<rect x="0" y="0" width="\#(width)" height="\#(height)" fill="\#(SVGWriter.white)"/>"# + "\n"
        out += grid.text
        out += body.text
        out += legend.text
        out += "</svg>\n"
        return out
    }

    /// One mark on a row: a shape at `x`, its label (placed only where it fits), and what it draws besides.
    struct Mark {
        var x: Int
        var label: String
        var shape: SVGWriter.MarkShape
        var title: String
        var extras: [SVGWriter.Shape]
    }

    /// Draws a row of marks with labels above them in as many lanes as needed; returns the next row's top.
    static func markRow(_ body: inout SVGWriter, title: String, top: Int, axis: Axis, below: Int = 0, marks: [Mark]) -> Int {
        var placer = LabelPlacer()
        let lanes = placer.place(marks.map { ($0.x, $0.label) })
        let lanesHeight = max(1, placer.laneCount) * 14
        let baseline = top + lanesHeight + 10
        let height = lanesHeight + 22 + below
        body.rect(x: plotLeft, y: top, width: plotRight - plotLeft, height: height, fill: "#f7f8fa", stroke: "none", title: nil)
        body.rowLabel(title, y: top, height: height)
        if marks.isEmpty {
            body.text(x: plotLeft + 8, y: top + height / 2 + 4, "none recorded", anchor: "start", size: labelFont, fill: mutedColour)
        }
        for mark in marks {
            for extra in mark.extras { body.shape(extra, y: baseline) }
        }
        for (index, mark) in marks.enumerated() {
            body.mark(mark.shape, x: mark.x, y: baseline, title: mark.title)
            if let lane = lanes[index] {
                let labelY = baseline - 10 - lane * 14
                body.text(x: mark.x, y: labelY, mark.label, anchor: "middle", size: labelFont, fill: "#1d2430", halo: true)
            }
        }
        return top + height + 8
    }

    /// How many intervals a busy incident's message row is divided into.
    static let messageIntervals = 40

    /// The customer messages of a busy incident as a bar per interval of the axis: its height the
    /// messages received then (the tallest bar labelled), the unanswered ones in red at its foot, and
    /// the counts and the slowest first reply of the interval on hover. Returns the next row's top.
    static func countRow(
        _ body: inout SVGWriter, title: String, top: Int, axis: Axis, messages: [PostmortemReport.CustomerMessage],
        replies: [String: ResponseFigures.FirstReply]
    ) -> Int {
        let height = 64, barsBottom = top + height - 6, tallest = 40
        body.rect(x: plotLeft, y: top, width: plotRight - plotLeft, height: height, fill: "#f7f8fa", stroke: "none", title: nil)
        body.rowLabel(title, y: top, height: height)
        var counts = [(messages: Int, unanswered: Int, slowest: Int64?)](repeating: (0, 0, nil), count: messageIntervals)
        let span = max(axis.end - axis.start, 1)
        for message in messages {
            let index = min(messageIntervals - 1, Int((message.at.microsecondsSinceEpoch - axis.start) * Int64(messageIntervals) / span))
            counts[index].messages += 1
            if let seconds = replies[message.messageId]?.figure.seconds {
                counts[index].slowest = max(counts[index].slowest ?? seconds, seconds)
            } else {
                counts[index].unanswered += 1
            }
        }
        let most = max(counts.map(\.messages).max() ?? 0, 1)
        let step = Double(plotRight - plotLeft) / Double(messageIntervals)
        var labelled = false
        for (index, count) in counts.enumerated() where count.messages > 0 {
            let from = Timestamp(microsecondsSinceEpoch: axis.start + span * Int64(index) / Int64(messageIntervals))
            let to = Timestamp(microsecondsSinceEpoch: axis.start + span * Int64(index + 1) / Int64(messageIntervals))
            let x = plotLeft + Int((step * Double(index)).rounded()) + 1
            let barWidth = max(2, Int(step.rounded(.down)) - 2)
            let barHeight = max(2, tallest * count.messages / most)
            var detail = "\(count.messages) message\(count.messages == 1 ? "" : "s") \(from.rfc3339) – \(to.rfc3339)"
            if let slowest = count.slowest { detail += "; slowest first reply \(PostmortemText.duration(slowest))" }
            if count.unanswered > 0 { detail += "; \(count.unanswered) unanswered" }
            body.rect(x: x, y: barsBottom - barHeight, width: barWidth, height: barHeight, fill: messageColour, stroke: "none", title: detail)
            if count.unanswered > 0 {
                let red = max(2, barHeight * count.unanswered / count.messages)
                body.rect(x: x, y: barsBottom - red, width: barWidth, height: red, fill: missedColour, stroke: "none", title: detail)
            }
            if !labelled, count.messages == most {
                labelled = true
                body.text(x: x + barWidth / 2, y: barsBottom - barHeight - 4, "\(count.messages)", anchor: "middle", size: labelFont, fill: "#1d2430", halo: true)
            }
        }
        body.text(x: plotRight - 4, y: top + 12, "\(messages.count) messages, counted per \(PostmortemText.duration(span / 1_000_000 / Int64(messageIntervals)))", anchor: "end", size: labelFont, fill: mutedColour)
        return top + height + 8
    }

    /// The axis: from the earliest to the latest drawn moment, padded; events long after the
    /// resolution (more than a quarter of the incident's length, at least 30 minutes) are left out.
    static func axis(_ report: PostmortemReport) -> Axis? {
        var times = [Timestamp]()
        times += PostmortemText.impactMoments(report).compactMap { $0.moment?.at }
        times += report.phases.map(\.from)
        let updates = report.updates
        let drawn = updates.map(\.at) + report.messages.map(\.at) + report.messages.compactMap(\.replies.first)
            + report.escalations.flatMap { [$0.raisedAt] + $0.steps.map(\.at) }
            + updates.compactMap { $0.nextUpdateBy } + updates.compactMap { $0.missedPromise?.fulfilledAt }
        guard let first = (times + drawn).min() else { return nil }
        var cutoff = Int64.max
        if let resolved = report.figures.duration.stop?.at {
            let start = report.figures.duration.start?.at ?? first
            let length = resolved.microsecondsSinceEpoch - start.microsecondsSinceEpoch
            cutoff = resolved.microsecondsSinceEpoch + max(length / 4, 1_800_000_000)
        }
        let kept = (times + drawn).filter { $0.microsecondsSinceEpoch <= cutoff }
        let omitted = (report.phases.map(\.from) + updates.map(\.at) + report.messages.map(\.at) + report.escalations.map(\.raisedAt))
            .count { $0.microsecondsSinceEpoch > cutoff }
        let start = first.microsecondsSinceEpoch
        var end = kept.max()?.microsecondsSinceEpoch ?? start
        if end - start < 600_000_000 { end = start + 600_000_000 }
        let pad = (end - start) / 40
        return Axis(start: start - pad, end: end + pad, omitted: omitted)
    }

    struct Tick {
        var time: Int64
        var label: String
        var date: String?
    }

    /// Ticks at a round step (a minute to a month) giving at most ten, labelled HH:MM, with the
    /// date under the first tick and wherever the day changes.
    static func ticks(_ axis: Axis) -> [Tick] {
        let steps: [Int64] = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800, 2_592_000]
        let span = (axis.end - axis.start) / 1_000_000
        let step: Int64 = steps.first(where: { span / $0 <= 10 }) ?? 2_592_000
        var ticks = [Tick]()
        var time = (axis.start / 1_000_000 / step + 1) * step
        var lastDay: String?
        while time * 1_000_000 <= axis.end {
            let text = Timestamp(microsecondsSinceEpoch: time * 1_000_000).rfc3339
            let day = dayLabel(text)
            let clock = String(text.dropFirst(11).prefix(5))
            if step >= 86_400 {
                ticks.append(Tick(time: time * 1_000_000, label: day, date: nil))
            } else {
                ticks.append(Tick(time: time * 1_000_000, label: clock, date: day == lastDay ? nil : day))
            }
            lastDay = day
            time += step
        }
        return ticks
    }

    /// "14 Mar 2026" from an RFC 3339 text.
    static func dayLabel(_ rfc3339: String) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let parts = rfc3339.prefix(10).split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), let day = Int(parts[2]) else { return String(rfc3339.prefix(10)) }
        return "\(day) \(months[month - 1]) \(parts[0])"
    }
}

/// Places labels centred on their marks in lanes, so that no two overlap; a label that fits in
/// no lane (of at most three) is left out, its mark still carrying the text as a tooltip.
struct LabelPlacer {
    static let maximumLanes = 3
    private var laneEnds = [Int]()

    var laneCount: Int { laneEnds.count }

    /// The lane of each label (0 is the lowest, nearest the marks), nil for one left out.
    mutating func place(_ labels: [(x: Int, text: String)]) -> [Int?] {
        labels.map { label in
            let half = Int((Double(label.text.count) * TimelineSVG.characterWidth / 2).rounded(.up))
            let left = max(TimelineSVG.plotLeft - 40, label.x - half)
            for lane in laneEnds.indices where laneEnds[lane] + 6 <= left {
                laneEnds[lane] = left + 2 * half
                return lane
            }
            guard laneEnds.count < Self.maximumLanes else { return nil }
            laneEnds.append(left + 2 * half)
            return laneEnds.count - 1
        }
    }
}

/// Collects SVG elements; every text and title is escaped.
struct SVGWriter {
    static let white = "#ffffff"
    var text = ""

    enum MarkShape {
        case circle(String), triangle(String), square(String)
    }

    /// Lines drawn along a row at its baseline.
    enum Shape {
        /// From an update to the time its next update was promised, `offset` below the marks.
        case promise(from: Int, to: Int, offset: Int, title: String?)
        /// From a promised time to when the next update came (or the axis end), continuing its promise.
        case missed(from: Int, to: Int, offset: Int, title: String?)
        /// From a message to its first reply.
        case reply(from: Int, to: Int, title: String?)
        /// From an unanswered message onwards.
        case unanswered(from: Int, to: Int, title: String?)
        /// An escalation from raised to closed.
        case span(from: Int, to: Int, colour: String, closed: Bool, title: String?)
    }

    mutating func append(_ other: SVGWriter) { text += other.text }

    mutating func rowLabel(_ label: String, y: Int, height: Int) {
        self.text(x: TimelineSVG.plotLeft - 10, y: y + height / 2 + 4, label, anchor: "end", size: 12, fill: "#1d2430", weight: "600")
    }

    mutating func rect(x: Int, y: Int, width: Int, height: Int, fill: String, stroke: String, title: String?) {
        let strokeAttribute = stroke == "none" ? "" : #" stroke="\#(stroke)" stroke-width="1""#
        element(#"<rect x="\#(x)" y="\#(y)" width="\#(width)" height="\#(height)" fill="\#(fill)"\#(strokeAttribute)"#, title: title)
    }

    mutating func line(x1: Int, y1: Int, x2: Int, y2: Int, stroke: String, width: Int, dash: String? = nil) {
        let dashAttribute = dash.map { #" stroke-dasharray="\#($0)""# } ?? ""
        text += #"<line x1="\#(x1)" y1="\#(y1)" x2="\#(x2)" y2="\#(y2)" stroke="\#(stroke)" stroke-width="\#(width)"\#(dashAttribute)/>"# + "\n"
    }

    /// A label; `halo` draws a white outline under it, so lines passing behind do not cross the letters.
    mutating func text(x: Int, y: Int, _ content: String, anchor: String, size: Int, fill: String, weight: String? = nil, halo: Bool = false) {
        let weightAttribute = weight.map { #" font-weight="\#($0)""# } ?? ""
        let haloAttribute = halo ? #" stroke="\#(SVGWriter.white)" stroke-width="3" stroke-linejoin="round" paint-order="stroke""# : ""
        text += #"<text x="\#(x)" y="\#(y)" text-anchor="\#(anchor)" font-size="\#(size)" fill="\#(fill)"\#(weightAttribute)\#(haloAttribute)>\#(HTML.escape(content))</text>"# + "\n"
    }

    mutating func circle(x: Int, y: Int, radius: Int, fill: String, title: String?) {
        element(#"<circle cx="\#(x)" cy="\#(y)" r="\#(radius)" fill="\#(fill)" stroke="\#(SVGWriter.white)" stroke-width="1""#, title: title)
    }

    mutating func diamond(x: Int, y: Int, size: Int, fill: String, title: String?) {
        element(#"<path d="M\#(x) \#(y - size)L\#(x + size) \#(y)L\#(x) \#(y + size)L\#(x - size) \#(y)Z" fill="\#(fill)" stroke="\#(SVGWriter.white)" stroke-width="1""#, title: title)
    }

    mutating func triangle(x: Int, y: Int, size: Int, fill: String, title: String?) {
        element(#"<path d="M\#(x) \#(y - size)L\#(x + size) \#(y + size - 1)L\#(x - size) \#(y + size - 1)Z" fill="\#(fill)" stroke="\#(SVGWriter.white)" stroke-width="1""#, title: title)
    }

    mutating func square(x: Int, y: Int, size: Int, fill: String, title: String?) {
        element(#"<rect x="\#(x - size / 2)" y="\#(y - size / 2)" width="\#(size)" height="\#(size)" fill="\#(fill)" stroke="\#(SVGWriter.white)" stroke-width="1""#, title: title)
    }

    mutating func mark(_ shape: MarkShape, x: Int, y: Int, title: String) {
        switch shape {
        case .circle(let colour): circle(x: x, y: y, radius: 6, fill: colour, title: title)
        case .triangle(let colour): triangle(x: x, y: y, size: 7, fill: colour, title: title)
        case .square(let colour): square(x: x, y: y, size: 11, fill: colour, title: title)
        }
    }

    mutating func shape(_ shape: Shape, y: Int) {
        switch shape {
        case .promise(let from, let to, let offset, let title):
            let y = y + offset
            if offset > 6 { line(x1: from, y1: y - offset + 6, x2: from, y2: y, stroke: TimelineSVG.promiseColour, width: 1) }
            element(#"<line x1="\#(from)" y1="\#(y)" x2="\#(to)" y2="\#(y)" stroke="\#(TimelineSVG.promiseColour)" stroke-width="1.5" stroke-dasharray="3 2""#, title: title)
            line(x1: to, y1: y - 4, x2: to, y2: y + 4, stroke: "#5b6575", width: 2)
        case .missed(let from, let to, let offset, let title):
            let y = y + offset
            element(#"<rect x="\#(from)" y="\#(y - 2)" width="\#(max(2, to - from))" height="5" fill="\#(TimelineSVG.missedColour)""#, title: title)
            line(x1: to, y1: y - 4, x2: to, y2: y + 4, stroke: TimelineSVG.missedColour, width: 2)
        case .reply(let from, let to, let title):
            line(x1: from, y1: y, x2: to, y2: y, stroke: TimelineSVG.messageColour, width: 2)
            element(#"<circle cx="\#(to)" cy="\#(y)" r="4" fill="\#(SVGWriter.white)" stroke="\#(TimelineSVG.messageColour)" stroke-width="2""#, title: title)
        case .unanswered(let from, let to, let title):
            element(#"<line x1="\#(from)" y1="\#(y)" x2="\#(to)" y2="\#(y)" stroke="\#(TimelineSVG.missedColour)" stroke-width="2" stroke-dasharray="5 3""#, title: title)
        case .span(let from, let to, let colour, let closed, let title):
            line(x1: from, y1: y, x2: to, y2: y, stroke: colour, width: 2)
            if closed {
                element(#"<rect x="\#(to - 4)" y="\#(y - 4)" width="8" height="8" fill="\#(SVGWriter.white)" stroke="\#(colour)" stroke-width="2""#, title: title)
            }
        }
    }

    /// An element with an optional tooltip.
    private mutating func element(_ opening: String, title: String?) {
        if let title {
            text += "\(opening)><title>\(HTML.escape(title))</title></\(opening.dropFirst().prefix { $0 != " " })>\n"
        } else {
            text += "\(opening)/>\n"
        }
    }
}
