import Foundation
import IncidentEvents
import IncidentReports
import LedgerModel
import Testing
@testable import IncidentProjections

/// A busy incident (more customer messages than `PostmortemText.busyMessages`): the picture counts
/// messages per interval and the reply table lists the slowest, the rest in one sentence.
@Suite struct BusyIncidentTests {
    /// 60 messages, m-i at minute 10 + i; m-1 … m-57 answered i minutes later, m-58 … m-60 never.
    /// Listed: the three unanswered and the 17 slowest answered (m-41 … m-57); the other 40 waited
    /// 1 … 40 minutes: median (20 + 21) / 2 = 20m 30s, the longest 40m.
    static func script() -> IncidentScript {
        var script = IncidentScript()
        script.add(.declared(IncidentDeclared(title: "Everything down", severity: .sev1, impactStartedAt: IncidentScript.at(0))), at: 10)
        for index in 1...60 {
            script.add(.messageReceived(CustomerMessageReceived(messageId: "m-\(index)", channel: .email, customer: "c-\(index)")), at: Int64(10 + index))
        }
        for index in 1...57 {
            script.add(.replySent(CustomerReplySent(inReplyTo: "m-\(index)", channel: .email, customer: "c-\(index)")), at: Int64(10 + 2 * index))
        }
        script.add(.resolved(IncidentResolved(summary: "Back")), at: 130)
        return script
    }

    @Test func theReplyTableListsTheSlowestAndCollapsesTheRest() async throws {
        let (_, ledger) = try await Self.script().record(clockMinute: 24 * 60)
        let report = try PostmortemReportTests.report(ledger)
        let listing = PostmortemText.replyListing(report)
        #expect(listing.listed.map(\.messageId) == (41...60).map { "m-\($0)" })
        #expect(listing.collapsed == "A busy incident: the 20 slowest of 60 messages are listed (unanswered first); of the other 40, 40 were answered in a median of 20m 30s, the longest 40m. The JSON form lists every one.")

        let markdown = PostmortemMarkdown.render(report)
        #expect(markdown.contains("| m-57 | c-57 |") && markdown.contains("| m-60 | c-60 |"))
        #expect(!markdown.contains("| m-40 | c-40 |"))
        #expect(markdown.contains(listing.collapsed!))
        let html = PostmortemHTML.render(report)
        #expect(html.contains("<td><bdi>m-41</bdi></td>") && !html.contains("<td><bdi>m-40</bdi></td>"))
        let json = try JSONParser.parse(PostmortemJSON.render(report))
        guard case .array(let replies)? = json["responseFigures"]?["firstReplies"] else { Issue.record("no firstReplies"); return }
        #expect(replies.count == 60, "JSON lists every one")
    }

    @Test func thePictureCountsMessagesPerInterval() async throws {
        let (_, ledger) = try await Self.script().record(clockMinute: 24 * 60)
        let svg = TimelineSVG.render(try PostmortemReportTests.report(ledger))
        #expect(svg.contains("60 messages, counted per"))
        #expect(!svg.contains("m-1 from c-1"), "no mark per message")
        #expect(svg.contains("unanswered</title>"), "the unanswered are counted on hover")

        // A quiet incident keeps a mark per message.
        var quiet = IncidentScript()
        quiet.add(.declared(IncidentDeclared(title: "One complaint", severity: .sev3)), at: 0)
        quiet.add(.messageReceived(CustomerMessageReceived(messageId: "m-1", channel: .email, customer: "c-1")), at: 5)
        let (_, small) = try await quiet.record(clockMinute: 60)
        let drawn = TimelineSVG.render(try PostmortemReportTests.report(small))
        #expect(drawn.contains("m-1 from c-1") && !drawn.contains("counted per"))
    }
}
