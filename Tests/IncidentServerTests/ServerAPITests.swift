import Foundation
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// Every kind of route end to end over a real loopback connection: recording, reading, roles and
/// refusals, each answered as docs/server.md says and each refusal leaving the ledger as it was.
@Suite struct ServerAPITests {
    static let declare = #"{"title": "Checkout errors", "kind": "unplanned", "severity": "sev2", "services": ["checkout-api"]}"#

    @Test func healthNeedsNoTokenAndEverythingElseDoes() async throws {
        let server = try await ServerFixture.start()
        let health = try await server.anonymous.get("/healthz")
        #expect(health.status == 200)
        #expect(health.object["status"] as? String == "ok")
        for path in ["/v1/incidents", "/v1/events", "/metrics", "/v1/schemas"] {
            let refused = try await server.anonymous.get(path)
            #expect(refused.status == 401, "\(path)")
            #expect(refused.headers["content-type"] == "application/problem+json")
            #expect(refused.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
            #expect(refused.object["code"] as? String == "unauthenticated")
            #expect((refused.object["detail"] as? String)?.contains("incidents tokens create") == true)
        }
        let forged = try await server.anonymous.with(token: "not-a-token").get("/v1/incidents")
        #expect(forged.status == 401)
        try await server.stop()
    }

    @Test func aResponderRecordsAndReadsAnIncident() async throws {
        let server = try await ServerFixture.start()
        let jane = try await server.client(.responder)
        let rita = try await server.client(.reviewer, holder: "rita@example.com")
        // Granting the tokens is recorded in the chain too (in the ledger.access stream).
        let base = Int(try await server.service.ledger.head().position)
        #expect(base == 2)
        let declared = try await jane.post("/v1/incidents/INC-7/declare", json: Self.declare)
        #expect(declared.status == 201, "\(declared.text)")
        let appended = try #require((declared.object["appended"] as? [[String: Any]])?.first)
        #expect(appended["firstPosition"] as? Int == base + 1)
        #expect(appended["version"] as? Int == 1)
        #expect((declared.object["head"] as? [String: Any])?["position"] as? Int == base + 1)
        #expect(declared.headers["etag"] == "\"1\"")

        let status = try await jane.post("/v1/incidents/INC-7/status", json: #"{"status": "investigating", "note": "looking"}"#, headers: [("If-Match", "\"1\"")])
        #expect(status.status == 201, "\(status.text)")

        // Recorded in the token holder's name, through the API.
        let log = try await rita.get("/v1/events?incident=INC-7")
        #expect(log.status == 200)
        let lines = log.text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { ($0["actor"] as? [String: String]) == ["kind": "person", "id": "jane@example.com"] })
        #expect(lines.allSatisfy { $0["source"] as? String == "api" })

        let shown = try await jane.get("/v1/incidents/INC-7")
        #expect(shown.status == 200)
        #expect((shown.object["state"] as? [String: Any])?["phase"] as? String == "investigating")
        #expect((shown.object["events"] as? [Any])?.count == 2)
        let list = try await jane.get("/v1/incidents?status=open")
        #expect((list.json as? [[String: Any]])?.map { $0["incident"] as? String } == ["INC-7"])
        #expect(list.headers["x-total-count"] == "1")
        let timeline = try await jane.get("/v1/incidents/INC-7/timeline")
        #expect(timeline.status == 200 && timeline.text.split(separator: "\n").count >= 2)
        let replay = try await jane.get("/v1/incidents/INC-7/replay")
        #expect(replay.status == 200 && replay.headers["content-type"] == "application/x-ndjson")
        let markdown = try await jane.get("/v1/incidents/INC-7/postmortem?format=markdown")
        #expect(markdown.status == 200 && markdown.text.contains("Checkout errors"))
        let html = try await jane.get("/v1/incidents/INC-7/postmortem", headers: [("Accept", "text/html")])
        #expect(html.headers["content-type"]?.hasPrefix("text/html") == true)
        let missing = try await jane.get("/v1/incidents/INC-404")
        #expect(missing.status == 404)
        #expect((missing.object["detail"] as? String)?.hasPrefix("no incident INC-404 in the ledger") == true)
        try await server.stop()
    }

