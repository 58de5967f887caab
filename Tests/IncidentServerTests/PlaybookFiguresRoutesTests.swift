import Foundation
import IncidentEvents
import IncidentService
import Testing

/// The recording verbs of #17's figures through the API: a responder hands an incident off, a
/// reviewer records the review's findings, each as the role table allows, and the postmortem shows both.
@Suite struct PlaybookFiguresRoutesTests {
    @Test func handOffsAndFindingsAreRecordedAndReported() async throws {
        let server = try await ServerFixture.start()
        let responder = try await server.client(.responder)
        let reviewer = try await server.client(.reviewer, holder: "dana@example.com")
        #expect(try await responder.post("/v1/incidents/INC-1/declare", json: ServerAPITests.declare).status == 201)

        let handOff = try await responder.post(
            "/v1/incidents/INC-1/handoff", json: #"{"from": "dana", "to": "kenji", "fromShift": "emea", "toShift": "apac", "summary": "Rollback under way"}"#)
        #expect(handOff.status == 201, "\(handOff.text)")
        let finding = try await reviewer.post("/v1/incidents/INC-1/postmortem/finding", json: #"{"kind": "got_lucky", "text": "Quiet hour"}"#)
        #expect(finding.status == 201, "\(finding.text)")
        // A responder records no postmortem event, and a finding's kind is one of three.
        #expect(try await responder.post("/v1/incidents/INC-1/postmortem/finding", json: #"{"kind": "went_well", "text": "x"}"#).status == 403)
        let wrongKind = try await reviewer.post("/v1/incidents/INC-1/postmortem/finding", json: #"{"kind": "went_badly", "text": "x"}"#)
        #expect(wrongKind.status == 400, "\(wrongKind.text)")

        let report = try await reviewer.get("/v1/incidents/INC-1/postmortem?format=json")
        #expect(report.status == 200)
        let handOffs = try #require(report.object["handOffs"] as? [[String: Any]])
        #expect(handOffs.count == 1 && handOffs.first?["toShift"] as? String == "apac")
        let findings = try #require(report.object["reviewFindings"] as? [String: Any])
        let lucky = try #require(findings["whereWeGotLucky"] as? [[String: Any]])
        #expect(lucky.first?["text"] as? String == "Quiet hour")
        #expect(lucky.first?["author"] as? String == "dana@example.com", "no author given: the reviewer who recorded it")
        try await server.stop()
    }
}
