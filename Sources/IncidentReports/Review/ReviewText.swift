import Foundation
import LedgerModel
public import IncidentMetrics

/// The review as readable text (the default of `incidents review`) or Markdown.
public enum ReviewText {
    /// `first response` for `sla_first_response`.
    static func targetName(_ metric: String) -> String {
        metric.replacingOccurrences(of: "sla_", with: "").replacingOccurrences(of: "_", with: " ")
    }

    /// How many incidents missed a target, and which of them are listed.
    static func breachSummary(_ review: QuarterlyReview) -> String {
        let incidents = Set(review.slaBreaches.map(\.incident)).count
        let shown = min(review.slaBreaches.count, QuarterlyReview.breachesShown)
        return "\(incidents) incident\(incidents == 1 ? "" : "s") missed an SLA target (\(review.slaBreaches.count) target\(review.slaBreaches.count == 1 ? "" : "s") in all)"
            + (shown < review.slaBreaches.count ? "; the \(shown) largest misses (--format json lists every one):" : ":")
    }

    /// The sponsorship section's first sentence: how many customers were in the programme and how many incidents affected them.
    static func sponsorshipSummary(_ sponsorship: QuarterlyReview.Sponsorship) -> String {
        let customers = Set(sponsorship.members.map(\.customer)).count
        let incidents = sponsorship.incidentsAffected.count
        return "\(customers) customer\(customers == 1 ? "" : "s") in the executive sponsorship programme during the period; "
            + "\(incidents) incident\(incidents == 1 ? "" : "s") of the period affected them (they wrote in, were named by an escalation or were sent a survey while sponsored)."
    }

    /// What the table of response figures by region shows.
    static let regionNote = "Medians, each region's incidents (by the regions of their final scope) on that region's calendar: time to acknowledge and to first public update from the declaration, time to first reply per message."

    /// What the hour-of-week heat map shows.
    static func hourOfWeekCaption(_ review: QuarterlyReview) -> String {
        "The median time to first reply of the customer messages received in each hour of the week, \(review.period.name), local time in \(review.hourOfWeekZone); "
            + "grey where no message came, outlined red where messages came and none was answered."
    }

    /// The hours of the week with the slowest median first reply (at most five), slowest first.
    static func slowestHours(_ review: QuarterlyReview) -> [String] {
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let answered = review.firstReplyByHourOfWeek.filter { $0.medianSeconds != nil }
        return answered.sorted { ($0.medianSeconds!, $1.day * 24 + $1.hour) > ($1.medianSeconds!, $0.day * 24 + $0.hour) }.prefix(5).map { cell in
            "\(days[cell.day]) \(String(format: "%02d:00", cell.hour)): median \(MetricFormatting.duration(MetricFormatting.wholeSeconds(cell.medianSeconds!))) over \(cell.messages - cell.unanswered) answered of \(cell.messages)"
        }
    }

    /// How many incidents are shown by id in a membership's row before the rest is counted.
    static let memberIncidentsShown = 3

    /// A membership's incidents in a row: "—", or the first few ids and how many more.
    static func memberIncidents(_ incidents: [String], id: (String) -> String = { $0 }) -> String {
        guard !incidents.isEmpty else { return "—" }
        let shown = incidents.prefix(memberIncidentsShown).map(id).joined(separator: ", ")
        return incidents.count > memberIncidentsShown ? "\(shown) and \(incidents.count - memberIncidentsShown) more" : shown
    }

    /// The line under a programme table that lists only some of its memberships; nil when it lists them all.
    static func moreMembers(_ sponsorship: QuarterlyReview.Sponsorship) -> String? {
        let more = sponsorship.members.count - sponsorship.listedMembers.count
        return more > 0 ? "The \(sponsorship.listedMembers.count) memberships most affected are listed; \(more) more (--format json lists every one)." : nil
    }

    /// The comparison rows: sponsored customers, then everyone else.
    static func sponsorshipRows(_ sponsorship: QuarterlyReview.Sponsorship) -> [(String, MetricValue, QuarterlyReview.Satisfaction)] {
        [("in the programme", sponsorship.executiveContactSponsored, sponsorship.sponsored), ("everyone else", sponsorship.executiveContactOthers, sponsorship.others)]
    }

