import IncidentEvents
import LedgerModel
public import IncidentProjections

/// The postmortem report as Markdown (CommonMark with GitHub tables).
///
/// Every text that comes from an event is escaped, so a title or an update cannot add headings,
/// links, HTML or table cells of its own.
public enum PostmortemMarkdown {
    public static func render(_ report: PostmortemReport) -> String {
        var out = MarkdownWriter()
        let summary = report.summary
        let T = PostmortemText.self

        out.line("# Postmortem: \(escape(report.incident)) — \(escape(summary.title ?? "untitled"))")
        out.line()
        out.line("*Built from the incident ledger alone. Times are UTC; `#N` is an event's position in the ledger. Figures are defined in docs/postmortem.md.*")

        // Summary
        out.heading("Summary")
        let code = { (value: String) in "`\(value)`" }
        out.table(["Field", "Value"], [
            ["Incident", escape(report.incident)],
            ["Title", escape(summary.title ?? T.notRecorded)],
            ["Kind", summary.kind.map { "`\($0.rawValue)`" } ?? T.notRecorded],
            ["Severity", T.severity(report, code: code)],
            ["Status", T.status(report, code: code)],
            ["Duration", durationText(report)],
        ])
        if let resolution = report.resolutionSummary {
            out.line()
            out.line("**Resolution:** \(escape(resolution))")
        }

        // Impact
        out.heading("Impact")
        out.table(["Moment", "When (UTC)", "Recorded in"], T.impactMoments(report).map { row in
            let when = row.moment.map { $0.at.rfc3339 } ?? "*\(T.notRecorded)*"
            let note = row.note.map { " — \(escape($0))" } ?? ""
            return [row.label, when + note, row.moment.map(T.provenance) ?? ""]
        })
        out.line()
        if let window = T.plannedWindow(summary) { out.line("- **Announced window:** \(window)") }
        out.line("- **Services / components:** \(escape(T.list(report.figures.scope.services)))")
        out.line("- **Regions:** \(escape(T.list(report.figures.scope.regions)))")
        out.line("- **Customer segments:** \(escape(T.list(report.figures.scope.customerSegments)))")
        out.line("- **Customers affected:** \(T.customersAffected(report.figures.scope.customersAffected))")
        let customers = report.customersWhoWroteIn
        out.line("- **Customer messages:** \(report.messages.count), from \(customers.count) distinct customer\(customers.count == 1 ? "" : "s")\(customers.isEmpty ? "" : " (\(escape(customers.joined(separator: ", "))))")")

        // Response figures
        out.heading("Response figures")
        if let unknown = report.figures.unknownTimes {
            out.line("*\(T.unknownTimesNote(unknown))*")
            out.line()
        }
        out.table(["Figure", "Value", "Clock starts", "Clock stops"], report.figureRows.map { row in
            [row.label, row.figure.seconds.map { "**\(T.duration($0))**" } ?? "*\(T.notRecorded)*",
             moment(row.figure.start, expected: row.startsAt), moment(row.figure.stop, expected: row.stopsAt)]
        })

        out.subheading("Time to first reply, per customer message")
        if report.figures.firstReplies.isEmpty {
            out.line("No customer messages were recorded.")
        } else {
            let listing = T.replyListing(report)
            if let collapsed = listing.collapsed { out.line(collapsed); out.line() }
            out.table(["Message", "Customer", "Channel", "Received", "First reply", "Time to first reply"], listing.listed.map { reply in
                var customer = escape(reply.customer)
                if let tier = reply.tier { customer += " (\(escape(tier)))" }
                if reply.threatensToLeave { customer += " — threatens to leave" }
                return [
                    escape(reply.messageId), customer, T.words(reply.channel.rawValue),
                    reply.figure.start.map { "\($0.at.rfc3339) (\(T.provenance($0)))" } ?? "",
                    reply.figure.stop.map { "\($0.at.rfc3339) (\(T.provenance($0)))" } ?? "**unanswered**",
                    reply.figure.seconds.map { "**\(T.duration($0))**" } ?? "**unanswered**",
                ]
            })
        }

        out.subheading("Public updates")
        if let gap = T.longestGap(report) {
            out.line("- **Longest gap between public updates while open:** **\(T.duration(gap.seconds))**\(gap.rest)")
        } else {
            out.line("- **Longest gap between public updates while open:** *\(T.notRecorded)* (no public update while open)")
        }
        out.line("- **Promised next updates:** \(T.promises(report.figures.updatePromises) { $0 })")
        for missed in T.missedPromises(report) { out.line("  - **Missed:** \(missed)") }
        out.line("- **ETA against resolution:** \(T.eta(report.figures.eta))")

        out.subheading("Playbook checks")
        out.line(T.playbookSummary(report))
        if !report.playbookFindings.isEmpty {
            out.line()
            out.table(["When (UTC)", "#", "Rule", "What"], report.playbookFindings.map { found in
                [found.occurredAt.rfc3339, "\(found.position)", "`\(found.finding.rule.rawValue)`", escape(found.finding.message)]
            })
        }

        // Timeline
        out.heading("Timeline")
        out.line("Every event of the incident in the order it happened; corrections are applied, retracted events struck through.")
        out.line()
        let missedByPosition = Dictionary(report.timeline.missedUpdates.map { ($0.promisedIn, $0) }, uniquingKeysWith: { first, _ in first })
        out.table(["When (UTC)", "#", "Kind", "What", "Who", "Notes"], report.timeline.entries.map { entry in
            var notes = [String]()
            if let posted = Timeline.postedNote(postedAt: entry.postedAt, shownAt: entry.occurredAt) { notes.append(posted) }
            if entry.isLate { notes.append("late: recorded \(entry.knownAt.rfc3339)") }
            if !entry.correctedBy.isEmpty { notes.append("corrected by \(T.positions(entry.correctedBy))") }
            if let retracted = entry.retractedBy { notes.append("**retracted** by #\(retracted)") }
            if let missed = missedByPosition[entry.position] { notes.append("**missed promise**, \(T.duration(missed.lateBySeconds)) late") }
            let what = entry.retractedBy == nil ? escape(entry.text) : "~~\(escape(entry.text))~~"
            return [entry.occurredAt.rfc3339, "\(entry.position)", entry.category.rawValue, what, escape(entry.actor), notes.joined(separator: "; ")]
        })

        // Communications log
        out.heading("Communications log")
        if report.updates.isEmpty { out.line("No status updates were published.") }
        for update in report.updates {
            out.subheading(T.heading(update))
            var meta = text(T.byline(update))
            if let posted = Timeline.postedNote(postedAt: update.postedAt, shownAt: update.at) { meta += " · \(posted)" }
            if update.isLate { meta += " · recorded late, \(update.knownAt.rfc3339)" }
            if !update.correctedBy.isEmpty { meta += " · corrected by \(T.positions(update.correctedBy))" }
            out.line("*\(meta)*")
            out.line()
            out.quote(update.text)
            out.line()
            if let missed = update.missedPromise {
                out.line("**⚠ Missed promise:** \(T.missed(missed)).")
            } else if let next = T.nextUpdate(update) {
                out.line(next)
            }
            if let eta = update.etaAt {
                if update.missedPromise != nil || update.nextUpdateBy != nil { out.line() }
                out.line(T.etaGiven(eta))
            }
        }

        // Hand-offs
        out.heading("Hand-offs")
        if report.handOffs.isEmpty {
            out.line("No hand-offs were recorded.")
        } else {
            out.table(["When (UTC)", "#", "From → to", "Summary"], report.handOffs.map { handOff in
                [handOff.at.rfc3339, T.provenance(position: handOff.position, correctedBy: handOff.correctedBy), text(T.handOffParties(handOff)), escape(handOff.summary)]
            })
        }

        // Escalations
        out.heading("Escalations")
        if report.escalations.isEmpty {
            out.line("No escalations were recorded.")
        } else {
            out.table(["Escalation", "Raised", "Levels", "Reason", "Customer", "Then"], report.escalations.map { escalation in
                let then = escalation.steps.map { text(T.step($0)) }
                return [
                    escape(escalation.id), "\(escalation.raisedAt.rfc3339) (#\(escalation.position))",
                    "\(T.words(escalation.fromLevel.rawValue)) → \(T.words(escalation.toLevel.rawValue))", text(T.reason(escalation)),
                    escalation.customer.map(escape) ?? "—", then.isEmpty ? "still open" : then.joined(separator: "; "),
                ]
            })
        }

        // Executive sponsorship
        out.heading("Executive sponsorship")
        out.line(text(T.sponsoredCustomers(report)))
        if !report.figures.sponsorshipChanges.isEmpty { out.line() }
        for change in report.figures.sponsorshipChanges { out.line("- \(text(T.sponsorshipChange(change)))") }
        if !report.figures.executiveContacts.isEmpty {
            out.line()
            out.table(["Customer", "Threatened to leave", "Executive contact", "Time to executive contact"], report.figures.executiveContacts.map { contact in
                [
                    escape(contact.customer), contact.figure.start.map { "\($0.at.rfc3339) (\(T.provenance($0)))" } ?? "",
                    contact.figure.stop.map { "\($0.at.rfc3339) (\(T.provenance($0))): \(T.contactKind(contact.contactKind!))" } ?? "*\(T.notRecorded)*",
                    contact.figure.seconds.map { "**\(T.duration($0))**" } ?? "*\(T.notRecorded)*",
                ]
            })
        }

        // Satisfaction
        out.heading("Customer satisfaction")
        if report.surveys.isEmpty {
            out.line("No surveys were sent.")
        } else {
            for score in report.surveyScores { out.line("- \(T.surveyScore(score))") }
            out.line()
            out.table(["Survey", "Customer", "Scale", "Sent", "Answer", "Comment"], report.surveys.map { survey in
                let answer = survey.score.map { "**\($0)** at \(survey.answeredAt?.rfc3339 ?? "")" }
                    ?? survey.expiredAt.map { "expired \($0.rfc3339)" } ?? "no answer yet"
                return [escape(survey.id), escape(survey.customer), T.scale(survey.scale), "\(survey.sentAt.rfc3339) via \(T.words(survey.channel.rawValue))", answer, survey.comment.map(escape) ?? ""]
            })
        }

        // Root cause and follow-up
        out.heading("Root cause and follow-up")
        let review = report.review
        let (state, url) = T.reviewState(review)
        out.line("**Postmortem:** \(text(state))\(url.map { " at \(escape($0))" } ?? "").")
        if let summaryText = review.publishedSummary { out.line(); out.line("**Published summary:** \(escape(summaryText))") }
        out.subheading("Root cause")
        if let cause = review.rootCause {
            out.line("`\(cause.category.rawValue)` — \(escape(cause.finding.text)) (\(T.provenance(position: cause.finding.position, correctedBy: cause.finding.correctedBy)))")
        } else {
            out.line("*\(T.notRecorded)*")
        }
        out.subheading("Contributing factors")
        if review.contributingFactors.isEmpty { out.line("*None recorded.*") }
        for factor in review.contributingFactors { out.line("- \(escape(factor.text)) (#\(factor.position))") }
        out.subheading("Action items")
        if review.actionItems.isEmpty {
            out.line("*None recorded.*")
        } else {
            out.line("States as of the report time, \(report.source.asOf.rfc3339).")
            out.line()
            out.table(["Item", "Title", "Owner", "Due", "State"], review.actionItems.map { item in
                var state = T.state(item)
                if item.state == .overdue { state = "**overdue**" }
                if let note = item.completionNote { state += ": \(escape(note))" }
                return [escape(item.id), escape(item.title), escape(item.owner), item.dueAt.rfc3339, state]
            })
        }

        // The review's own findings
        for (kind, _, heading) in T.findingHeadings {
            out.heading(heading)
            let findings = review.findings(kind)
            if findings.isEmpty { out.line("*\(T.noFindings)*") }
            for finding in findings { out.line("- \(escape(finding.finding.text)) — \(text(T.findingSource(finding)))") }
        }

        // Footer
        let source = report.source
        out.line()
        out.line("---")
        out.line()
        out.line(PostmortemText.provenance(source) { "`\($0)`" })
        return out.text
    }

