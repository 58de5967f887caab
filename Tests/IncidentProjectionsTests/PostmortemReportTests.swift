import Foundation
import IncidentEvents
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing
@testable import IncidentProjections

extension JSONValue {
    fileprivate subscript(arrayIndex index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }
}

@Suite struct PostmortemReportTests {
    static func report(_ ledger: Ledger, stream: String = "INC-1") throws -> PostmortemReport {
        let runner = ProjectionRunner(ledger: ledger)
        try runner.catchUp(IncidentStateProjection.self)
        let summary = try runner.state(IncidentStateProjection.self, key: stream)
        // As of the ledger's last recorded time: these tests judge promises as the ledger stood then.
        return try #require(try ledger.read { try PostmortemReport.build(stream, summary: summary, asOf: try $0.head().recordedAt, in: $0) })
    }

    static func renderAll(_ report: PostmortemReport) -> [String] {
        [PostmortemMarkdown.render(report), PostmortemHTML.render(report), PostmortemJSON.render(report)]
    }

    /// The hand-worked incident plus a postmortem: an overdue item, an open one and a done one.
    static func reviewed() -> IncidentScript {
        var (script, _) = ResponseFiguresTests.handWorked()
        let at = IncidentScript.at
        script.add(.postmortemStarted(PostmortemStarted(owner: "dana", dueAt: at(3 * 24 * 60))), at: 120)
        script.add(.rootCauseRecorded(RootCauseRecorded(summary: "A pool change without canary", category: .configuration)), at: 130)
        script.add(.contributingFactorRecorded(ContributingFactorRecorded(summary: "Muted alert channel")), at: 131)
        script.add(.actionItemOpened(ActionItemOpened(actionItemId: "ai-1", title: "Canary gateway changes", owner: "platform", dueAt: at(200))), at: 140)
        script.add(.actionItemOpened(ActionItemOpened(actionItemId: "ai-2", title: "Cover authorisation in health checks", owner: "payments", dueAt: at(100 * 24 * 60))), at: 141)
        script.add(.actionItemOpened(ActionItemOpened(actionItemId: "ai-3", title: "Unmute the alert channel", owner: "sre", dueAt: at(150))), at: 142)
        script.add(.actionItemCompleted(ActionItemCompleted(actionItemId: "ai-3", note: "done")), at: 145)
        script.add(.surveySent(SurveySent(surveyId: "s-1", customer: "acme", channel: .email, scale: .csat)), at: 150)
        script.add(.surveyAnswered(SurveyAnswered(surveyId: "s-1", score: 4, comment: "ok")), at: 160)
        return script
    }

    @Test func theSameLedgerGivesTheSameBytes() async throws {
        let script = Self.reviewed()
        let (_, first) = try await script.record()
        let (_, second) = try await script.record()
        let once = Self.renderAll(try Self.report(first))
        let again = Self.renderAll(try Self.report(first))
        let elsewhere = Self.renderAll(try Self.report(second))
        #expect(once == again)
        #expect(once == elsewhere, "two ledgers holding the same records give the same report")
        // The footer names the head it was built from.
        let head = try first.read { try $0.head() }
        #expect(once[0].contains("Built from ledger position \(head.position), chain head `\(head.hash.hex)`"))
        #expect(once[1].contains(head.hash.hex))
        let json = try JSONParser.parse(once[2])
        #expect(json["source"]?["chainHead"]?.stringValue == head.hash.hex)
        #expect(json["source"]?["ledgerPosition"] == .integer(Int64(head.position)))
        #expect(json["source"]?["incidentLastPosition"] == .integer(Int64(head.position)))
    }

