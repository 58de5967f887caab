import IncidentEvents
import LedgerModel
public import IncidentProjections

/// The postmortem report as one self-contained HTML file: inline CSS, an inline SVG picture of the
/// incident (``TimelineSVG``), no scripts, nothing loaded from the network. Readable on screen and
/// printable (A4, colours kept).
///
/// Every text from an event goes through ``HTML.escape(_:)``, in element content and in attributes alike,
/// and is isolated (``HTML.isolated(_:)``, `dir="auto"`) so that right-to-left text keeps its order.
public enum PostmortemHTML {
    public static func render(_ report: PostmortemReport) -> String {
        HTML.page(title: "Postmortem \(report.incident) — \(report.summary.title ?? "untitled")", main: body(report))
    }

    /// The report's content, without the page around it: what the web pages embed.
    public static func body(_ report: PostmortemReport) -> String {
        var out = HTMLWriter()
        header(report, into: &out)
        summary(report, into: &out)
        picture(report, into: &out)
        impact(report, into: &out)
        figures(report, into: &out)
        timeline(report, into: &out)
        communications(report, into: &out)
        handOffs(report, into: &out)
        escalations(report, into: &out)
        sponsorship(report, into: &out)
        satisfaction(report, into: &out)
        followUp(report, into: &out)
        findings(report, into: &out)
        footer(report, into: &out)
        return out.text
    }

    /// The title, the chips (severity, kind, phase, duration) and how to read the report.
    static func header(_ report: PostmortemReport, into out: inout HTMLWriter) {
        let summary = report.summary
        let T = PostmortemText.self
        let title = summary.title ?? "untitled"
        out.raw("<header>\n<p class=\"eyebrow\">Postmortem · \(HTML.isolated(report.incident))</p>\n<h1 dir=\"auto\">\(HTML.escape(title))</h1>\n<p class=\"chips\">")
        if let severity = report.figures.scope.severity { out.raw("<span class=\"chip sev-\(severity.rawValue)\">\(severity.rawValue)</span>") }
        if let kind = summary.kind { out.raw("<span class=\"chip\">\(HTML.escape(T.words(kind.rawValue)))</span>") }
        out.raw("<span class=\"chip phase-\(report.phase.rawValue)\">\(report.phase.rawValue)</span>")
        if let seconds = report.figures.duration.seconds { out.raw("<span class=\"chip\">\(HTML.escape(T.duration(seconds)))</span>") }
        out.raw("</p>\n<p class=\"note\">Built from the incident ledger alone. Times are UTC; #N is an event’s position in the ledger.</p>\n</header>\n")
    }

    /// The incident in a few facts: id, title, kind, severity, status, duration, resolution.
    public static func summary(_ report: PostmortemReport, into out: inout HTMLWriter) {
        let summary = report.summary
        let T = PostmortemText.self
        let title = summary.title ?? "untitled"
        out.section("summary", "Summary")
        out.raw("<dl class=\"facts\">\n")
        out.fact("Incident", HTML.isolated(report.incident))
        out.fact("Title", HTML.isolated(title))
        out.fact("Kind", HTML.escape(summary.kind.map { T.words($0.rawValue) } ?? T.notRecorded))
        out.fact("Severity", HTML.escape(T.severity(report) { $0 }))
        out.fact("Status", HTML.escape(T.status(report) { $0 }))
        out.fact("Duration", durationHTML(report))
        if let resolution = report.resolutionSummary { out.fact("Resolution", HTML.isolated(resolution)) }
        out.raw("</dl>\n</section>\n")
    }

    /// The incident on a time axis (``TimelineSVG``), with its caption.
    public static func picture(_ report: PostmortemReport, into out: inout HTMLWriter) {
        out.section("picture", "The incident on a time axis")
        out.raw("<figure>\n")
        out.raw(TimelineSVG.render(report))
        out.raw("<figcaption>Status phases as coloured bands; public updates (U1, U2 …) with the next update they promised, a missed promise in red until the next update came; customer messages with the time to their first reply; escalations until closed. Hover a mark for its details.</figcaption>\n</figure>\n</section>\n")
    }

