import Foundation
import IncidentEvents
import LedgerModel
import LedgerTestSupport
import Testing

/// The template library over HTTP: read by every role, changed by responders and admins, and an
/// update made from a template with its id and version.
@Suite struct TemplateRoutesTests {
    static let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/examples/templates-en.json")

    @Test func templatesAreAddedReadRetiredAndUsedOverHTTP() async throws {
        let server = try await ServerFixture.start()
        let responder = try await server.client(.responder, holder: "jane@example.com")
        let reviewer = try await server.client(.reviewer)
        let json = [("Content-Type", "application/json")]
        let body = Array(try Data(contentsOf: Self.library))
        #expect(try await reviewer.send("POST", "/v1/templates", headers: json, body: body).status == 403)
        let added = try await responder.send("POST", "/v1/templates", headers: json, body: body)
        #expect(added.status == 200, "\(added.text)")
        #expect((added.object["changes"] as? [[String: Any]])?.map { $0["change"] as? String } == Array(repeating: "defined", count: 6))
        let list = try await reviewer.get("/v1/templates")
        #expect((list.object["templates"] as? [Any])?.count == 6, "\(list.text)")
        let one = try await reviewer.get("/v1/templates/identified-en")
        #expect(one.object["version"] as? Int == 1 && one.object["status"] as? String == "identified")
        #expect(try await reviewer.get("/v1/templates/nope").status == 404)

        #expect(try await responder.post("/v1/incidents/INC-1/declare", json: #"{"title":"Payments failing","kind":"unplanned","severity":"sev1","services":["checkout-api"],"regions":["eu-west-1"]}"#).status == 201)
        let next = Timestamp.now().adding(seconds: 1200).rfc3339
        let update = try await responder.post(
            "/v1/incidents/INC-1/update/template", json: #"{"template":"acknowledge-en","channels":["status_page","sms"],"nextUpdateBy":"\#(next)"}"#)
        #expect(update.status == 201, "\(update.text)")
        let texts = (update.object["updates"] as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []
        #expect(texts.count == 2 && texts[1].hasPrefix("checkout-api: we know about a problem in eu-west-1"), "\(update.text)")
        #expect((update.object["appended"] as? [Any])?.count == 2 && (update.object["warnings"] as? [Any])?.isEmpty == true, "\(update.text)")
        let unfilled = try await responder.post("/v1/incidents/INC-1/update/template", json: #"{"template":"investigating-workaround-en","nextUpdateBy":"\#(next)"}"#)
        #expect(unfilled.status == 400 && unfilled.text.contains("{workaround}"), "\(unfilled.text)")

        let retired = try await responder.post("/v1/templates/acknowledge-en/retire", json: #"{"reason":"replaced"}"#)
        #expect(retired.status == 200 && retired.object["retired"] as? Bool == true, "\(retired.text)")
        let again = try await responder.post("/v1/templates/acknowledge-en/retire", json: #"{"reason":"again"}"#)
        #expect(again.status == 422 && again.text.contains("is retired"), "\(again.text)")
        try await server.stop()
    }
}