    @Test func theReportCarriesTheFiguresAndTheReview() async throws {
        // The ledger's clock stands at day 2: ai-1 (due minute 200) is overdue, ai-2 (due day 100) open,
        // although both are long past on the wall clock.
        let (_, ledger) = try await Self.reviewed().record(clockMinute: 2 * 24 * 60)
        let report = try Self.report(ledger)
        #expect(report.review.actionItems.map(\.state) == [.overdue, .open, .done])
        #expect(report.updates.map(\.promise) == [.missed, .kept, nil], "the internal update is not in the communications log")
        #expect(report.updates.map(\.position) == [4, 10, 14])
        #expect(report.phases.map(\.phase) == [.investigating, .mitigated, .resolved])
        #expect(report.phase == .resolved && !report.isOpen, "the mitigated status recorded after the resolution happened before it")
        #expect(report.customersWhoWroteIn == ["acme", "globex"])
        #expect(report.surveyScores.first?.mean == 4.0)

        let markdown = PostmortemMarkdown.render(report)
        #expect(markdown.contains("| Time to detect | **2m** | impact started 2026-03-14T09:02:00Z (#1) | detected 2026-03-14T09:04:00Z (#1, corrected by #16) |"))
        #expect(markdown.contains("| m-2 | acme | chat | 2026-03-14T09:18:00Z (#6) | **unanswered** | **unanswered** |"))
        #expect(markdown.contains("**⚠ Missed promise:** next update promised by 2026-03-14T09:30:00Z; the next came at 2026-03-14T09:36:00Z, 6m late."))
        #expect(markdown.contains("| ai-1 | Canary gateway changes | platform | 2026-03-14T12:20:00Z | **overdue** |"))
        #expect(markdown.contains("corrected by #16"))
        for heading in ["## What went well", "## What could be better", "## Where we got lucky"] { #expect(markdown.contains(heading)) }
        let order = ["## Summary", "## Impact", "## Response figures", "## Timeline", "## Communications log", "## Escalations",
                     "## Customer satisfaction", "## Root cause and follow-up", "## What went well"]
        let offsets = order.map { markdown.range(of: $0)?.lowerBound }
        #expect(offsets.allSatisfy { $0 != nil })
        #expect(offsets.compactMap { $0 } == offsets.compactMap { $0 }.sorted())

        let json = try JSONParser.parse(PostmortemJSON.render(report))
        let figures = try #require(json["responseFigures"])
        #expect(figures["timeToDetect"]?["seconds"] == 120)
        #expect(figures["timeToDetect"]?["stop"]?["correctedBy"] == [16])
        #expect(figures["duration"]?["seconds"] == .integer(53 * 60))
        #expect(figures["updatePromises"]?["missedCount"] == 1)
        #expect(figures["firstReplies"]?[arrayIndex: 1]?["figure"]?["seconds"] == .null)
        #expect(json["postmortem"]?["actionItems"]?[arrayIndex: 0]?["state"] == "overdue")
    }

    @Test func missingFiguresReadNotRecordedNeverZero() async throws {
        var script = IncidentScript()
        script.add(.declared(IncidentDeclared(title: "Quiet", severity: .sev3)), at: 0)
        let (_, ledger) = try await script.record(clockMinute: 60)
        let report = try Self.report(ledger)
        let markdown = PostmortemMarkdown.render(report)
        #expect(markdown.contains("| Time to detect | *not recorded* | *not recorded* (impact start) | *not recorded* (detection) |"))
        #expect(markdown.contains("| Duration | *not recorded* (still open) |"))
        #expect(!markdown.contains("**0s**"))
        let html = PostmortemHTML.render(report)
        #expect(html.contains("<td class=\"num\"><span class=\"nr\">not recorded</span></td>"))
        let json = try JSONParser.parse(PostmortemJSON.render(report))
        for row in report.figureRows { #expect(json["responseFigures"]?[row.key]?["seconds"] == .null, "\(row.key)") }
        #expect(json["summary"]?["durationSeconds"] == .null)
    }

    @Test func textFromEventsCannotInjectHTMLOrMarkdown() async throws {
        var script = IncidentScript()
        let hostile = #"<script>alert("x")</script> & 'quotes' <img src=x onerror=alert(1)>"#
        script.add(.declared(IncidentDeclared(title: hostile, severity: .sev1, services: ["<b>svc</b>"])), at: 0)
        script.add(.statusUpdatePublished(StatusUpdatePublished(status: .investigating, channels: [.email], text: "</blockquote><script>x</script>\n# heading")), at: 5)
        script.add(.messageReceived(CustomerMessageReceived(messageId: "\"><svg onload=alert(1)>", channel: .email, customer: "a|b", subject: "[link](javascript:x)")), at: 6)
        script.add(.escalationRaised(EscalationRaised(escalationId: "<e>", fromLevel: .support, toLevel: .executive, reason: .other, note: "<iframe>")), at: 7)
        let (_, ledger) = try await script.record()
        let report = try Self.report(ledger)

        let html = PostmortemHTML.render(report)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img") && !html.contains("<iframe") && !html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;"))
        // Every tag in the file is one the renderer writes itself.
        let allowed: Set<String> = [
            "html", "head", "meta", "title", "style", "body", "main", "header", "p", "span", "h1", "h2", "h3", "section", "dl", "dt", "dd",
            "figure", "figcaption", "svg", "rect", "line", "text", "circle", "path", "table", "thead", "tbody", "tr", "th", "td",
            "article", "blockquote", "ul", "li", "div", "footer", "code", "strong", "br", "bdi",
        ]
        let tags = try Regex(#"<\/?([a-zA-Z][a-zA-Z0-9]*)"#)
        let names = Set(html.matches(of: tags).map { String(html[$0.range].drop { $0 == "<" || $0 == "/" }).lowercased() })
        #expect(names.subtracting(allowed).isEmpty, "unexpected tags: \(names.subtracting(allowed).sorted())")
        #expect(html.components(separatedBy: "<svg").count == 2, "one picture, no injected SVG")
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count == 2, "the only URL is the SVG namespace")
        #expect(!html.contains("https://"))

        let markdown = PostmortemMarkdown.render(report)
        // Every "<" from an event is escaped, so no renderer can take it for HTML.
        let characters = Array(markdown)
        #expect(characters.indices.allSatisfy { characters[$0] != "<" || ($0 > 0 && characters[$0 - 1] == "\\") })
        #expect(markdown.contains(#"\<script\>alert("x")\</script\> \& 'quotes' \<img src=x onerror=alert(1)\>"#))
        #expect(markdown.contains(#"a\|b"#))
        #expect(markdown.contains(#"\[link\](javascript:x)"#))
        #expect(markdown.contains("> \\# heading"), "a line of an update cannot become a heading")
    }

