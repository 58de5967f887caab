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