    /// When impact began, was detected and declared, and who and what it touched.
    static func impact(_ report: PostmortemReport, into out: inout HTMLWriter) {
        let summary = report.summary
        let T = PostmortemText.self
        out.section("impact", "Impact")
        out.raw("<table>\n<thead><tr><th>Moment</th><th>When (UTC)</th><th>Recorded in</th></tr></thead>\n<tbody>\n")
        for row in T.impactMoments(report) {
            let when = row.moment.map { HTML.escape($0.at.rfc3339) } ?? notRecorded()
            let note = row.note.map { " <span class=\"muted\">— \(HTML.escape($0))</span>" } ?? ""
            out.raw("<tr><th scope=\"row\">\(row.label)</th><td class=\"time\">\(when)\(note)</td><td>\(row.moment.map { HTML.escape(T.provenance($0)) } ?? "")</td></tr>\n")
        }
        out.raw("</tbody>\n</table>\n<dl class=\"facts\">\n")
        if let window = T.plannedWindow(summary) { out.fact("Announced window", HTML.escape(window)) }
        out.fact("Services / components", listHTML(report.figures.scope.services))
        out.fact("Regions", listHTML(report.figures.scope.regions))
        out.fact("Customer segments", listHTML(report.figures.scope.customerSegments))
        out.fact("Customers affected", report.figures.scope.customersAffected.map { HTML.escape(T.customersAffected($0)) } ?? notRecorded())
        let customers = report.customersWhoWroteIn
        out.fact("Customer messages", "\(report.messages.count), from \(customers.count) distinct customer\(customers.count == 1 ? "" : "s")\(customers.isEmpty ? "" : ": \(customers.map(HTML.isolated).joined(separator: ", "))")")
        out.raw("</dl>\n</section>\n")
    }

