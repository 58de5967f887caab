import Foundation
public import IncidentMetrics

/// The review as one self-contained HTML page with inline SVG charts: no script, no network.
public enum ReviewHTML {
    public static func render(_ review: QuarterlyReview) -> String {
        HTML.page(title: "Incident review \(review.period.name)", styles: stylesheet, main: body(review))
    }

    /// Where the web pages link a review's figures and incidents; the published file links nothing.
    public struct Links {
        /// The address of the incidents behind a metric's figure.
        public var metric: (String) -> String
        /// The address of an incident.
        public var incident: (String) -> String

        public init(metric: @escaping (String) -> String, incident: @escaping (String) -> String) {
            self.metric = metric
            self.incident = incident
        }
    }

    /// The review's content without the page around it, its figures and incidents linked by `links`.
    public static func body(_ review: QuarterlyReview, links: Links? = nil) -> String {
        let e = HTML.escape
        let drill = links?.metric
        let v = HTML.isolated
        // An incident's id, linked to its page where the pages link.
        let incident = { (id: String) in links.map { "<a href=\"\(e($0.incident(id)))\">\(HTML.isolated(id))</a>" } ?? HTML.isolated(id) }
        var out = "<header>\n<p class=\"eyebrow\">Quarterly review</p>\n<h1>Incident review \(e(review.period.name))</h1>\n"
        let severities = review.incidentsBySeverity.sorted { $0.key < $1.key }.map { "<span class=\"chip sev-\(e($0.key))\">\(e($0.key)) \($0.value)</span>" }.joined()
        out += "<p class=\"chips\"><span class=\"chip\">\(review.incidents) incidents</span>\(severities)<span class=\"chip\">\(review.previousIncidents) in \(e(review.previousPeriod.name))</span></p>\n"
        out += "<p class=\"note\">From the incident ledger alone. Incidents count in the period they were declared in (UTC). \(e(MetricFormatting.statisticsNote)) Durations on the clock \(e(review.source.clock)).</p>\n</header>\n"

        out += "<section id=\"charts\"><h2>At a glance</h2>\n<div class=\"charts\">\n"
        let months = review.resolveByMonth.map { (label: $0.period, median: $0.value.statistics?.median.map(MetricFormatting.wholeSeconds), p90: $0.value.statistics?.p90, n: $0.value.count) }
        out += "<figure>\(ReviewCharts.trend(months, title: "Time to resolve by month"))<figcaption>Time to resolve (impact start → resolution) by month of declaration, the twelve months to the end of \(e(review.period.name)): median and p90.</figcaption></figure>\n"
        let buckets = review.firstUpdateDistribution.map { (label: $0.label, value: Double($0.count), text: String($0.count)) }
        out += "<figure>\(ReviewCharts.bars(buckets, title: "Time to first public update", format: { String(Int($0)) }))<figcaption>How long customers waited for the first public update after impact began, \(e(review.period.name)): incidents per bucket.</figcaption></figure>\n"
        let csat = review.csatByQuarter.map { (label: $0.period, value: $0.value.ratio ?? 0, text: $0.value.ratio.map(MetricFormatting.percent) ?? "—") }
        out += "<figure>\(ReviewCharts.bars(csat, title: "CSAT by quarter", scaleMaximum: 1, format: { MetricFormatting.percent($0) }))<figcaption>Share of survey answers of 4 or 5 on the 1–5 scale, by quarter of the incident’s declaration; — where no answer came.</figcaption></figure>\n"
        out += "</div>\n</section>\n"

        out += "<section id=\"coverage\"><h2>Time to first reply by hour of the week</h2>\n"
        out += "<figure>\(ReviewCharts.heatMap(review.firstReplyByHourOfWeek, title: "Time to first reply by hour of the week"))<figcaption>\(e(ReviewText.hourOfWeekCaption(review)))</figcaption></figure>\n"
            + "\(review.quietestHourOfWeek.map { "<p>\(e($0))</p>\n" } ?? "")</section>\n"

        out += "<section id=\"figures\"><h2>Figures</h2>\n<table>\n<thead><tr><th>Metric</th><th class=\"num\">\(e(review.period.name))</th><th class=\"num\">\(e(review.previousPeriod.name))</th><th class=\"num\">Change</th><th class=\"num\">n</th><th>Detail</th><th>Left out</th></tr></thead>\n<tbody>\n"
        for row in review.observedRows {
            let title = drill.map { "<a class=\"drill\" href=\"\(e($0(row.metric)))\">\(e(row.title))</a>" } ?? e(row.title)
            out += "<tr\(drill == nil ? "" : " data-metric=\"\(e(row.metric))\"")><th scope=\"row\">\(title) <span class=\"kind\">\(e(row.metric)) v\(review.source.metricVersions[row.metric] ?? 0)</span></th>"
            out += "\(cell(MetricFormatting.headline(row.current), small: row.current.smallSample, count: drill == nil ? nil : row.current.count))\(cell(MetricFormatting.headline(row.previous), small: row.previous.smallSample))"
            out += "\(cell(MetricFormatting.change(row.change, kind: row.kind), small: row.changeFromSmallSample && row.change != nil))<td class=\"num\">\(row.current.count)</td>"
            out += "<td>\(e(MetricFormatting.detail(row.current)))</td><td class=\"muted\">\(e(MetricFormatting.excluded(row.current)))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        out += legend(review.observedRows.contains { $0.changeFromSmallSample })
        if let note = review.declaredByFirstUpdateNote { out += "<p class=\"note\">\(e(note))</p>\n" }
        if !review.unobservedRows.isEmpty {
            out += "<p class=\"note\">Nothing recorded in either period for: \(e(review.unobservedRows.map(\.title).joined(separator: ", "))).</p>\n"
        }
        out += "</section>\n"

        out += "<section id=\"severity\"><h2>Time to resolve by severity</h2>\n<table>\n<thead><tr><th>Severity</th><th class=\"num\">Median</th><th class=\"num\">n</th><th>Detail</th></tr></thead>\n<tbody>\n"
        for group in review.resolveBySeverity.groups {
            out += "<tr><th scope=\"row\">\(e(group.name))</th>\(cell(MetricFormatting.headline(group.value), small: group.value.smallSample))<td class=\"num\">\(group.value.count)</td><td>\(e(MetricFormatting.detail(group.value)))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n\(legend(review.resolveBySeverity.groups.contains { $0.value.smallSample }))</section>\n"

        if !review.byRegion.isEmpty {
            out += "<section id=\"regions\"><h2>Response figures by region</h2>\n<p class=\"note\">\(e(ReviewText.regionNote))</p>\n<table>\n<thead><tr><th>Region</th><th>Calendar</th><th class=\"num\">Incidents</th><th class=\"num\">Time to acknowledge</th><th class=\"num\">Time to first reply</th><th class=\"num\">Time to first public update</th></tr></thead>\n<tbody>\n"
            for row in review.byRegion {
                let values = [row.timeToAcknowledge, row.timeToFirstReply, row.timeToFirstPublicUpdate]
                out += "<tr><th scope=\"row\">\(v(row.region))</th><td>\(v(row.calendar))</td><td class=\"num\">\(row.incidents)</td>\(values.map { cell(MetricFormatting.headline($0), small: $0.smallSample) }.joined())</tr>\n"
            }
            out += "</tbody>\n</table>\n\(legend(review.byRegion.contains { [$0.timeToAcknowledge, $0.timeToFirstReply, $0.timeToFirstPublicUpdate].contains(where: \.smallSample) }))</section>\n"
        }

        out += "<section id=\"breaches\"><h2>SLA breaches</h2>\n"
        if review.slaBreaches.isEmpty {
            out += "<p>No SLA target was missed.</p>\n"
        } else {
            out += "<p>\(e(ReviewText.breachSummary(review)))</p>\n"
            out += "<table>\n<thead><tr><th>Incident</th><th>Severity</th><th>Target</th><th>Policy</th><th class=\"num\">Misses</th><th class=\"num\">Worst miss</th><th>Title</th></tr></thead>\n<tbody>\n"
            for breach in review.slaBreaches.prefix(QuarterlyReview.breachesShown) {
                out += "<tr class=\"missed\"><td>\(incident(breach.incident))</td><td>\(e(breach.severity))</td><td>\(e(ReviewText.targetName(breach.target)))</td><td>\(v(breach.policy))</td><td class=\"num\">\(breach.misses)</td><td class=\"num\">\(e(MetricFormatting.duration(breach.missedBySeconds)))</td><td>\(v(breach.title))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        if let comparison = review.sourceSLA {
            out += "<p>\(e(comparison.sentence))</p>\n"
            if !comparison.disagreements.isEmpty {
                out += "<table>\n<thead><tr><th>Incident</th><th>Source says</th><th>Ledger computes</th><th>Title</th></tr></thead>\n<tbody>\n"
                for disagreement in comparison.disagreements.prefix(QuarterlyReview.breachesShown) {
                    out += "<tr><td>\(links == nil ? e(disagreement.incident) : incident(disagreement.incident))</td><td>\(e(disagreement.source))</td><td>\(e(disagreement.ledger))</td><td>\(e(disagreement.title))</td></tr>\n"
                }
                out += "</tbody>\n</table>\n"
                if comparison.disagreements.count > QuarterlyReview.breachesShown {
                    out += "<p>\(comparison.disagreements.count - QuarterlyReview.breachesShown) more disagree; --format json lists every one.</p>\n"
                }
            }
        }
        out += "</section>\n"

        out += "<section id=\"silences\"><h2>Longest customer-facing silences</h2>\n"
        if review.longestSilences.isEmpty {
            out += "<p>No resolved incident had a public update while open.</p>\n"
        } else {
            out += "<table>\n<thead><tr><th>Incident</th><th>Severity</th><th class=\"num\">Silence</th><th>Title</th></tr></thead>\n<tbody>\n"
            for silence in review.longestSilences {
                out += "<tr><td>\(incident(silence.incident))</td><td>\(e(silence.severity))</td><td class=\"num\">\(e(MetricFormatting.duration(silence.seconds)))</td><td>\(v(silence.title))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "</section>\n"

        out += "<section id=\"executive\"><h2>Executive escalations</h2>\n"
        if review.executiveEscalations.isEmpty {
            out += "<p>None.</p>\n"
        } else {
            out += "<table>\n<thead><tr><th>Incident</th><th>At (UTC)</th><th>Reason</th><th>Customer</th><th>Title</th></tr></thead>\n<tbody>\n"
            for escalation in review.executiveEscalations {
                out += "<tr><td>\(incident(escalation.incident))</td><td class=\"time\">\(e(escalation.at))</td><td>\(e(escalation.reason))</td><td>\(escalation.customer.map(v) ?? "—")</td><td>\(v(escalation.title))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "</section>\n"

        out += "<section id=\"maintenance\"><h2>Maintenance outside the policy</h2>\n"
        if review.maintenanceOutsidePolicy.isEmpty {
            out += "<p>None: every scheduled maintenance kept the playbook policy's window.</p>\n"
        } else {
            out += "<p>Counted as unplanned in every figure.</p>\n<table>\n<thead><tr><th>Incident</th><th>Rules broken</th><th>Why</th><th>Title</th></tr></thead>\n<tbody>\n"
            for maintenance in review.maintenanceOutsidePolicy {
                out += "<tr><td>\(incident(maintenance.incident))</td><td>\(e(maintenance.rules.joined(separator: ", ")))</td><td>\(e(maintenance.reasons.joined(separator: "; ")))</td><td>\(v(maintenance.title))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "</section>\n"

        let sponsorship = review.sponsorship
        out += "<section id=\"sponsorship\"><h2>Executive sponsorship</h2>\n<p>\(e(ReviewText.sponsorshipSummary(sponsorship)))</p>\n"
        if !sponsorship.members.isEmpty {
            out += "<table>\n<thead><tr><th>Customer</th><th>Sponsor</th><th>From (UTC)</th><th>To (UTC)</th><th>Incidents</th></tr></thead>\n<tbody>\n"
            for member in sponsorship.listedMembers {
                let incidents = ReviewText.memberIncidents(member.incidents, id: incident)
                out += "<tr><td>\(v(member.customer))</td><td>\(v(member.sponsor))</td><td class=\"time\">\(e(member.from))</td><td class=\"time\">\(e(member.to ?? "—"))</td><td>\(incidents)</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
            if let more = ReviewText.moreMembers(sponsorship) { out += "<p class=\"note\">\(e(more))</p>\n" }
        }
        out += "<table>\n<thead><tr><th>Customers</th><th class=\"num\">Threat → executive contact</th><th class=\"num\">Response rate</th><th class=\"num\">CSAT</th><th class=\"num\">Average</th><th class=\"num\">NPS</th><th class=\"num\">Answers</th></tr></thead>\n<tbody>\n"
        let sponsorshipRows = ReviewText.sponsorshipRows(sponsorship)
        for (label, contact, figures) in sponsorshipRows {
            out += "<tr><th scope=\"row\">\(e(label))</th>\(cell(MetricFormatting.headline(contact), small: contact.smallSample))\(figures.figures.map { cell(MetricFormatting.headline($0), small: $0.smallSample) }.joined())<td class=\"num\">\(figures.csat.count + figures.nps.count)</td></tr>\n"
        }
        out += "</tbody>\n</table>\n\(legend(sponsorshipRows.contains { $0.1.smallSample || $0.2.figures.contains(where: \.smallSample) }))</section>\n"
        out += "<section id=\"playbook\"><h2>Playbook checks</h2>\n<p>\(e(review.playbook.sentence))</p>\n"
        if !review.playbook.brokenRules.isEmpty {
            out += "<table>\n<thead><tr><th>Rule</th><th class=\"num\">This period</th><th class=\"num\">Previous</th><th>What it checks</th></tr></thead>\n<tbody>\n"
            for rule in review.playbook.brokenRules {
                out += "<tr><td><code>\(e(rule.rule))</code></td><td class=\"num\">\(rule.current)</td><td class=\"num\">\(rule.previous)</td><td>\(e(rule.summary))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "</section>\n"

        out += "<section id=\"satisfaction\"><h2>Satisfaction</h2>\n<table>\n<thead><tr><th>Quarter</th><th class=\"num\">Response rate</th><th class=\"num\">CSAT</th><th class=\"num\">Average</th><th class=\"num\">NPS</th><th class=\"num\">Answers</th></tr></thead>\n<tbody>\n"
        for quarter in review.satisfaction {
            out += "<tr><th scope=\"row\">\(e(quarter.period))</th>\(quarter.figures.map { cell(MetricFormatting.headline($0), small: $0.smallSample) }.joined())<td class=\"num\">\(quarter.csat.count + quarter.nps.count)</td></tr>\n"
        }
        out += "</tbody>\n</table>\n\(legend(review.satisfaction.contains { $0.figures.contains(where: \.smallSample) }))</section>\n"

        out += "<section id=\"postmortems\"><h2>Postmortem follow-through</h2>\n<dl class=\"facts\">\n"
        for row in review.followThroughRows {
            let detail = MetricFormatting.detail(row.current)
            let figure = e(MetricFormatting.headline(row.current))
            out += "<dt>\(e(row.title))</dt><dd>\(row.current.smallSample ? "<span class=\"small-sample\" title=\"\(e(MetricFormatting.smallSampleMeaning))\">\(figure)</span>" : figure)\(detail.isEmpty ? "" : " <span class=\"muted\">(\(e(detail)))</span>")</dd>\n"
        }
        out += "</dl>\n\(legend(review.followThroughRows.contains { $0.current.smallSample }))</section>\n"

        out += "<footer>\n<p>Computed from ledger position \(review.source.headPosition), chain head <code>\(e(review.source.headHash))</code> (last recorded \(e(review.source.lastRecorded))); promises and action items judged as of \(e(review.source.asOf)). "
        out += "\(review.source.metricVersions.count) metrics as defined in docs/metrics.md (versions \(e(Set(review.source.metricVersions.values).sorted().map(String.init).joined(separator: ", ")))); clock \(e(review.source.clock)); SLA calendars: \(e(review.source.calendars.isEmpty ? "none supplied" : review.source.calendars.joined(separator: ", "))).\(review.source.notDeclared > 0 ? " \(review.source.notDeclared) incident streams without a declaration are left out." : "")</p>\n</footer>\n"
        return out
    }

    /// A numeric cell; one from a small sample is greyed out (still readable) and says why on hover.
    /// `count`, when given, marks the cell as the current figure with its sample count (for the pages).
    static func cell(_ text: String, small: Bool, count: Int? = nil) -> String {
        let e = HTML.escape
        let current = count.map { " current\" data-count=\"\($0)" } ?? ""
        return small ? "<td class=\"num small-sample\(current)\" title=\"\(e(MetricFormatting.smallSampleMeaning))\">\(e(text))</td>" : "<td class=\"num\(current)\">\(e(text))</td>"
    }

    /// The legend under a table that greyed out a figure; nothing otherwise.
    static func legend(_ shown: Bool) -> String {
        shown ? "<p class=\"note\"><span class=\"small-sample\">Greyed out</span>: \(HTML.escape(MetricFormatting.smallSampleMeaning)).</p>\n" : ""
    }

    public static let stylesheet = """
        .charts { display: grid; grid-template-columns: 1fr; gap: 18px; }
        .small-sample { color: var(--muted); font-style: italic; }
        @media (min-width: 1000px) { .charts { grid-template-columns: 1fr 1fr; } .charts figure:first-child { grid-column: 1 / -1; } }

        """
}
