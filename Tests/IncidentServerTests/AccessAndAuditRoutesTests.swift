import Foundation
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// Who may do what, route by route, and the audit routes whose output auditors check with both verifiers.
@Suite struct AccessAndAuditRoutesTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// One request and the roles that may make it; every other role gets 403.
    struct Case: Sendable {
        var method: String
        var path: String
        var body: String?
        var allowed: Set<AccessRole>
    }

    static let cases: [Case] = [
        Case(method: "GET", path: "/v1/incidents", allowed: [.responder, .reviewer, .auditor, .admin]),
        Case(method: "GET", path: "/v1/incidents/INC-1/timeline", allowed: [.responder, .reviewer, .auditor, .admin]),
        Case(method: "GET", path: "/v1/review/2026-Q1?format=json", allowed: [.responder, .reviewer, .auditor, .admin]),
        Case(method: "GET", path: "/v1/metrics/time_to_resolve?by=severity", allowed: [.responder, .reviewer, .auditor, .admin]),
        Case(method: "GET", path: "/v1/events?limit=1", allowed: [.reviewer, .auditor, .admin]),
        Case(method: "POST", path: "/v1/incidents/INC-1/note", body: #"{"text": "checked the dashboards"}"#, allowed: [.responder]),
        Case(method: "POST", path: "/v1/incidents/INC-1/postmortem/start", body: #"{"owner": "rita@example.com"}"#, allowed: [.reviewer]),
        Case(method: "POST", path: "/v1/checkpoint", body: "", allowed: [.auditor, .admin]),
        Case(method: "GET", path: "/v1/tokens", allowed: [.admin]),
        Case(method: "GET", path: "/v1/policy", allowed: [.responder, .reviewer, .auditor, .admin]),
        Case(method: "PUT", path: "/v1/policy", body: #"{"updates": {"socialMediaCharacters": 140}}"#, allowed: [.admin]),
    ]

    @Test func everyRouteAdmitsItsRolesAndRefusesTheOthers() async throws {
        let server = try await ServerFixture.start()
        let tool = ChildProcess.executable("incidents")
        await #expect(try ChildProcess.run(tool, ["keys", "create", "--ledger", server.directory.file("ledger")]).status == 0)
        var clients = [AccessRole: HTTPTestClient]()
        for role in AccessRole.allCases { clients[role] = try await server.client(role, holder: "\(role.rawValue)@example.com") }
        #expect(try await clients[.responder]!.post("/v1/incidents/INC-1/declare", json: ServerAPITests.declare).status == 201)
        for test in Self.cases {
            for role in AccessRole.allCases {
                let client = clients[role]!
                let reply = try await client.send(
                    test.method, test.path, headers: test.body == nil ? [] : [("Content-Type", "application/json")], body: Array((test.body ?? "").utf8))
                if test.allowed.contains(role) {
                    #expect((200..<300).contains(reply.status), "\(role) \(test.method) \(test.path): \(reply.status) \(reply.text)")
                } else {
                    #expect(reply.status == 403, "\(role) \(test.method) \(test.path): \(reply.status)")
                    #expect(reply.object["code"] as? String == "forbidden")
                }
            }
        }
        try await server.stop()
    }

    @Test func revokedAndExpiredTokensAreRefused() async throws {
        let server = try await ServerFixture.start()
        let admin = try await server.client(.admin, holder: "ops@example.com")
        // An admin issues a token over the API; its secret works until it is revoked.
        let created = try await admin.post("/v1/tokens", json: #"{"role": "responder", "name": "bot:tool:pagerbot", "expiresAt": "2099-01-01T00:00:00Z"}"#)
        #expect(created.status == 400)
        let issued = try await admin.post("/v1/tokens", json: #"{"role": "responder", "name": "tool:pagerbot", "expiresAt": "2099-01-01T00:00:00Z"}"#)
        #expect(issued.status == 201, "\(issued.text)")
        let secret = try #require(issued.object["secret"] as? String)
        let id = try #require((issued.object["token"] as? [String: Any])?["id"] as? String)
        let bot = HTTPTestClient(port: server.port, token: secret)
        #expect(try await bot.get("/v1/incidents").status == 200)
        let listed = try await admin.get("/v1/tokens")
        #expect(!listed.text.contains(secret))
        #expect(try await admin.send("DELETE", "/v1/tokens/\(id)").status == 200)
        let revoked = try await bot.get("/v1/incidents")
        #expect(revoked.status == 401)
        #expect((revoked.object["detail"] as? String)?.contains("revoked") == true)
        // A token that has expired.
        let soon = try await server.service.createToken(
            holder: Actor(kind: .person, id: "temp"), role: .responder, expiresAt: Timestamp.now().adding(seconds: 1))
        try await Task.sleep(for: .seconds(2))
        let expired = try await HTTPTestClient(port: server.port, token: soon.secret).get("/v1/incidents")
        #expect(expired.status == 401)
        #expect((expired.object["detail"] as? String)?.contains("expired") == true)
        // The grants and the revocation are in the chain, in the admin's name, through the API.
        var access = [RecordedEvent]()
        try server.service.forEachEvent(matching: EventQuery(incident: LedgerStream.access)) { access.append($0) }
        #expect(access.contains { $0.type == "access.revoked" && $0.actor == Actor(kind: .person, id: "ops@example.com") && $0.source == "api" })
        try await server.stop()
    }

    @Test func anExportIsATarThatBothVerifiersAccept() async throws {
        let server = try await ServerFixture.start()
        let tool = ChildProcess.executable("incidents")
        let ledger = server.directory.file("ledger")
        await #expect(try ChildProcess.run(tool, ["keys", "create", "--ledger", ledger]).status == 0)
        let jane = try await server.client(.responder)
        let auditor = try await server.client(.auditor, holder: "audit@example.com")
        for number in 1...3 { #expect(try await jane.post("/v1/incidents/INC-\(number)/declare", json: ServerAPITests.declare).status == 201) }
        let checkpoint = try await auditor.post("/v1/checkpoint", json: "")
        #expect(checkpoint.status == 201)
        #expect(checkpoint.text.contains("\u{2014} "))  // a signed note's signature line
        let export = try await auditor.get("/v1/export?incident=INC-2")
        #expect(export.status == 200)
        #expect(export.headers["content-type"] == "application/x-tar")
        let archive = server.directory.file("export.tar")
        try Data(export.body).write(to: URL(fileURLWithPath: archive))
        let unpacked = server.directory.file("unpacked")
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        await #expect(try ChildProcess.run("/bin/tar", ["-xf", archive, "-C", unpacked]).status == 0)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: unpacked).first)
        let bundle = unpacked + "/" + name
        let key = server.directory.file("ledger.pub")
        await #expect(try ChildProcess.run(tool, ["keys", "export", "--ledger", ledger, "--output", key]).status == 0)
        let swift = try await ChildProcess.run(tool, ["verify-export", bundle, "--key", key])
        #expect(swift.status == 0, "\(swift.stdout)\(swift.stderr)")
        let python = try await ChildProcess.run("/usr/bin/env", ["python3", Self.repository + "/Tools/verify-export.py", bundle, "--key", key])
        #expect(python.status == 0, "\(python.stdout)\(python.stderr)")
        try await server.stop()
    }
}
