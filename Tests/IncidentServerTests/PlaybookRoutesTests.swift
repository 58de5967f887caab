import Foundation
import IncidentEvents
import LedgerModel
import LedgerTestSupport
import Testing

/// The playbook over HTTP: the policy read by every role and set by admins, a bad policy refused
/// with nothing written.
@Suite struct PlaybookRoutesTests {
    @Test func thePolicyIsReadAndSetOverHTTP() async throws {
        let server = try await ServerFixture.start()
        let admin = try await server.client(.admin, holder: "lead@example.com")
        let responder = try await server.client(.responder)
        let standard = try await responder.get("/v1/policy")
        #expect(standard.status == 200, "\(standard.text)")
        #expect(standard.object["position"] is NSNull && standard.object["setBy"] is NSNull)
        let policy = try #require(standard.object["policy"] as? [String: Any])
        #expect((policy["updates"] as? [String: Any])?["socialMediaCharacters"] as? Int == 280)

        let before = try await admin.get("/healthz")
        let bad = try await admin.send("PUT", "/v1/policy", headers: [("Content-Type", "application/json")], body: Array(#"{"maintenance": {"days": ["someday"]}}"#.utf8))
        #expect(bad.status == 400, "\(bad.text)")
        #expect((bad.object["detail"] as? String)?.contains("maintenance.days 'someday' is not a day") == true, "\(bad.text)")
        #expect(try await admin.get("/healthz").text == before.text, "nothing was written")

        let set = try await admin.send("PUT", "/v1/policy", headers: [("Content-Type", "application/json")], body: Array(#"{"updates": {"socialMediaCharacters": 140}}"#.utf8))
        #expect(set.status == 200, "\(set.text)")
        let now = try await responder.get("/v1/policy")
        let head = try await admin.get("/healthz").object["head"] as? [String: Any]
        #expect(now.object["position"] as? Int == head?["position"] as? Int && now.object["position"] != nil)
        #expect((now.object["setBy"] as? [String: Any])?["id"] as? String == "lead@example.com")
        #expect(((now.object["policy"] as? [String: Any])?["updates"] as? [String: Any])?["socialMediaCharacters"] as? Int == 140)
        try await server.stop()
    }
}
