import IncidentEvents
public import LedgerModel

/// The postmortem report as one self-contained HTML file: inline CSS, an inline SVG picture of the
/// incident (``TimelineSVG``), no scripts, nothing loaded from the network. Readable on screen and
/// printable (A4, colours kept).
///
/// Every text from an event goes through ``escape(_:)``, in element content and in attributes alike,
/// and is isolated (``isolated(_:)``, `dir="auto"`) so that right-to-left text keeps its order.
public enum PostmortemHTML {
    public static func render(_ report: PostmortemReport) -> String {
        var out = HTMLWriter()
        let summary = report.summary
        let T = PostmortemText.self
        let title = summary.title ?? "untitled"

        out.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        out.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        out.raw("<title>Postmortem \(escape(report.incident)) — \(escape(title))</title>\n")
        out.raw("<style>\n\(stylesheet)</style>\n</head>\n<body>\n<main>\n")

        // Header and summary
        out.raw("<header>\n<p class=\"eyebrow\">Postmortem · \(isolated(report.incident))</p>\n<h1 dir=\"auto\">\(escape(title))</h1>\n<p class=\"chips\">")
        if let severity = report.figures.scope.severity { out.raw("<span class=\"chip sev-\(severity.rawValue)\">\(severity.rawValue)</span>") }
        if let kind = summary.kind { out.raw("<span class=\"chip\">\(escape(T.words(kind.rawValue)))</span>") }
        out.raw("<span class=\"chip phase-\(report.phase.rawValue)\">\(report.phase.rawValue)</span>")
        if let seconds = report.figures.duration.seconds { out.raw("<span class=\"chip\">\(escape(T.duration(seconds)))</span>") }
        out.raw("</p>\n<p class=\"note\">Built from the incident ledger alone. Times are UTC; #N is an event’s position in the ledger.</p>\n</header>\n")

        out.section("summary", "Summary")
        var severity = report.figures.scope.severity?.rawValue ?? T.notRecorded
        if let declared = report.declaredSeverity, declared != report.figures.scope.severity { severity += " (declared \(declared.rawValue))" }
        var status = report.phase.rawValue
        if let last = summary.lastPublicStatus { status += "; last public status \(last.rawValue)" }
        if summary.reopenCount > 0 { status += "; reopened \(summary.reopenCount)×" }
        status += "; postmortem \(summary.postmortem == .none ? "not started" : summary.postmortem.rawValue)"
        out.raw("<dl class=\"facts\">\n")
        out.fact("Incident", isolated(report.incident))
        out.fact("Title", isolated(title))
        out.fact("Kind", escape(summary.kind.map { T.words($0.rawValue) } ?? T.notRecorded))
        out.fact("Severity", escape(severity))
        out.fact("Status", escape(status))
        out.fact("Duration", durationHTML(report))
        if let resolution = report.resolutionSummary { out.fact("Resolution", isolated(resolution)) }
        out.raw("</dl>\n</section>\n")

        // The picture
        out.section("picture", "The incident on a time axis")
        out.raw("<figure>\n")
        out.raw(TimelineSVG.render(report))
        out.raw("<figcaption>Status phases as coloured bands; public updates (U1, U2 …) with the next update they promised, a missed promise in red until the next update came; customer messages with the time to their first reply; escalations until closed. Hover a mark for its details.</figcaption>\n</figure>\n</section>\n")

        // Impact
        out.section("impact", "Impact")
        out.raw("<table>\n<thead><tr><th>Moment</th><th>When (UTC)</th><th>Recorded in</th></tr></thead>\n<tbody>\n")
        for row in T.impactMoments(report) {
            let when = row.moment.map { escape($0.at.rfc3339) } ?? notRecorded()
            let note = row.note.map { " <span class=\"muted\">— \(escape($0))</span>" } ?? ""
            out.raw("<tr><th scope=\"row\">\(row.label)</th><td class=\"time\">\(when)\(note)</td><td>\(row.moment.map { escape(T.provenance($0)) } ?? "")</td></tr>\n")
        }
        out.raw("</tbody>\n</table>\n<dl class=\"facts\">\n")
        if summary.kind == .scheduledMaintenance, let start = summary.plannedStart, let end = summary.plannedEnd {
            out.fact("Announced window", escape("\(start.rfc3339) – \(end.rfc3339)"))
        }
        out.fact("Services / components", listHTML(report.figures.scope.services))
        out.fact("Regions", listHTML(report.figures.scope.regions))
        out.fact("Customer segments", listHTML(report.figures.scope.customerSegments))
        out.fact("Customers affected", report.figures.scope.customersAffected.map { escape(T.customersAffected($0)) } ?? notRecorded())
        let customers = report.customersWhoWroteIn
        out.fact("Customer messages", "\(report.messages.count), from \(customers.count) distinct customer\(customers.count == 1 ? "" : "s")\(customers.isEmpty ? "" : ": \(customers.map(isolated).joined(separator: ", "))")")
        out.raw("</dl>\n</section>\n")

        // Response figures
        out.section("figures", "Response figures")
        if let unknown = report.figures.unknownTimes { out.raw("<p class=\"note\">\(escape(T.unknownTimesNote(unknown)))</p>\n") }
        out.raw("<table class=\"figures\">\n<thead><tr><th>Figure</th><th class=\"num\">Value</th><th>Clock starts</th><th>Clock stops</th></tr></thead>\n<tbody>\n")
        for row in report.figureRows {
            let value = row.figure.seconds.map { "<strong>\(escape(T.duration($0)))</strong>" } ?? notRecorded()
            out.raw("<tr><th scope=\"row\">\(escape(row.label))</th><td class=\"num\">\(value)</td><td>\(momentHTML(row.figure.start, expected: row.startsAt))</td><td>\(momentHTML(row.figure.stop, expected: row.stopsAt))</td></tr>\n")
        }
        out.raw("</tbody>\n</table>\n")
        out.raw("<h3>Time to first reply, per customer message</h3>\n")
        if report.figures.firstReplies.isEmpty {
            out.raw("<p class=\"muted\">No customer messages were recorded.</p>\n")
        } else {
            out.raw("<table>\n<thead><tr><th>Message</th><th>Customer</th><th>Channel</th><th>Received</th><th>First reply</th><th class=\"num\">Time to first reply</th></tr></thead>\n<tbody>\n")
            for reply in report.figures.firstReplies {
                var customer = isolated(reply.customer)
                if let tier = reply.tier { customer += " <span class=\"muted\">(\(isolated(tier)))</span>" }
                if reply.threatensToLeave { customer += " <span class=\"tag bad\">threatens to leave</span>" }
                let received = reply.figure.start.map { "\(escape($0.at.rfc3339)) <span class=\"muted\">\(escape(T.provenance($0)))</span>" } ?? ""
                let first = reply.figure.stop.map { "\(escape($0.at.rfc3339)) <span class=\"muted\">\(escape(T.provenance($0)))</span>" } ?? "<span class=\"flag\">unanswered</span>"
                let value = reply.figure.seconds.map { "<strong>\(escape(T.duration($0)))</strong>" } ?? "<span class=\"flag\">unanswered</span>"
                out.raw("<tr\(reply.isAnswered ? "" : " class=\"missed\"")><td>\(isolated(reply.messageId))</td><td>\(customer)</td><td>\(escape(T.words(reply.channel.rawValue)))</td><td class=\"time\">\(received)</td><td class=\"time\">\(first)</td><td class=\"num\">\(value)</td></tr>\n")
            }
            out.raw("</tbody>\n</table>\n")
        }
        out.raw("<h3>Public updates</h3>\n<dl class=\"facts\">\n")
        if let gap = report.figures.longestUpdateGap, let update = report.updates.first(where: { $0.position == gap.afterPosition }) {
            out.fact("Longest gap while open", "<strong>\(escape(T.duration(gap.seconds)))</strong>, after U\(update.number) (#\(update.position)) at \(escape(gap.from.rfc3339)), until \(escape(T.gapEnd(gap)))")
        } else {
            out.fact("Longest gap while open", "\(notRecorded()) <span class=\"muted\">(no public update while open)</span>")
        }
        let promises = report.figures.updatePromises
        var promiseText = "\(promises.made) made — \(promises.kept) kept, "
        promiseText += promises.missed.isEmpty ? "0 missed" : "<span class=\"flag\">\(promises.missed.count) missed</span>"
        if promises.pending > 0 { promiseText += ", \(promises.pending) not yet due" }
        for missed in promises.missed {
            let number = report.updates.first { $0.position == missed.promisedIn }.map { "U\($0.number) " } ?? ""
            promiseText += "<br><span class=\"flag\">Missed:</span> \(number)(#\(missed.promisedIn)): \(escape(T.missed(missed)))"
        }
        out.fact("Promised next updates", promiseText)
        out.fact("ETA against resolution", escape(T.eta(report.figures.eta)))
        out.raw("</dl>\n</section>\n")

