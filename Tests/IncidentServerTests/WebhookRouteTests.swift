import Foundation
import IncidentImporters
import IncidentServer
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// The webhook receivers end to end over a real loopback connection: each with a real signed
/// delivery, a bad signature (the ledger unchanged), a replayed delivery (recorded once), and a
/// delivery for an incident the ledger does not know yet.
@Suite struct WebhookRouteTests {
    static let pagerDutySecret = "ChPV1ZwGvkkI5E6RN+0pFQxT9qOgPLSYJzf0qVjKm4Y="
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("IncidentImportersTests/Fixtures")

    static func fixture(_ path: String) -> [UInt8] { Array(try! Data(contentsOf: fixtures.appendingPathComponent(path))) }

    struct Receivers {
        let server: ServerFixture
        let statuspageSecret: String
        let botSecret: String

        init(_ server: ServerFixture) async throws {
            self.server = server
            let receivers = server.service.webhookReceivers
            let now = Timestamp.now()
            _ = try await receivers.add(kind: .pagerduty, name: "pd", secret: WebhookRouteTests.pagerDutySecret, incidentPrefix: nil, createdAt: now)
            statuspageSecret = try await receivers.add(kind: .statuspage, name: "sp", secret: nil, incidentPrefix: nil, createdAt: now).secret
            botSecret = try await receivers.add(kind: .generic, name: "bot", secret: nil, incidentPrefix: nil, createdAt: now).secret
        }

        func pagerDuty(_ type: String, secret: String = WebhookRouteTests.pagerDutySecret) async throws -> HTTPTestClient.Reply {
            let body = WebhookRouteTests.fixture("PagerDuty/\(type).json")
            let signature = WebhookSignature.pagerDuty(body: body, secrets: [Array(secret.utf8)])
            return try await server.anonymous.send(
                "POST", "/webhooks/pagerduty/pd", headers: [("Content-Type", "application/json"), ("X-PagerDuty-Signature", signature)], body: body)
        }

        func statuspage(_ name: String, secret: String? = nil) async throws -> HTTPTestClient.Reply {
            try await server.anonymous.send(
                "POST", "/webhooks/statuspage/sp/\(secret ?? statuspageSecret)", headers: [("Content-Type", "application/json")],
                body: WebhookRouteTests.fixture("Statuspage/\(name).json"))
        }

        func generic(_ body: String, at time: Int64 = Int64(Date().timeIntervalSince1970), secret: String? = nil) async throws -> HTTPTestClient.Reply {
            let bytes = Array(body.utf8)
            let signature = WebhookSignature.generic(body: bytes, secret: Array((secret ?? botSecret).utf8), unixSeconds: time)
            return try await server.anonymous.send(
                "POST", "/webhooks/generic/bot", headers: [("Content-Type", "application/x-ndjson"), ("X-Incidents-Signature", signature)], body: bytes)
        }

        var head: UInt64 { get throws { try server.service.ledger.read { try $0.head() }.position } }

        func types(_ stream: String) throws -> [String] { try server.service.ledger.read { try $0.events(inStream: stream) }.map(\.type) }
    }