    static func durationText(_ report: PostmortemReport) -> String {
        let figure = report.figures.duration
        guard let seconds = figure.seconds, let start = figure.start, let stop = figure.stop else {
            let open = report.isOpen ? " (still open)" : ""
            return "*\(PostmortemText.notRecorded)*\(open)"
        }
        return "**\(PostmortemText.duration(seconds))** — \(PostmortemText.span(start, stop))"
    }

    /// A clock's start or stop in a cell: "detected 2026-… (#1)", or what is missing.
    static func moment(_ moment: ResponseFigures.Moment?, expected: String) -> String {
        guard let moment else { return "*\(PostmortemText.notRecorded)* (\(expected))" }
        let shown = moment.shownAt.map { " (posted; shown as \($0.rfc3339))" } ?? ""
        return "\(PostmortemText.label(moment.kind)) \(moment.at.rfc3339)\(shown) (\(PostmortemText.provenance(moment)))"
    }

    /// A sentence for Markdown: the words as they are, every value ``escape(_:)``d.
    static func text(_ sentence: MixedText) -> String {
        sentence.parts.map { part in
            switch part {
            case .words(let words): words
            case .value(let value): escape(value)
            }
        }.joined()
    }

    /// Escapes text from an event for inline Markdown: the characters that start emphasis, code,
    /// links, HTML, entities and table cells are backslash-escaped; line breaks become spaces.
    public static func escape(_ text: String) -> String {
        let characters = Array(text)
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for (index, character) in characters.enumerated() {
            switch character {
            case "\\", "`", "*", "[", "]", "<", ">", "|", "~":
                out.append("\\")
                out.append(character)
            case "_":
                // Inside a word an underscore never starts emphasis: keep `checkout_api` readable.
                let before = index > 0 && (characters[index - 1].isLetter || characters[index - 1].isNumber)
                let after = index + 1 < characters.count && (characters[index + 1].isLetter || characters[index + 1].isNumber)
                if !(before && after) { out.append("\\") }
                out.append(character)
            case "&":
                out.append("\\&")
            case "\n", "\r", "\r\n", "\t":
                out.append(" ")
            default:
                out.append(character)
            }
        }
        // A leading character that would start a block (heading, list, quote) is escaped too.
        if let first = out.first, "#-+=".contains(first) { out = "\\" + out }
        return out
    }
}