        // Timeline
        out.section("timeline", "Timeline")
        out.raw("<p class=\"muted\">Every event of the incident in the order it happened; corrections are applied, retracted events struck through.</p>\n")
        out.raw("<table class=\"timeline\">\n<thead><tr><th>When (UTC)</th><th class=\"num\">#</th><th>Kind</th><th>What</th><th>Who</th><th>Notes</th></tr></thead>\n<tbody>\n")
        let missedByPosition = Dictionary(report.timeline.missedUpdates.map { ($0.promisedIn, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in report.timeline.entries {
            var notes = [String]()
            if let posted = Timeline.postedNote(postedAt: entry.postedAt, shownAt: entry.occurredAt) { notes.append("<span class=\"tag late\">posted</span> \(escape(posted))") }
            if entry.isLate { notes.append("<span class=\"tag late\">late</span> recorded \(escape(entry.knownAt.rfc3339))") }
            if !entry.correctedBy.isEmpty { notes.append("<span class=\"tag corrected\">corrected</span> by \(escape(T.positions(entry.correctedBy)))") }
            if let retracted = entry.retractedBy { notes.append("<span class=\"tag retracted\">retracted</span> by #\(retracted)") }
            if let missed = missedByPosition[entry.position] { notes.append("<span class=\"tag bad\">missed promise</span> \(escape(T.duration(missed.lateBySeconds))) late") }
            var classes = ["cat-\(entry.category.rawValue)"]
            if entry.retractedBy != nil { classes.append("retracted") }
            if missedByPosition[entry.position] != nil { classes.append("missed") }
            out.raw("<tr class=\"\(classes.joined(separator: " "))\"><td class=\"time\">\(escape(entry.occurredAt.rfc3339))</td><td class=\"num\">\(entry.position)</td><td><span class=\"kind\">\(entry.category.rawValue)</span></td><td class=\"what\">\(html(entry.sentence))</td><td class=\"who\">\(actorHTML(entry.actor))</td><td class=\"notes\">\(notes.joined(separator: "<br>"))</td></tr>\n")
        }
        out.raw("</tbody>\n</table>\n</section>\n")

        // Communications log
        out.section("communications", "Communications log")
        if report.updates.isEmpty { out.raw("<p class=\"muted\">No status updates were published.</p>\n") }
        for update in report.updates {
            out.raw("<article class=\"update\(update.missedPromise == nil ? "" : " missed")\">\n")
            out.raw("<h3>U\(update.number) · \(escape(update.at.rfc3339)) · \(escape(T.words(update.status.rawValue)))</h3>\n")
            var meta = "\(escape(T.words(update.audience.rawValue))) · \(escape(update.channels.map { T.words($0.rawValue) }.joined(separator: ", "))) · #\(update.position) · by \(isolated(update.actor))"
            if let posted = Timeline.postedNote(postedAt: update.postedAt, shownAt: update.at) { meta += " · <span class=\"tag late\">posted</span> \(escape(posted))" }
            if update.isLate { meta += " · <span class=\"tag late\">late</span> recorded \(escape(update.knownAt.rfc3339))" }
            if !update.correctedBy.isEmpty { meta += " · <span class=\"tag corrected\">corrected</span> by \(escape(T.positions(update.correctedBy)))" }
            out.raw("<p class=\"meta\">\(meta)</p>\n<blockquote dir=\"auto\">\(escape(update.text))</blockquote>\n")
            if let missed = update.missedPromise {
                out.raw("<p class=\"promise-missed\">Missed promise: \(escape(T.missed(missed))).</p>\n")
            } else if let next = update.nextUpdateBy {
                out.raw("<p class=\"promise\">Next update promised by \(escape(next.rfc3339)) — \(update.promise == .pending ? "not yet due" : "kept").</p>\n")
            }
            if let eta = update.etaAt { out.raw("<p class=\"promise\">ETA given: \(escape(eta.rfc3339)).</p>\n") }
            out.raw("</article>\n")
        }
        out.raw("</section>\n")

        // Escalations
        out.section("escalations", "Escalations")
        if report.escalations.isEmpty {
            out.raw("<p class=\"muted\">No escalations were recorded.</p>\n")
        } else {
            out.raw("<table>\n<thead><tr><th>Escalation</th><th>Raised</th><th>Levels</th><th>Reason</th><th>Customer</th><th>Then</th></tr></thead>\n<tbody>\n")
            for escalation in report.escalations {
                var reason = escape(T.words(escalation.reason.rawValue))
                if let note = escalation.note { reason += ": \(isolated(note))" }
                let then = escalation.steps.map { step in
                    switch step.kind {
                    case .acknowledged: "taken on by \(isolated(step.text)) at \(escape(step.at.rfc3339)) (#\(step.position))"
                    case .deescalated: "down to \(escape(T.words(step.level?.rawValue ?? ""))) at \(escape(step.at.rfc3339)) (#\(step.position)): \(isolated(step.text))"
                    case .closed: "closed at \(escape(step.at.rfc3339)) (#\(step.position)): \(isolated(step.text))"
                    }
                }
                out.raw("<tr><td>\(isolated(escalation.id))</td><td class=\"time\">\(escape(escalation.raisedAt.rfc3339)) <span class=\"muted\">#\(escalation.position)</span></td><td>\(escape(T.words(escalation.fromLevel.rawValue))) → <strong>\(escape(T.words(escalation.toLevel.rawValue)))</strong></td><td>\(reason)</td><td>\(escalation.customer.map(isolated) ?? "—")</td><td>\(then.isEmpty ? "still open" : then.joined(separator: "<br>"))</td></tr>\n")
            }
            out.raw("</tbody>\n</table>\n")
        }
        out.raw("</section>\n")

        // Satisfaction
        out.section("satisfaction", "Customer satisfaction")
        if report.surveys.isEmpty {
            out.raw("<p class=\"muted\">No surveys were sent.</p>\n")
        } else {
            out.raw("<ul>\n")
            for score in report.surveyScores { out.raw("<li>\(escape(T.surveyScore(score)))</li>\n") }
            out.raw("</ul>\n<table>\n<thead><tr><th>Survey</th><th>Customer</th><th>Scale</th><th>Sent</th><th>Answer</th><th>Comment</th></tr></thead>\n<tbody>\n")
            for survey in report.surveys {
                let answer = survey.score.map { "<strong>\($0)</strong> at \(escape(survey.answeredAt?.rfc3339 ?? ""))" }
                    ?? survey.expiredAt.map { "expired \(escape($0.rfc3339))" } ?? "<span class=\"muted\">no answer yet</span>"
                out.raw("<tr><td>\(isolated(survey.id))</td><td>\(isolated(survey.customer))</td><td class=\"time\">\(escape(T.scale(survey.scale)))</td><td class=\"time\">\(escape(survey.sentAt.rfc3339)) via \(escape(T.words(survey.channel.rawValue)))</td><td>\(answer)</td><td dir=\"auto\">\(survey.comment.map(escape) ?? "")</td></tr>\n")
            }
            out.raw("</tbody>\n</table>\n")
        }
        out.raw("</section>\n")

        // Root cause and follow-up
        out.section("follow-up", "Root cause and follow-up")
        let review = report.review
        var state = review.startedAt.map { "started \(escape($0.rfc3339))" } ?? "not started"
        if let owner = review.owner { state += " by \(isolated(owner))" }
        if let due = review.dueAt { state += ", due \(escape(due.rfc3339))" }
        if let published = review.publishedAt {
            state += "; published \(escape(published.rfc3339))"
            if let url = review.documentUrl { state += " at <bdi class=\"url\">\(escape(url))</bdi>" }
        } else {
            state += "; not published"
        }
        out.raw("<dl class=\"facts\">\n")
        out.fact("Postmortem", state)
        if let text = review.publishedSummary { out.fact("Published summary", isolated(text)) }
        out.raw("</dl>\n<h3>Root cause</h3>\n")
        if let cause = review.rootCause {
            let corrected = cause.finding.correctedBy.isEmpty ? "" : ", corrected by \(escape(T.positions(cause.finding.correctedBy)))"
            out.raw("<p><span class=\"tag\">\(escape(T.words(cause.category.rawValue)))</span> \(isolated(cause.finding.text)) <span class=\"muted\">#\(cause.finding.position)\(corrected)</span></p>\n")
        } else {
            out.raw("<p>\(notRecorded())</p>\n")
        }
        out.raw("<h3>Contributing factors</h3>\n")
        if review.contributingFactors.isEmpty {
            out.raw("<p class=\"muted\">None recorded.</p>\n")
        } else {
            out.raw("<ul>\n")
            for factor in review.contributingFactors { out.raw("<li>\(isolated(factor.text)) <span class=\"muted\">#\(factor.position)</span></li>\n") }
            out.raw("</ul>\n")
        }
        out.raw("<h3>Action items</h3>\n")
        if review.actionItems.isEmpty {
            out.raw("<p class=\"muted\">None recorded.</p>\n")
        } else {
            out.raw("<p class=\"muted\">States as of the report time, \(escape(report.source.asOf.rfc3339)).</p>\n")
            out.raw("<table>\n<thead><tr><th>Item</th><th>Title</th><th>Owner</th><th>Due</th><th>State</th></tr></thead>\n<tbody>\n")
            for item in review.actionItems {
                var state = "<span class=\"state-\(item.state.rawValue)\">\(escape(item.state.rawValue))</span>"
                if let done = item.completedAt { state += " \(escape(done.rfc3339))" }
                if let note = item.completionNote { state += ": \(isolated(note))" }
                out.raw("<tr\(item.state == .overdue ? " class=\"missed\"" : "")><td>\(isolated(item.id))</td><td>\(isolated(item.title))</td><td>\(isolated(item.owner))</td><td class=\"time\">\(escape(item.dueAt.rfc3339))</td><td>\(state)</td></tr>\n")
            }
            out.raw("</tbody>\n</table>\n")
        }
        out.raw("</section>\n")

        // The review's own findings
        for (id, heading) in [("went-well", "What went well"), ("could-be-better", "What could be better"), ("got-lucky", "Where we got lucky")] {
            out.section(id, heading)
            out.raw("<div class=\"placeholder\">To be written by the review.</div>\n</section>\n")
        }

        // Footer
        let source = report.source
        // Numbers, a hex hash and times only: nothing in it needs escaping.
        out.raw("<footer>\n<p>\(PostmortemText.provenance(source) { "<code>\($0)</code>" })</p>\n</footer>\n")
        out.raw("</main>\n</body>\n</html>\n")
        return out.text
    }

    /// Escapes text for HTML element content and quoted attribute values alike.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// A value from an event (a title, a note, a name, an id) for HTML: escaped, and isolated in a
    /// `<bdi>`, so that a right-to-left value keeps its own order and does not reorder the words
    /// around it.
    public static func isolated(_ text: String) -> String { "<bdi>" + escape(text) + "</bdi>" }

    /// Words and values for HTML: the words escaped, each value ``isolated(_:)``.
    public static func html(_ text: MixedText) -> String { text.html(escape: escape) }

    /// "person:oncall@example.com" as the kind, small, over the id.
    static func actorHTML(_ actor: String) -> String {
        guard let colon = actor.firstIndex(of: ":") else { return isolated(actor) }
        return "<span class=\"actor-kind\">\(escape(String(actor[..<colon])))</span><br>\(isolated(String(actor[actor.index(after: colon)...])))"
    }

    static func notRecorded() -> String { "<span class=\"nr\">\(PostmortemText.notRecorded)</span>" }

    static func listHTML(_ items: [String]) -> String {
        items.isEmpty ? notRecorded() : items.map(isolated).joined(separator: ", ")
    }

    static func durationHTML(_ report: PostmortemReport) -> String {
        let figure = report.figures.duration
        guard let seconds = figure.seconds, let start = figure.start, let stop = figure.stop else {
            return notRecorded() + (report.isOpen ? " <span class=\"muted\">(still open)</span>" : "")
        }
        return "<strong>\(escape(PostmortemText.duration(seconds)))</strong> <span class=\"muted\">— \(escape(PostmortemText.label(start.kind))) \(escape(start.at.rfc3339)) → \(escape(PostmortemText.label(stop.kind))) \(escape(stop.at.rfc3339))</span>"
    }

    static func momentHTML(_ moment: ResponseFigures.Moment?, expected: String) -> String {
        guard let moment else { return "\(notRecorded()) <span class=\"muted\">(\(escape(expected)))</span>" }
        let corrected = moment.correctedBy.isEmpty ? "" : " <span class=\"tag corrected\">corrected</span>"
        let shown = moment.shownAt.map { " <span class=\"muted\">(posted; shown as \(escape($0.rfc3339)))</span>" } ?? ""
        return "\(escape(PostmortemText.label(moment.kind))) <span class=\"time\">\(escape(moment.at.rfc3339))</span>\(shown) <span class=\"muted\">\(escape(PostmortemText.provenance(moment)))</span>\(corrected)"
    }

    /// The house style of every HTML report (postmortems, reviews).
    public static let stylesheet = """
        :root { --ink: #1d2430; --muted: #5b6575; --line: #d9dee6; --soft: #f3f5f8; --accent: #1f5fa8; --bad: #b42318; --bad-bg: #fdecea; }
        * { box-sizing: border-box; }
        html { background: #eef0f3; }
        body { margin: 0; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        main { max-width: 1120px; margin: 0 auto; padding: 28px 40px 40px; background: #fff; }
        header { border-bottom: 3px solid var(--ink); padding-bottom: 12px; }
        .eyebrow { margin: 0; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); }
        h1 { margin: 4px 0 10px; font-size: 28px; line-height: 1.25; overflow-wrap: anywhere; }
        h2 { margin: 34px 0 12px; padding-bottom: 4px; font-size: 20px; border-bottom: 1px solid var(--line); }
        h3 { margin: 20px 0 8px; font-size: 16px; }
        .chips { margin: 0 0 6px; }
        .chip { display: inline-block; margin: 0 6px 4px 0; padding: 2px 10px; border-radius: 12px; background: var(--soft); font-size: 13px; font-weight: 600; }
        .sev-sev1 { background: #fde2e1; color: #8a1c14; } .sev-sev2 { background: #feecdc; color: #8a3b00; }
        .sev-sev3 { background: #fdf6d8; color: #6b5400; } .sev-sev4 { background: #e6f4ea; color: #1e5c2e; }
        .phase-resolved, .phase-closed { background: #e6f4ea; color: #1e5c2e; }
        .note, .muted { color: var(--muted); }
        .note { margin: 0; font-size: 13px; }
        dl.facts { display: grid; grid-template-columns: 220px 1fr; gap: 4px 16px; margin: 8px 0; }
        dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        table { width: 100%; margin: 8px 0; border-collapse: collapse; font-size: 13.5px; }
        th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        thead th { background: var(--soft); font-weight: 600; }
        tbody th { font-weight: 600; }
        .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        .time { white-space: nowrap; font-variant-numeric: tabular-nums; }
        .nr { color: var(--muted); font-style: italic; }
        .flag { color: var(--bad); font-weight: 600; }
        tr.missed td, tr.missed th { background: var(--bad-bg); }
        .tag { display: inline-block; padding: 0 6px; border-radius: 4px; background: var(--soft); color: var(--muted); font-size: 11.5px; font-weight: 600; white-space: nowrap; }
        .tag.late { background: #fff1db; color: #8a4b00; } .tag.corrected { background: #e3edfc; color: #1f4e9a; }
        .tag.retracted, .tag.bad { background: #fde2e1; color: #8a1c14; }
        .kind { font-size: 12px; color: var(--muted); }
        table.timeline td.what { overflow-wrap: anywhere; } table.timeline td.who { min-width: 170px; font-size: 12px; overflow-wrap: break-word; }
        .actor-kind { font-size: 11px; color: var(--muted); }
        table.timeline td.notes { font-size: 12px; min-width: 150px; }
        tr.retracted td.what { text-decoration: line-through; color: var(--muted); }
        article.update { margin: 12px 0; padding: 10px 14px; border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 6px; }
        article.update.missed { border-left-color: var(--bad); }
        article.update h3 { margin: 0 0 2px; }
        .meta { margin: 0 0 6px; font-size: 12.5px; color: var(--muted); }
        blockquote { margin: 6px 0; padding: 8px 12px; background: #f7f9fc; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
        .promise { margin: 4px 0 0; font-size: 13px; color: var(--muted); }
        .promise-missed { margin: 6px 0 0; padding: 6px 10px; border-radius: 4px; background: var(--bad-bg); color: var(--bad); font-weight: 600; font-size: 13.5px; }
        .state-overdue { color: var(--bad); font-weight: 600; } .state-done { color: #1e6b32; font-weight: 600; }
        .placeholder { min-height: 72px; padding: 10px 12px; border: 1px dashed #b8c0ca; border-radius: 6px; color: var(--muted); font-style: italic; }
        .url { overflow-wrap: anywhere; }
        figure { margin: 8px 0; }
        figure svg { display: block; width: 100%; height: auto; }
        figcaption { margin-top: 6px; font-size: 12.5px; color: var(--muted); }
        footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line); font-size: 12.5px; color: var(--muted); }
        code { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; overflow-wrap: anywhere; }
        @page { size: A4; margin: 14mm; }
        @media print {
          html, main { background: #fff; }
          body { font-size: 10.5pt; }
          main { max-width: none; padding: 0; }
          h2, h3 { break-after: avoid; }
          tr, article.update, figure, dl.facts { break-inside: avoid; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }

        """
}

/// Collects HTML; callers escape what comes from events.
struct HTMLWriter {
    var text = ""

    mutating func raw(_ html: String) { text += html }

    mutating func section(_ id: String, _ title: String) {
        text += "<section id=\"\(id)\">\n<h2>\(PostmortemHTML.escape(title))</h2>\n"
    }

    /// One term and its (already escaped) description.
    mutating func fact(_ term: String, _ description: String) {
        text += "<dt>\(PostmortemHTML.escape(term))</dt><dd>\(description)</dd>\n"
    }
}