    /// A Persian note with a Latin word in parentheses, inside the English sentence of a timeline row,
    /// keeps its own order only when isolated: each value from an event is a `<bdi>` (or its block
    /// has `dir="auto"`), and the program's own words are not.
    @Test func rightToLeftTextIsIsolatedFromTheWordsAroundIt() async throws {
        var script = IncidentScript()
        let title = "قطعی سرویس پیام‌رسان"
        let note = "در حال بررسی خطای (API) هستیم"
        script.add(.declared(IncidentDeclared(title: title, severity: .sev2, services: ["پیام‌رسان-۱", "checkout"])), at: 0)
        script.add(.noteAdded(InternalNoteAdded(text: note)), at: 3)
        script.add(.statusUpdatePublished(StatusUpdatePublished(status: .investigating, channels: [.statusPage], text: note)), at: 5)
        script.add(.messageReceived(CustomerMessageReceived(messageId: "m-1", channel: .email, customer: "شرکت نمونه")), at: 6)
        let (_, ledger) = try await script.record()
        let html = PostmortemHTML.render(try Self.report(ledger))

        #expect(html.contains("<h1 dir=\"auto\">\(title)</h1>"))
        #expect(html.contains("<td class=\"what\">Note: <bdi>\(note)</bdi></td>"), "the note alone is isolated, not the word Note")
        #expect(html.contains("<blockquote dir=\"auto\">\(note)</blockquote>"))
        #expect(html.contains("<bdi>پیام‌رسان-۱</bdi>, <bdi>checkout</bdi>"), "each service on its own")
        #expect(html.contains("<bdi>شرکت نمونه</bdi>"))
        // Nothing from an event stands outside an isolate in a sentence of the program's words.
        #expect(!html.contains("Note: \(note)"))
        #expect(!html.contains("<bdi>Note"))
    }

    @Test func thePictureDrawsEveryRowOnATimeScale() async throws {
        let (_, ledger) = try await Self.reviewed().record()
        let svg = TimelineSVG.render(try Self.report(ledger))
        for label in ["Impact", "Status", "Public updates", "Customer messages", "Escalations", "UTC", "Legend"] {
            #expect(svg.contains(">\(label)</text>"), "\(label)")
        }
        for phase in ["investigating", "mitigated", "resolved"] { #expect(svg.contains("fill=\"\(TimelineSVG.colour(IncidentPhase(rawValue: phase)!))\"")) }
        #expect(svg.contains(">09:10</text>") && svg.contains(">14 Mar 2026</text>"))
        #expect(svg.contains(">U1</text>") && svg.contains(">m-2</text>"))
        #expect(svg.contains("Missed promise: next update promised by 2026-03-14T09:30:00Z"))
        // Nothing is drawn outside the picture.
        let width = TimelineSVG.width
        let xs = try Regex(#" (?:x|x1|x2|cx)="(-?\d+)""#)
        for match in svg.matches(of: xs) {
            let value = Int(svg[match.range].split(separator: "\"")[1])!
            #expect((0...width).contains(value))
        }
    }
}