    @Test func refusalsLeaveTheLedgerAsItWas() async throws {
        let server = try await ServerFixture.start()
        let jane = try await server.client(.responder)
        #expect(try await jane.post("/v1/incidents/INC-1/declare", json: Self.declare).status == 201)
        let head = try await server.service.ledger.head()

        let cases: [(String, String, [(String, String)], Int, String)] = [
            ("/v1/incidents/INC-1/severity", #"{"severity": "sev9"}"#, [], 400, "invalid-input"),
            ("/v1/incidents/INC-2/status", #"{"status": "identified"}"#, [], 422, "refused-by-rule"),
            ("/v1/incidents/INC-1/status", #"{"status": "identified"}"#, [("If-Match", "\"5\"")], 409, "conflict"),
            ("/v1/incidents/INC-1/status", #"{"status": "identified", "actor": {"kind": "person", "id": "someone-else"}}"#, [], 403, "forbidden"),
            ("/v1/incidents/INC-1/status", #"{"status": "identified", "source": "cli"}"#, [], 400, "invalid-input"),
            ("/v1/incidents/INC-1/status", #"{"status": "#, [], 400, "invalid-input"),
            ("/v1/incidents/INC-1/status", #"["status"]"#, [], 400, "invalid-input"),
            ("/v1/incidents/INC-1/postmortem/start", #"{}"#, [], 403, "forbidden"),
            ("/v1/incidents/INC-1/status", #"{"status": "identified"}"#, [("If-Match", "soon")], 400, "usage"),
        ]
        for (path, body, headers, status, code) in cases {
            let reply = try await jane.post(path, json: body, headers: headers)
            #expect(reply.status == status, "\(path) \(body): \(reply.text)")
            #expect(reply.object["code"] as? String == code, "\(path) \(body)")
            #expect(reply.headers["content-type"] == "application/problem+json")
        }
        let wrongType = try await jane.send("POST", "/v1/incidents/INC-1/note", headers: [("Content-Type", "text/plain")], body: Array("hello".utf8))
        #expect(wrongType.status == 415)
        let huge = try await jane.post("/v1/incidents/INC-1/note", json: #"{"text": ""# + String(repeating: "x", count: 2 << 20) + #""}"#)
        #expect(huge.status == 413)
        #expect(try await server.service.ledger.head() == head)
        try await server.stop()
    }

    /// Incident ids in other scripts arrive percent-encoded in paths; they are recorded as text, in NFC.
    @Test func incidentIDsInOtherScriptsRoundTrip() async throws {
        let server = try await ServerFixture.start()
        let jane = try await server.client(.responder)
        let id = "事故-7"
        let path = "/v1/incidents/" + id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
        #expect(path == "/v1/incidents/%E4%BA%8B%E6%95%85-7")
        #expect(try await jane.post(path + "/declare", json: Self.declare).status == 201)
        let shown = try await jane.get(path)
        #expect((shown.object["state"] as? [String: Any])?["incident"] as? String == id)
        #expect(try await server.service.ledger.version(ofStream: id) == 1)
        let broken = try await jane.get("/v1/incidents/%FF")
        #expect(broken.status == 400)
        let unknown = try await jane.get("/v1/nothing-here")
        #expect(unknown.status == 404)
        #expect(unknown.object["code"] as? String == "not-found")
        #expect((unknown.object["detail"] as? String)?.contains("no route GET") == true)
        try await server.stop()
    }

    /// The list's filters by service, text and period, as `incidents list` has them; a bad period is a 400.
    @Test func theListFiltersByServiceTextAndPeriod() async throws {
        let server = try await ServerFixture.start()
        let rita = try await server.client(.reviewer, holder: "rita@example.com")
        let jane = try await server.client(.responder)
        let incidents = [
            ("INC-1", "Checkout errors", "checkout-api", "2026-07-15T10:00:00Z"),
            ("INC-2", "Ошибки оплаты", "billing", "2026-06-30T23:00:00Z"),
            ("INC-3", "Atención: pagos lentos", "Zürich-gateway", "2026-09-30T23:00:00Z"),
        ]
        for (incident, title, service, at) in incidents {
            let body = #"{"occurredAt": "\#(at)", "title": "\#(title)", "kind": "unplanned", "severity": "sev2", "services": ["\#(service)"]}"#
            #expect(try await jane.post("/v1/incidents/\(incident)/declare", json: body).status == 201)
        }
        let listed = { (query: String) async throws -> [String] in
            let reply = try await rita.get("/v1/incidents?" + query)
            #expect(reply.status == 200, "\(query): \(reply.text)")
            return (reply.json as? [[String: Any]])?.compactMap { $0["incident"] as? String } ?? []
        }
        let encoded = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        #expect(try await listed("service=CHECKOUT-API") == ["INC-1"])
        #expect(try await listed("service=" + encoded("zu\u{0308}rich-gateway")) == ["INC-3"])
        #expect(try await listed("service=checkout").isEmpty)
        #expect(try await listed("text=" + encoded("оплаты")) == ["INC-2"])
        #expect(try await listed("text=atencion") == ["INC-3"])
        #expect(try await listed("text=inc-1") == ["INC-1"])
        #expect(try await listed("period=2026-Q3") == ["INC-1", "INC-3"])
        #expect(try await listed("period=2026-07-01..2026-10-01&text=pagos") == ["INC-3"])
        // An empty value is no filter, as an empty field of a form.
        #expect(try await listed("period=2026-Q3&service=&text=") == ["INC-1", "INC-3"])
        let counted = try await rita.get("/v1/incidents?period=2026-Q3&limit=1")
        #expect(counted.headers["x-total-count"] == "2")
        let bad = try await rita.get("/v1/incidents?period=2026-Q5")
        #expect(bad.status == 400)
        #expect(bad.object["detail"] as? String == "the period must be 2026-Q3, 2026-07 or 2026-07-01..2026-10-01, not '2026-Q5'")
        try await server.stop()
    }

    @Test func aRetryByEventIDIsRecordedOnce() async throws {
        let server = try await ServerFixture.start()
        let jane = try await server.client(.responder)
        let base = try await server.service.ledger.head().position
        let body = #"{"id": "00000000-0000-4000-8000-000000000001", "title": "Checkout errors", "kind": "unplanned", "severity": "sev2"}"#
        #expect(try await jane.post("/v1/incidents/INC-1/declare", json: body).status == 201)
        let again = try await jane.post("/v1/incidents/INC-1/declare", json: body)
        #expect(again.status == 200)
        #expect((again.object["appended"] as? [[String: Any]])?.first?["alreadyRecorded"] as? Bool == true)
        #expect(try await server.service.ledger.head().position == base + 1)
        try await server.stop()
    }

    @Test func aBatchIsAtomic() async throws {
        let server = try await ServerFixture.start()
        let jane = try await server.client(.responder)
        let base = try await server.service.ledger.head().position
        let good = #"{"stream": "INC-1", "type": "incident.declared", "occurredAt": "2026-03-14T09:00:00Z", "payload": {"title": "A", "kind": "unplanned", "severity": "sev3"}}"#
        let bad = #"{"stream": "INC-1", "type": "incident.status_changed", "occurredAt": "2026-03-14T09:05:00Z", "payload": {"status": "sideways"}}"#
        let refused = try await jane.send("POST", "/v1/events", headers: [("Content-Type", "application/x-ndjson")], body: Array((good + "\n" + bad + "\n").utf8))
        #expect(refused.status == 400, "\(refused.text)")
        #expect((refused.object["detail"] as? String)?.contains("nothing was written") == true)
        #expect(try await server.service.ledger.head().position == base)
        let fixed = bad.replacingOccurrences(of: "sideways", with: "identified")
        let accepted = try await jane.send("POST", "/v1/events", headers: [("Content-Type", "application/x-ndjson")], body: Array((good + "\n" + fixed + "\n").utf8))
        #expect(accepted.status == 201, "\(accepted.text)")
        #expect(try await server.service.ledger.head().position == base + 2)
        try await server.stop()
    }

    @Test func readsPageAndTheCatalogIsServed() async throws {
        let server = try await ServerFixture.start()
        let jane = try await server.client(.responder)
        let auditor = try await server.client(.auditor, holder: "audit@example.com")
        let base = try await server.service.ledger.head().position
        for number in 1...5 { #expect(try await jane.post("/v1/incidents/INC-\(number)/declare", json: Self.declare).status == 201) }
        let first = try await auditor.get("/v1/events?from=\(base + 1)&limit=2")
        #expect(first.text.split(separator: "\n").count == 2)
        #expect(first.headers["link"] == "</v1/events?from=\(base + 3)&limit=2>; rel=\"next\"")
        let rest = try await auditor.get("/v1/events?from=\(base + 3)&limit=10")
        #expect(rest.text.split(separator: "\n").count == 3)
        let denied = try await jane.get("/v1/events")
        #expect(denied.status == 403)
        let schemas = try await jane.get("/v1/schemas")
        #expect((schemas.json as? [[String: Any]])?.contains { $0["type"] as? String == "incident.declared" } == true)
        let schema = try await jane.get("/v1/schemas/incident.declared")
        #expect(schema.status == 200 && schema.headers["content-type"] == "application/schema+json")
        #expect(try await jane.get("/v1/schemas/no.such").status == 404)
        let metrics = try await jane.get("/metrics")
        #expect(metrics.text.contains("incidents_http_requests_total"))
        #expect(metrics.text.contains("incidents_events_recorded_total 5"))
        // Every append answered, none waits for a commit.
        let waiting = metrics.text.split(separator: "\n").first { $0.hasPrefix("incidents_store_appends_waiting ") }
        #expect(waiting.flatMap { Double($0.split(separator: " ")[1]) } == 0, "\(waiting ?? "no incidents_store_appends_waiting")")
        try await server.stop()
    }
}
