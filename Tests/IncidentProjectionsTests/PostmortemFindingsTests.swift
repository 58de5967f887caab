import Foundation
import IncidentEvents
import IncidentReports
import LedgerModel
import Testing
@testable import IncidentProjections

extension JSONValue {
    fileprivate var elements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}

/// The review's findings (`postmortem.finding_recorded`) under the postmortem's three headings, and the
/// hand-offs (`incident.handed_off`) in the timeline and the postmortem, on a hand-worked incident.
@Suite struct PostmortemFindingsTests {
    /// The reviewed incident plus (minutes after 09:00): 30 a hand-off emea → apac · 200 a finding that went
    /// well (by dana) · 201 one that could be better (no author: the actor) · 202 one retracted at 203 ·
    /// 204 one where we got lucky, its text corrected at 205.
    static func script() -> IncidentScript {
        var script = PostmortemReportTests.reviewed()
        script.add(.handedOff(IncidentHandedOff(from: "dana", to: "kenji", fromShift: "emea", toShift: "apac", summary: "Rolled back; watch the error rate")), at: 30)
        script.add(.findingRecorded(PostmortemFindingRecorded(kind: .wentWell, text: "Paged within two minutes", author: "dana")), at: 200)
        script.add(.findingRecorded(PostmortemFindingRecorded(kind: .couldBeBetter, text: "The first update promised too much")), at: 201)
        let mistaken = script.add(.findingRecorded(PostmortemFindingRecorded(kind: .wentWell, text: "Posted to the wrong heading")), at: 202)
        script.add(.retracted(EventRetracted(target: mistaken.uuidString, reason: "wrong heading")), at: 203)
        let lucky = script.add(.findingRecorded(PostmortemFindingRecorded(kind: .gotLucky, text: "Low trafic")), at: 204)
        script.add(.corrected(EventCorrected(target: lucky.uuidString, fields: ["text": .string("Low traffic on a Saturday")], reason: "typo")), at: 205)
        return script
    }

    @Test func findingsStandUnderTheirHeadingsInEveryFormat() async throws {
        let (_, ledger) = try await Self.script().record(clockMinute: 2 * 24 * 60)
        let report = try PostmortemReportTests.report(ledger)
        // Positions: the reviewed script holds 25 events; the hand-off is #26, the findings #27, #28, #29 (retracted by #30), #31 (corrected by #32).
        #expect(report.review.findings.map(\.finding.text) == ["Paged within two minutes", "The first update promised too much", "Low traffic on a Saturday"])
        #expect(report.review.findings.map(\.kind) == [.wentWell, .couldBeBetter, .gotLucky])
        #expect(report.review.findings.map(\.author) == ["dana", "responder@example.com", "responder@example.com"])
        #expect(report.review.findings.map(\.finding.position) == [27, 28, 31])
        #expect(report.review.findings(.gotLucky).first?.finding.correctedBy == [32])

        let markdown = PostmortemMarkdown.render(report)
        let wentWell = try #require(markdown.range(of: "## What went well\n\n- Paged within two minutes — dana (#27)\n"))
        let better = try #require(markdown.range(of: "## What could be better\n\n- The first update promised too much — responder@example.com (#28)\n"))
        let lucky = try #require(markdown.range(of: "## Where we got lucky\n\n- Low traffic on a Saturday — responder@example.com (#31, corrected by #32)\n"))
        #expect(wentWell.lowerBound < better.lowerBound && better.lowerBound < lucky.lowerBound)
        #expect(!markdown.contains("Posted to the wrong heading\n") && !markdown.contains("To be written by the review"))

        let html = PostmortemHTML.render(report)
        #expect(html.contains("<section id=\"went-well\""))
        #expect(html.contains("<li><span dir=\"auto\">Paged within two minutes</span> <span class=\"muted\">— <bdi>dana</bdi> (#27)</span></li>"))
        #expect(!html.contains("To be written by the review"))

        let json = try JSONParser.parse(PostmortemJSON.render(report))
        #expect(json["reportFormatVersion"] == 3)
        let lucky0 = json["reviewFindings"]?["whereWeGotLucky"]?.elements?.first
        #expect(lucky0?["text"] == "Low traffic on a Saturday")
        #expect(lucky0?["author"] == "responder@example.com")
        #expect(lucky0?["position"] == 31)
        #expect(lucky0?["correctedBy"] == [32])
        #expect(json["reviewFindings"]?["whatWentWell"]?.elements?.count == 1)
    }

    @Test func aHeadingWithoutFindingsKeepsItsPlace() async throws {
        var script = PostmortemReportTests.reviewed()
        script.add(.findingRecorded(PostmortemFindingRecorded(kind: .gotLucky, text: "Quiet hour")), at: 200)
        let (_, ledger) = try await script.record(clockMinute: 2 * 24 * 60)
        let markdown = PostmortemMarkdown.render(try PostmortemReportTests.report(ledger))
        #expect(markdown.contains("## What went well\n\n*To be written by the review.*\n"))
        #expect(markdown.contains("## What could be better\n\n*To be written by the review.*\n"))
        #expect(markdown.contains("## Where we got lucky\n\n- Quiet hour — responder@example.com (#26)\n"))
    }

    @Test func handOffsStandInTheTimelineAndThePostmortem() async throws {
        let (_, ledger) = try await Self.script().record(clockMinute: 2 * 24 * 60)
        let report = try PostmortemReportTests.report(ledger)
        let handOff = try #require(report.handOffs.first)
        #expect(report.handOffs.count == 1)
        #expect(handOff.position == 26 && handOff.at == IncidentScript.at(30))
        #expect((handOff.from, handOff.to, handOff.fromShift, handOff.toShift) == ("dana", "kenji", "emea", "apac"))

        let entry = try #require(report.timeline.entries.first { $0.position == 26 })
        #expect(entry.category == .status)
        #expect(entry.text == "Handed off from dana (emea) to kenji (apac): Rolled back; watch the error rate")
        // In the order things happened: after the reply at minute 21, before the reply at minute 40.
        let order = report.timeline.entries.map(\.occurredAt)
        #expect(order == order.sorted())

        let markdown = PostmortemMarkdown.render(report)
        #expect(markdown.contains("## Hand-offs\n\n| When (UTC) | # | From → to | Summary |\n|---|---|---|---|\n| 2026-03-14T09:30:00Z | #26 | dana (emea) → kenji (apac) | Rolled back; watch the error rate |\n"))
        let html = PostmortemHTML.render(report)
        #expect(html.contains("<td><bdi>dana</bdi> (<bdi>emea</bdi>) → <bdi>kenji</bdi> (<bdi>apac</bdi>)</td><td dir=\"auto\">Rolled back; watch the error rate</td>"))
        let json = try JSONParser.parse(PostmortemJSON.render(report))
        #expect(json["handOffs"]?.elements?.first?["toShift"] == "apac")
        #expect(json["handOffs"]?.elements?.first?["position"] == 26)

        let quiet = try await PostmortemReportTests.reviewed().record(clockMinute: 2 * 24 * 60)
        #expect(PostmortemMarkdown.render(try PostmortemReportTests.report(quiet.1)).contains("## Hand-offs\n\nNo hand-offs were recorded.\n"))
    }
}