    public static func render(_ review: QuarterlyReview, markdown: Bool) -> String {
        var out = [String]()
        func table(_ header: [String], _ rows: [[String]]) {
            if markdown {
                out.append("| " + header.joined(separator: " | ") + " |")
                out.append("|" + header.map { _ in "---|" }.joined())
                for row in rows { out.append("| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |") }
            } else {
                var widths = header.map { DisplayWidth.of($0) }
                for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) } }
                func line(_ cells: [String]) -> String {
                    var text = ""
                    for (i, cell) in cells.enumerated() {
                        text += cell
                        if i < cells.count - 1 { text += String(repeating: " ", count: widths[i] - DisplayWidth.of(cell) + 2) }
                    }
                    return text
                }
                out.append(line(header))
                for row in rows { out.append(line(row)) }
            }
            out.append("")
        }
        func heading(_ text: String, level: Int = 2) {
            if markdown {
                out.append(String(repeating: "#", count: level) + " " + text)
            } else {
                out.append(level == 1 ? text.uppercased() : text)
                out.append(String(repeating: level == 1 ? "=" : "-", count: DisplayWidth.of(text)))
            }
            out.append("")
        }

        heading("Incident review \(review.period.name)", level: 1)
        let severities = review.incidentsBySeverity.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let kinds = review.incidentsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        out.append("\(review.incidents) incidents declared in \(review.period.name) (\(severities.isEmpty ? "none" : severities); \(kinds.isEmpty ? "none" : kinds)), against \(review.previousIncidents) in \(review.previousPeriod.name).")
        out.append("\(MetricFormatting.statisticsNote) Durations on the clock \(review.source.clock).")
        out.append("")

        /// The footnote to a table that marked a figure from a small sample.
        func smallSampleFootnote(_ marked: Bool) {
            guard marked else { return }
            out.append(MetricFormatting.smallSampleNote)
            out.append("")
        }

        heading("Figures")
        table(
            ["metric", review.period.name, review.previousPeriod.name, "change", "n", "detail", "excluded"],
            review.observedRows.map { row in
                [
                    row.title, MetricFormatting.markedHeadline(row.current), MetricFormatting.markedHeadline(row.previous),
                    MetricFormatting.change(row.change, kind: row.kind) + (row.changeFromSmallSample && row.change != nil ? MetricFormatting.smallSampleMarker : ""),
                    String(row.current.count), MetricFormatting.detail(row.current),
                    MetricFormatting.excluded(row.current),
                ]
            })
        smallSampleFootnote(review.observedRows.contains { $0.changeFromSmallSample })

        if let note = review.declaredByFirstUpdateNote {
            out.append(note)
            out.append("")
        }
        if !review.unobservedRows.isEmpty {
            out.append("Nothing recorded in either period for: \(review.unobservedRows.map(\.title).joined(separator: ", ")).")
            out.append("")
        }

        heading("Time to resolve by severity")
        table(
            ["severity", "median", "n", "detail"],
            review.resolveBySeverity.groups.map { [$0.name, MetricFormatting.markedHeadline($0.value), String($0.value.count), MetricFormatting.detail($0.value)] })
        smallSampleFootnote(review.resolveBySeverity.groups.contains { $0.value.smallSample })

        if !review.byRegion.isEmpty {
            heading("Response figures by region")
            out.append(ReviewText.regionNote)
            out.append("")
            table(
                ["region", "calendar", "incidents", "time to acknowledge", "time to first reply", "time to first public update"],
                review.byRegion.map { row in
                    [row.region, row.calendar, String(row.incidents)] + [row.timeToAcknowledge, row.timeToFirstReply, row.timeToFirstPublicUpdate].map(MetricFormatting.markedHeadline)
                })
            smallSampleFootnote(review.byRegion.contains { [$0.timeToAcknowledge, $0.timeToFirstReply, $0.timeToFirstPublicUpdate].contains(where: \.smallSample) })
        }

        heading("SLA breaches")
        if review.slaBreaches.isEmpty {
            out.append("No SLA target was missed.")
            out.append("")
        } else {
            out.append(ReviewText.breachSummary(review))
            out.append("")
            table(
                ["incident", "severity", "target", "policy", "misses", "worst miss", "title"],
                review.slaBreaches.prefix(QuarterlyReview.breachesShown).map {
                    [$0.incident, $0.severity, ReviewText.targetName($0.target), $0.policy, String($0.misses), MetricFormatting.duration($0.missedBySeconds), $0.title]
                })
        }
        if let comparison = review.sourceSLA {
            out.append(comparison.sentence)
            out.append("")
        }

        heading("Longest customer-facing silences")
        if review.longestSilences.isEmpty {
            out.append("No resolved incident had a public update while open.")
            out.append("")
        } else {
            table(["incident", "severity", "silence", "title"], review.longestSilences.map { [$0.incident, $0.severity, MetricFormatting.duration($0.seconds), $0.title] })
        }

        heading("Executive escalations")
        if review.executiveEscalations.isEmpty {
            out.append("None.")
            out.append("")
        } else {
            table(["incident", "at", "reason", "customer", "title"], review.executiveEscalations.map { [$0.incident, $0.at, $0.reason, $0.customer ?? "—", $0.title] })
        }

        heading("Maintenance outside the policy")
        if review.maintenanceOutsidePolicy.isEmpty {
            out.append("None: every scheduled maintenance kept the playbook policy's window.")
            out.append("")
        } else {
            out.append("Counted as unplanned in every figure (docs/playbook.md):")
            out.append("")
            table(
                ["incident", "rules broken", "why", "title"],
                review.maintenanceOutsidePolicy.map { [$0.incident, $0.rules.joined(separator: ", "), $0.reasons.joined(separator: "; "), $0.title] })
        }

        heading("Time to first reply by hour of the week")
        let slowest = ReviewText.slowestHours(review)
        if slowest.isEmpty {
            out.append("No customer message was answered in the period.")
        } else {
            out.append("The slowest hours of the week for a first reply (local time in \(review.hourOfWeekZone); --format html draws every hour):")
            for line in slowest { out.append("\(markdown ? "- " : "  ")\(line)") }
        }
        if let quiet = review.quietestHourOfWeek { out.append(quiet) }
        out.append("")

        heading("Executive sponsorship")
        let sponsorship = review.sponsorship
        out.append(ReviewText.sponsorshipSummary(sponsorship))
        out.append("")
        if !sponsorship.members.isEmpty {
            table(["customer", "sponsor", "from", "to", "incidents"], sponsorship.listedMembers.map {
                [$0.customer, $0.sponsor, $0.from, $0.to ?? "—", ReviewText.memberIncidents($0.incidents)]
            })
            if let more = ReviewText.moreMembers(sponsorship) {
                out.append(more)
                out.append("")
            }
        }
        table(
            ["customers", "threat → executive contact", "response rate", "CSAT", "average", "NPS", "answers"],
            ReviewText.sponsorshipRows(sponsorship).map { label, contact, figures in
                [label, MetricFormatting.markedHeadline(contact)] + [figures.responseRate, figures.csat, figures.csatScore, figures.nps].map(MetricFormatting.markedHeadline)
                    + [String(figures.csat.count + figures.nps.count)]
            })
        smallSampleFootnote(ReviewText.sponsorshipRows(sponsorship).contains { $0.1.smallSample || $0.2.figures.contains(where: \.smallSample) })

        heading("Playbook checks")
        out.append(review.playbook.sentence)
        out.append("")
        if !review.playbook.brokenRules.isEmpty {
            table(["rule", "this period", "previous", "what it checks"], review.playbook.brokenRules.map { [$0.rule, String($0.current), String($0.previous), $0.summary] })
        }

        heading("Satisfaction")
        table(
            ["quarter", "response rate", "CSAT", "average", "NPS", "answers"],
            review.satisfaction.map {
                [$0.period, MetricFormatting.markedHeadline($0.responseRate), MetricFormatting.markedHeadline($0.csat), MetricFormatting.markedHeadline($0.csatScore), MetricFormatting.markedHeadline($0.nps), String($0.csat.count + $0.nps.count)]
            })
        smallSampleFootnote(review.satisfaction.contains { $0.figures.contains(where: \.smallSample) })

        heading("Postmortem follow-through")
        for row in review.followThroughRows {
            let detail = MetricFormatting.detail(row.current)
            out.append("\(markdown ? "- " : "  ")\(row.title): \(MetricFormatting.markedHeadline(row.current))\(detail.isEmpty ? "" : " (\(detail))")")
        }
        out.append("")
        smallSampleFootnote(review.followThroughRows.contains { $0.current.smallSample })

        heading("Source")
        out.append("Computed from ledger position \(review.source.headPosition), chain head \(review.source.headHash) (last recorded \(review.source.lastRecorded)); promises and action items judged as of \(review.source.asOf).")
        out.append("Metrics version \(Set(review.source.metricVersions.values).sorted().map(String.init).joined(separator: ", ")) (\(review.source.metricVersions.count) metrics, docs/metrics.md); clock \(review.source.clock); SLA calendars: \(review.source.calendars.isEmpty ? "none supplied" : review.source.calendars.joined(separator: ", ")).")
        if review.source.notDeclared > 0 { out.append("\(review.source.notDeclared) incident streams without a declaration are left out.") }
        return out.joined(separator: "\n") + "\n"
    }
}