    @Test func pagerDuty() async throws {
        let server = try await ServerFixture.start()
        let hooks = try await Receivers(server)
        // A bad signature: 401, nothing written.
        let forged = try await hooks.pagerDuty("incident.triggered", secret: "someone-elses-secret-123")
        #expect(forged.status == 401, "\(forged.text)")
        #expect(forged.headers["content-type"] == "application/problem+json")
        #expect(forged.object["code"] as? String == "unauthenticated")
        let unsigned = try await server.anonymous.post("/webhooks/pagerduty/pd", json: String(decoding: Self.fixture("PagerDuty/incident.triggered.json"), as: UTF8.self))
        #expect(unsigned.status == 401)
        #expect(try hooks.head == 0)
        // A delivery for an incident not known yet: declared from the delivery, then acknowledged.
        let ack = try await hooks.pagerDuty("incident.acknowledged")
        #expect(ack.status == 201, "\(ack.text)")
        #expect(ack.object["eventsRecorded"] as? Int == 2)
        #expect((ack.object["warnings"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["undeclared_incident"])
        #expect(try hooks.types("PD-1234") == ["incident.declared", "incident.acknowledged"])
        // Replayed: recorded once.
        let replay = try await hooks.pagerDuty("incident.acknowledged")
        #expect(replay.status == 200, "\(replay.text)")
        #expect(replay.object["eventsRecorded"] as? Int == 0)
        #expect(replay.object["eventsAlreadyPresent"] as? Int == 1)
        let trigger = try await hooks.pagerDuty("incident.triggered")
        #expect(trigger.object["eventsRecorded"] as? Int == 0)
        let note = try await hooks.pagerDuty("incident.annotated")
        #expect(note.status == 201)
        #expect(try hooks.types("PD-1234").last == "incident.note_added")
        // Recorded by the tool, through the receiver.
        let events = try server.service.ledger.read { try $0.events(inStream: "PD-1234") }
        #expect(events.allSatisfy { $0.actor == Actor(kind: .tool, id: "pagerduty") && $0.source == "webhook:pagerduty" })
        // A receiver that does not exist, or of another kind.
        let unknown = try await server.anonymous.send("POST", "/webhooks/pagerduty/nobody", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
        #expect(unknown.status == 404)
        let otherKind = try await server.anonymous.send("POST", "/webhooks/generic/pd", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
        #expect(otherKind.status == 404)
        try await server.stop()
    }

    @Test func statuspage() async throws {
        let server = try await ServerFixture.start()
        let hooks = try await Receivers(server)
        let wrong = try await hooks.statuspage("incident.investigating", secret: "whsec_not-the-secret-of-this-receiver")
        #expect(wrong.status == 401)
        #expect(try hooks.head == 0)
        let first = try await hooks.statuspage("incident.investigating")
        #expect(first.status == 201, "\(first.text)")
        #expect(try hooks.types("SP-p31zjtct2jer") == ["incident.declared", "status_update.published", "incident.status_changed"])
        let replay = try await hooks.statuspage("incident.investigating")
        #expect(replay.status == 200)
        #expect(replay.object["eventsRecorded"] as? Int == 0)
        let resolved = try await hooks.statuspage("incident.resolved")
        #expect(resolved.object["eventsRecorded"] as? Int == 2)
        #expect(try hooks.types("SP-p31zjtct2jer").last == "incident.resolved")
        try await server.stop()
    }

    @Test func generic() async throws {
        let server = try await ServerFixture.start()
        let hooks = try await Receivers(server)
        let now = Int64(Date().timeIntervalSince1970)
        let occurred = Timestamp(microsecondsSinceEpoch: (now - 60) * 1_000_000).rfc3339
        let declare = #"{"stream": "CHAT-7", "type": "incident.declared", "occurredAt": "\#(occurred)", "payload": {"title": "Login page slow", "kind": "unplanned", "severity": "sev3"}}"#
        // Signed too long ago, or with another secret: 401, nothing written.
        let stale = try await hooks.generic(declare, at: now - 301)
        #expect(stale.status == 401, "\(stale.text)")
        let forged = try await hooks.generic(declare, secret: "whsec_someone-elses-secret")
        #expect(forged.status == 401)
        #expect(try hooks.head == 0)
        let recorded = try await hooks.generic(declare, at: now)
        #expect(recorded.status == 201, "\(recorded.text)")
        #expect(try server.service.ledger.read { try $0.events(inStream: "CHAT-7") }.map(\.actor) == [Actor(kind: .tool, id: "bot")])
        // The same signed delivery again: recorded once.
        let replay = try await hooks.generic(declare, at: now)
        #expect(replay.status == 200, "\(replay.text)")
        #expect(try hooks.head == 1)
        // An event for an incident not declared: refused by the rules, as POST /v1/events refuses it.
        let note = #"{"stream": "CHAT-8", "type": "incident.note_added", "occurredAt": "\#(occurred)", "payload": {"text": "hello"}}"#
        let refused = try await hooks.generic(note, at: now)
        #expect(refused.status == 400, "\(refused.text)")
        #expect(try hooks.head == 1)
        // In another name: refused.
        let foreign = declare.replacingOccurrences(of: #""stream": "CHAT-7""#, with: #""stream": "CHAT-9", "actor": {"kind": "person", "id": "ceo"}"#)
        let impostor = try await hooks.generic(foreign, at: now)
        #expect(impostor.status == 403, "\(impostor.text)")
        #expect(try hooks.head == 1)
        try await server.stop()
    }

    /// The worked examples of docs/server.md ("Webhook receivers"), each block with a `curl` run as
    /// written (only the port changed) with bash from the package's folder, SECRET holding its receiver's.
    @Test func theWorkedExamplesWorkAsWritten() async throws {
        let package = Self.fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOfFile: package.appendingPathComponent("docs/server.md").path, encoding: .utf8)
        let section = try #require(text.range(of: "## Webhook receivers")).upperBound
        var blocks = [[String]]()
        var current = [String]()
        for line in text[section...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("    ") {
                let command = line.dropFirst(4)
                if !command.hasPrefix("incidents ") && !command.hasPrefix("#") { current.append(String(command)) }
            } else if !current.isEmpty {
                if current.contains(where: { $0.hasPrefix("curl") }) { blocks.append(current) }
                current = []
            }
        }
        #expect(blocks.count == 3)
        let server = try await ServerFixture.start()
        let hooks = try await Receivers(server)
        let receivers = server.service.webhookReceivers
        _ = try await receivers.add(kind: .pagerduty, name: "pd-checkout", secret: Self.pagerDutySecret, incidentPrefix: nil, createdAt: .now())
        let statusPage = try await receivers.add(kind: .statuspage, name: "status-page", secret: nil, incidentPrefix: nil, createdAt: .now()).secret
        let chatBot = try await receivers.add(kind: .generic, name: "chat-bot", secret: nil, incidentPrefix: nil, createdAt: .now()).secret
        for block in blocks {
            let script = block.joined(separator: "\n").replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(server.port)")
            let secret = script.contains("pd-checkout") ? Self.pagerDutySecret : script.contains("status-page") ? statusPage : chatBot
            let outcome = try await onItsOwnThread {
                try ChildProcess.run("/bin/bash", ["-c", script], environment: ["SECRET": secret], directory: package.path)
            }
            #expect(outcome.status == 0, "\(script)\n\(outcome.stdout)\(outcome.stderr)")
        }
        #expect(try hooks.types("PD-1234") == ["incident.declared"])
        #expect(try hooks.types("SP-p31zjtct2jer").count == 3)
        #expect(try hooks.types("CHAT-1042") == ["incident.declared"])
        try await server.stop()
    }

    /// The body is read whole, within the limit, before the signature is checked: an oversized delivery is 413.
    @Test func anOversizedDeliveryIsRefusedBeforeItIsRead() async throws {
        let server = try await ServerFixture.start(["--max-body-bytes", "1024"])
        let hooks = try await Receivers(server)
        let big = "{\"pad\": \"" + String(repeating: "x", count: 4096) + "\"}"
        let reply = try await hooks.generic(big)
        #expect(reply.status == 413)
        #expect(try hooks.head == 0)
        try await server.stop()
    }
}