    /// The response figures with where each clock starts and stops; replies per message; updates and promises.
    public static func figures(_ report: PostmortemReport, into out: inout HTMLWriter) {
        let T = PostmortemText.self
        out.section("figures", "Response figures")
        if let unknown = report.figures.unknownTimes { out.raw("<p class=\"note\">\(HTML.escape(T.unknownTimesNote(unknown)))</p>\n") }
        out.raw("<table class=\"figures\">\n<thead><tr><th>Figure</th><th class=\"num\">Value</th><th>Clock starts</th><th>Clock stops</th></tr></thead>\n<tbody>\n")
        for row in report.figureRows {
            let value = row.figure.seconds.map { "<strong>\(HTML.escape(T.duration($0)))</strong>" } ?? notRecorded()
            out.raw("<tr><th scope=\"row\">\(HTML.escape(row.label))</th><td class=\"num\">\(value)</td><td>\(momentHTML(row.figure.start, expected: row.startsAt))</td><td>\(momentHTML(row.figure.stop, expected: row.stopsAt))</td></tr>\n")
        }
        out.raw("</tbody>\n</table>\n")
        out.raw("<h3>Time to first reply, per customer message</h3>\n")
        if report.figures.firstReplies.isEmpty {
            out.raw("<p class=\"muted\">No customer messages were recorded.</p>\n")
        } else {
            let listing = T.replyListing(report)
            if let collapsed = listing.collapsed { out.raw("<p class=\"note\">\(HTML.escape(collapsed))</p>\n") }
            out.raw("<table>\n<thead><tr><th>Message</th><th>Customer</th><th>Channel</th><th>Received</th><th>First reply</th><th class=\"num\">Time to first reply</th></tr></thead>\n<tbody>\n")
            for reply in listing.listed {
                var customer = HTML.isolated(reply.customer)
                if let tier = reply.tier { customer += " <span class=\"muted\">(\(HTML.isolated(tier)))</span>" }
                if reply.threatensToLeave { customer += " <span class=\"tag bad\">threatens to leave</span>" }
                let received = reply.figure.start.map { "\(HTML.escape($0.at.rfc3339)) <span class=\"muted\">\(HTML.escape(T.provenance($0)))</span>" } ?? ""
                let first = reply.figure.stop.map { "\(HTML.escape($0.at.rfc3339)) <span class=\"muted\">\(HTML.escape(T.provenance($0)))</span>" } ?? "<span class=\"flag\">unanswered</span>"
                let value = reply.figure.seconds.map { "<strong>\(HTML.escape(T.duration($0)))</strong>" } ?? "<span class=\"flag\">unanswered</span>"
                out.raw("<tr\(reply.isAnswered ? "" : " class=\"missed\"")><td>\(HTML.isolated(reply.messageId))</td><td>\(customer)</td><td>\(HTML.escape(T.words(reply.channel.rawValue)))</td><td class=\"time\">\(received)</td><td class=\"time\">\(first)</td><td class=\"num\">\(value)</td></tr>\n")
            }
            out.raw("</tbody>\n</table>\n")
        }
        out.raw("<h3>Public updates</h3>\n<dl class=\"facts\">\n")
        if let gap = T.longestGap(report) {
            out.fact("Longest gap while open", "<strong>\(HTML.escape(T.duration(gap.seconds)))</strong>\(HTML.escape(gap.rest))")
        } else {
            out.fact("Longest gap while open", "\(notRecorded()) <span class=\"muted\">(no public update while open)</span>")
        }
        // Counts and the program's words only: nothing in it needs escaping.
        var promiseText = T.promises(report.figures.updatePromises) { "<span class=\"flag\">\($0)</span>" }
        for missed in T.missedPromises(report) { promiseText += "<br><span class=\"flag\">Missed:</span> \(HTML.escape(missed))" }
        out.fact("Promised next updates", promiseText)
        out.fact("ETA against resolution", HTML.escape(T.eta(report.figures.eta)))
        out.raw("</dl>\n<h3>Playbook checks</h3>\n<p>\(HTML.escape(T.playbookSummary(report)))</p>\n")
        if !report.playbookFindings.isEmpty {
            out.raw("<table>\n<thead><tr><th>When (UTC)</th><th>#</th><th>Rule</th><th>What</th></tr></thead>\n<tbody>\n")
            for found in report.playbookFindings {
                out.raw("<tr><td class=\"time\">\(HTML.escape(found.occurredAt.rfc3339))</td><td class=\"num\">\(found.position)</td><td><code>\(HTML.escape(found.finding.rule.rawValue))</code></td><td>\(HTML.escape(found.finding.message))</td></tr>\n")
            }
            out.raw("</tbody>\n</table>\n")
        }
        out.raw("</section>\n")
    }

    /// Every event in the order it happened.
    static func timeline(_ report: PostmortemReport, into out: inout HTMLWriter) {
        out.section("timeline", "Timeline")
        out.raw("<p class=\"muted\">Every event of the incident in the order it happened; corrections are applied, retracted events struck through.</p>\n")
        timelineTable(report, into: &out)
        out.raw("</section>\n")
    }

    /// The timeline's table: every entry, or those of `categories`; `anchored` gives each row its
    /// position as `id="event-N"` and `data-position` (the web pages link to events).
    public static func timelineTable(
        _ report: PostmortemReport, categories: Set<EventDescription.Category>? = nil, anchored: Bool = false, into out: inout HTMLWriter
    ) {
        let T = PostmortemText.self
        out.raw("<table class=\"timeline\">\n<thead><tr><th>When (UTC)</th><th class=\"num\">#</th><th>Kind</th><th>What</th><th>Who</th><th>Notes</th></tr></thead>\n<tbody>\n")
        let missedByPosition = Dictionary(report.timeline.missedUpdates.map { ($0.promisedIn, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in report.timeline.entries where categories?.contains(entry.category) ?? true {
            var notes = [String]()
            if let posted = Timeline.postedNote(postedAt: entry.postedAt, shownAt: entry.occurredAt) { notes.append("<span class=\"tag late\">posted</span> \(HTML.escape(posted))") }
            if entry.isLate { notes.append("<span class=\"tag late\">late</span> recorded \(HTML.escape(entry.knownAt.rfc3339))") }
            if !entry.correctedBy.isEmpty { notes.append("<span class=\"tag corrected\">corrected</span> by \(HTML.escape(T.positions(entry.correctedBy)))") }
            if let retracted = entry.retractedBy { notes.append("<span class=\"tag retracted\">retracted</span> by #\(retracted)") }
            if let missed = missedByPosition[entry.position] { notes.append("<span class=\"tag bad\">missed promise</span> \(HTML.escape(T.duration(missed.lateBySeconds))) late") }
            var classes = ["cat-\(entry.category.rawValue)"]
            if entry.retractedBy != nil { classes.append("retracted") }
            if missedByPosition[entry.position] != nil { classes.append("missed") }
            let anchor = anchored ? " id=\"event-\(entry.position)\" data-position=\"\(entry.position)\"" : ""
            out.raw("<tr\(anchor) class=\"\(classes.joined(separator: " "))\"><td class=\"time\">\(HTML.escape(entry.occurredAt.rfc3339))</td><td class=\"num\">\(anchored ? "<a href=\"#event-\(entry.position)\" title=\"event \(entry.id)\" data-event-id=\"\(entry.id)\">\(entry.position)</a>" : String(entry.position))</td><td><span class=\"kind\">\(entry.category.rawValue)</span></td><td class=\"what\">\(HTML.html(entry.sentence))</td><td class=\"who\">\(actorHTML(entry.actor))</td><td class=\"notes\">\(notes.joined(separator: "<br>"))</td></tr>\n")
        }
        out.raw("</tbody>\n</table>\n")
    }

    /// Every status update as published, with its promise kept or missed.
    public static func communications(_ report: PostmortemReport, into out: inout HTMLWriter) {
        let T = PostmortemText.self
        out.section("communications", "Communications log")
        if report.updates.isEmpty { out.raw("<p class=\"muted\">No status updates were published.</p>\n") }
        for update in report.updates {
            out.raw("<article class=\"update\(update.missedPromise == nil ? "" : " missed")\">\n")
            out.raw("<h3>\(HTML.escape(T.heading(update)))</h3>\n")
            var meta = HTML.html(T.byline(update))
            if let posted = Timeline.postedNote(postedAt: update.postedAt, shownAt: update.at) { meta += " · <span class=\"tag late\">posted</span> \(HTML.escape(posted))" }
            if update.isLate { meta += " · <span class=\"tag late\">late</span> recorded \(HTML.escape(update.knownAt.rfc3339))" }
            if !update.correctedBy.isEmpty { meta += " · <span class=\"tag corrected\">corrected</span> by \(HTML.escape(T.positions(update.correctedBy)))" }
            out.raw("<p class=\"meta\">\(meta)</p>\n<blockquote dir=\"auto\">\(HTML.escape(update.text))</blockquote>\n")
            if let missed = update.missedPromise {
                out.raw("<p class=\"promise-missed\">Missed promise: \(HTML.escape(T.missed(missed))).</p>\n")
            } else if let next = T.nextUpdate(update) {
                out.raw("<p class=\"promise\">\(HTML.escape(next))</p>\n")
            }
            if let eta = update.etaAt { out.raw("<p class=\"promise\">\(HTML.escape(T.etaGiven(eta)))</p>\n") }
            out.raw("</article>\n")
        }
        out.raw("</section>\n")
    }

    /// Every escalation, its levels, reason, customer and what followed.
    public static func escalations(_ report: PostmortemReport, into out: inout HTMLWriter) {
        let T = PostmortemText.self
        out.section("escalations", "Escalations")
        if report.escalations.isEmpty {
            out.raw("<p class=\"muted\">No escalations were recorded.</p>\n")
        } else {
            out.raw("<table>\n<thead><tr><th>Escalation</th><th>Raised</th><th>Levels</th><th>Reason</th><th>Customer</th><th>Then</th></tr></thead>\n<tbody>\n")
            for escalation in report.escalations {
                let reason = HTML.html(T.reason(escalation))
                let then = escalation.steps.map { HTML.html(T.step($0)) }
                out.raw("<tr><td>\(HTML.isolated(escalation.id))</td><td class=\"time\">\(HTML.escape(escalation.raisedAt.rfc3339)) <span class=\"muted\">#\(escalation.position)</span></td><td>\(HTML.escape(T.words(escalation.fromLevel.rawValue))) → <strong>\(HTML.escape(T.words(escalation.toLevel.rawValue)))</strong></td><td>\(reason)</td><td>\(escalation.customer.map(HTML.isolated) ?? "—")</td><td>\(then.isEmpty ? "still open" : then.joined(separator: "<br>"))</td></tr>\n")
            }
            out.raw("</tbody>\n</table>\n")
        }
        out.raw("</section>\n")
    }

    /// The incident's customers in the executive sponsorship programme, the enrolments and departures
    /// recorded in it, and each threat to leave with the time to an executive's contact.
    public static func sponsorship(_ report: PostmortemReport, into out: inout HTMLWriter) {
        let T = PostmortemText.self
        out.section("sponsorship", "Executive sponsorship")
        out.raw("<p>\(HTML.html(T.sponsoredCustomers(report)))</p>\n")
        if !report.figures.sponsorshipChanges.isEmpty {
            out.raw("<ul>\n")
            for change in report.figures.sponsorshipChanges { out.raw("<li>\(HTML.html(T.sponsorshipChange(change)))</li>\n") }
            out.raw("</ul>\n")
        }
        if !report.figures.executiveContacts.isEmpty {
            out.raw("<table>\n<thead><tr><th>Customer</th><th>Threatened to leave</th><th>Executive contact</th><th class=\"num\">Time to executive contact</th></tr></thead>\n<tbody>\n")
            for contact in report.figures.executiveContacts {
                let stop = contact.figure.stop.map { "\(momentHTML($0, expected: "")) <span class=\"muted\">— \(HTML.escape(T.contactKind(contact.contactKind!)))</span>" }
                let time = contact.figure.seconds.map { "<strong>\(HTML.escape(T.duration($0)))</strong>" } ?? notRecorded()
                out.raw("<tr\(contact.figure.stop == nil ? " class=\"missed\"" : "")><td>\(HTML.isolated(contact.customer))</td><td>\(momentHTML(contact.figure.start, expected: "threat"))</td><td>\(stop ?? notRecorded())</td><td class=\"num\">\(time)</td></tr>\n")
            }
            out.raw("</tbody>\n</table>\n")
        }
        out.raw("</section>\n")
    }

    /// The surveys sent and their answers.
    public static func satisfaction(_ report: PostmortemReport, into out: inout HTMLWriter) {
        let T = PostmortemText.self
        out.section("satisfaction", "Customer satisfaction")
        if report.surveys.isEmpty {
            out.raw("<p class=\"muted\">No surveys were sent.</p>\n")
        } else {
            out.raw("<ul>\n")
            for score in report.surveyScores { out.raw("<li>\(HTML.escape(T.surveyScore(score)))</li>\n") }
            out.raw("</ul>\n<table>\n<thead><tr><th>Survey</th><th>Customer</th><th>Scale</th><th>Sent</th><th>Answer</th><th>Comment</th></tr></thead>\n<tbody>\n")
            for survey in report.surveys {
                let answer = survey.score.map { "<strong>\($0)</strong> at \(HTML.escape(survey.answeredAt?.rfc3339 ?? ""))" }
                    ?? survey.expiredAt.map { "expired \(HTML.escape($0.rfc3339))" } ?? "<span class=\"muted\">no answer yet</span>"
                out.raw("<tr><td>\(HTML.isolated(survey.id))</td><td>\(HTML.isolated(survey.customer))</td><td class=\"time\">\(HTML.escape(T.scale(survey.scale)))</td><td class=\"time\">\(HTML.escape(survey.sentAt.rfc3339)) via \(HTML.escape(T.words(survey.channel.rawValue)))</td><td>\(answer)</td><td dir=\"auto\">\(survey.comment.map(HTML.escape) ?? "")</td></tr>\n")
            }
            out.raw("</tbody>\n</table>\n")
        }
        out.raw("</section>\n")
    }

    /// The postmortem's state, root cause, contributing factors and action items.
    public static func followUp(_ report: PostmortemReport, into out: inout HTMLWriter) {
        let T = PostmortemText.self
        out.section("follow-up", "Root cause and follow-up")
        let review = report.review
        let (sentence, url) = T.reviewState(review)
        let state = HTML.html(sentence) + (url.map { " at <bdi class=\"url\">\(HTML.escape($0))</bdi>" } ?? "")
        out.raw("<dl class=\"facts\">\n")
        out.fact("Postmortem", state)
        if let text = review.publishedSummary { out.fact("Published summary", HTML.isolated(text)) }
        out.raw("</dl>\n<h3>Root cause</h3>\n")
        if let cause = review.rootCause {
            let provenance = T.provenance(position: cause.finding.position, correctedBy: cause.finding.correctedBy)
            out.raw("<p><span class=\"tag\">\(HTML.escape(T.words(cause.category.rawValue)))</span> \(HTML.isolated(cause.finding.text)) <span class=\"muted\">\(HTML.escape(provenance))</span></p>\n")
        } else {
            out.raw("<p>\(notRecorded())</p>\n")
        }
        out.raw("<h3>Contributing factors</h3>\n")
        if review.contributingFactors.isEmpty {
            out.raw("<p class=\"muted\">None recorded.</p>\n")
        } else {
            out.raw("<ul>\n")
            for factor in review.contributingFactors { out.raw("<li>\(HTML.isolated(factor.text)) <span class=\"muted\">#\(factor.position)</span></li>\n") }
            out.raw("</ul>\n")
        }
        out.raw("<h3>Action items</h3>\n")
        if review.actionItems.isEmpty {
            out.raw("<p class=\"muted\">None recorded.</p>\n")
        } else {
            out.raw("<p class=\"muted\">States as of the report time, \(HTML.escape(report.source.asOf.rfc3339)).</p>\n")
            out.raw("<table>\n<thead><tr><th>Item</th><th>Title</th><th>Owner</th><th>Due</th><th>State</th></tr></thead>\n<tbody>\n")
            for item in review.actionItems {
                var state = "<span class=\"state-\(item.state.rawValue)\">\(HTML.escape(item.state.rawValue))</span>"
                if let done = item.completedAt { state += " \(HTML.escape(done.rfc3339))" }
                if let note = item.completionNote { state += ": \(HTML.isolated(note))" }
                out.raw("<tr\(item.state == .overdue ? " class=\"missed\"" : "")><td>\(HTML.isolated(item.id))</td><td>\(HTML.isolated(item.title))</td><td>\(HTML.isolated(item.owner))</td><td class=\"time\">\(HTML.escape(item.dueAt.rfc3339))</td><td>\(state)</td></tr>\n")
            }
            out.raw("</tbody>\n</table>\n")
        }
        out.raw("</section>\n")
    }

    /// What the review found, under its three headings; a heading with no finding yet keeps its place.
    public static func findings(_ report: PostmortemReport, into out: inout HTMLWriter) {
        let T = PostmortemText.self
        for (kind, id, heading) in T.findingHeadings {
            out.section(id, heading)
            let findings = report.review.findings(kind)
            if findings.isEmpty {
                out.raw("<div class=\"placeholder\">\(HTML.escape(T.noFindings))</div>\n")
            } else {
                out.raw("<ul class=\"findings\">\n")
                for finding in findings {
                    out.raw("<li><span dir=\"auto\">\(HTML.escape(finding.finding.text))</span> <span class=\"muted\">— \(HTML.html(T.findingSource(finding)))</span></li>\n")
                }
                out.raw("</ul>\n")
            }
            out.raw("</section>\n")
        }
    }

    /// Every hand-off between responders: when, from whom to whom, and the summary given.
    public static func handOffs(_ report: PostmortemReport, into out: inout HTMLWriter) {
        let T = PostmortemText.self
        out.section("hand-offs", "Hand-offs")
        if report.handOffs.isEmpty {
            out.raw("<p class=\"muted\">No hand-offs were recorded.</p>\n")
        } else {
            out.raw("<table>\n<thead><tr><th>When (UTC)</th><th>From → to</th><th>Summary</th></tr></thead>\n<tbody>\n")
            for handOff in report.handOffs {
                let provenance = T.provenance(position: handOff.position, correctedBy: handOff.correctedBy)
                out.raw("<tr><td class=\"time\">\(HTML.escape(handOff.at.rfc3339)) <span class=\"muted\">\(HTML.escape(provenance))</span></td><td>\(HTML.html(T.handOffParties(handOff)))</td><td dir=\"auto\">\(HTML.escape(handOff.summary))</td></tr>\n")
            }
            out.raw("</tbody>\n</table>\n")
        }
        out.raw("</section>\n")
    }

    /// Where the report came from: ledger position, chain head, report time.
    static func footer(_ report: PostmortemReport, into out: inout HTMLWriter) {
        let source = report.source
        // Numbers, a hex hash and times only: nothing in it needs escaping.
        out.raw("<footer>\n<p>\(PostmortemText.provenance(source) { "<code>\($0)</code>" })</p>\n</footer>\n")
    }

    /// "person:oncall@example.com" as the kind, small, over the id.
    static func actorHTML(_ actor: String) -> String {
        guard let colon = actor.firstIndex(of: ":") else { return HTML.isolated(actor) }
        return "<span class=\"actor-kind\">\(HTML.escape(String(actor[..<colon])))</span><br>\(HTML.isolated(String(actor[actor.index(after: colon)...])))"
    }

    static func notRecorded() -> String { "<span class=\"nr\">\(PostmortemText.notRecorded)</span>" }

    static func listHTML(_ items: [String]) -> String {
        items.isEmpty ? notRecorded() : items.map(HTML.isolated).joined(separator: ", ")
    }

    static func durationHTML(_ report: PostmortemReport) -> String {
        let figure = report.figures.duration
        guard let seconds = figure.seconds, let start = figure.start, let stop = figure.stop else {
            return notRecorded() + (report.isOpen ? " <span class=\"muted\">(still open)</span>" : "")
        }
        return "<strong>\(HTML.escape(PostmortemText.duration(seconds)))</strong> <span class=\"muted\">— \(HTML.escape(PostmortemText.span(start, stop)))</span>"
    }

    static func momentHTML(_ moment: ResponseFigures.Moment?, expected: String) -> String {
        guard let moment else { return "\(notRecorded()) <span class=\"muted\">(\(HTML.escape(expected)))</span>" }
        let corrected = moment.correctedBy.isEmpty ? "" : " <span class=\"tag corrected\">corrected</span>"
        let shown = moment.shownAt.map { " <span class=\"muted\">(posted; shown as \(HTML.escape($0.rfc3339)))</span>" } ?? ""
        return "\(HTML.escape(PostmortemText.label(moment.kind))) <span class=\"time\">\(HTML.escape(moment.at.rfc3339))</span>\(shown) <span class=\"muted\">\(HTML.escape(PostmortemText.provenance(moment)))</span>\(corrected)"
    }
}