/// Collects Markdown lines.
struct MarkdownWriter {
    var text = ""

    mutating func line(_ line: String = "") {
        text += line
        text += "\n"
    }

    /// One empty line before a block, never two.
    mutating func blank() {
        if !text.hasSuffix("\n\n") { line() }
    }

    mutating func heading(_ title: String) {
        blank()
        line("## \(title)")
        line()
    }

    mutating func subheading(_ title: String) {
        blank()
        line("### \(title)")
        line()
    }

    /// A GitHub table; cells are already escaped.
    mutating func table(_ header: [String], _ rows: [[String]]) {
        line("| " + header.joined(separator: " | ") + " |")
        line("|" + header.map { _ in "---" }.joined(separator: "|") + "|")
        for row in rows { line("| " + row.joined(separator: " | ") + " |") }
    }

    /// A block quote of text from an event, its line breaks kept (a backslash at the end of a line
    /// is a hard line break in CommonMark).
    mutating func quote(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { PostmortemMarkdown.escape(String($0)) }
        for (index, escaped) in lines.enumerated() {
            let breaks = index + 1 < lines.count && !escaped.isEmpty && !lines[index + 1].isEmpty
            line(escaped.isEmpty ? ">" : "> \(escaped)\(breaks ? "\\" : "")")
        }
    }
}
