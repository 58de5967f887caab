import Foundation
import LedgerTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Two `incidents serve` processes on one PostgreSQL database, each with its own mirror, 64 clients
/// posting to each at once: every acknowledged event is in the ledger exactly once, positions run
/// 1…N with no gap, the chain verifies, and both servers report the same head.
@Suite struct TwoServersOnPostgresTests {
    final class Acknowledged: Sendable {
        let ids = Mutex<[String]>([])
    }

    static let clientsPerServer = 64
    static let notesPerClient = 4

    @Test func twoServersKeepOneChain() async throws {
        let directory = TemporaryDirectory("two-servers")
        let url = try await PostgresCluster.shared().createDatabase()
        let tool = ChildProcess.executable("incidents")
        let made = try await ChildProcess.run(tool, ["init", "--ledger", url])
        #expect(made.status == 0, "\(made.stderr)")
        let admin = ["--ledger", url, "--mirror", directory.file("admin-mirror")]
        let created = try await ChildProcess.run(tool, ["tokens", "create", "--role", "responder", "--name", "load", "--actor", "person:admin"] + admin)
        let secret = try #require(created.stdout.split(separator: "\n").first { $0.hasPrefix("il_") }.map(String.init), "\(created.stderr)")

        // A token made by one process is known to both servers: settings live in the database.
        let servers = try ["a", "b"].map { name in
            try ServerFixture.serve(ledger: url, arguments: ["--mirror", directory.file("mirror-\(name)")], log: directory.file("serve-\(name).log"))
        }
        let acknowledged = Acknowledged()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, server) in servers.enumerated() {
                // A durable answer may take longer than 30 s under a full run's load.
                let client = HTTPTestClient(port: server.1, token: secret, timeout: 120)
                for number in 1...Self.clientsPerServer {
                    group.addTask {
                        let incident = "INC-\(index)-\(number)"
                        let declared = try await client.post("/v1/incidents/\(incident)/declare", json: ServerAPITests.declare)
                        try #require(declared.status == 201, "declare: \(declared.status) \(declared.text)")
                        for _ in 1...Self.notesPerClient {
                            let id = UUID().uuidString.lowercased()
                            let reply = try await client.post("/v1/incidents/\(incident)/note", json: #"{"id": "\#(id)", "text": "still looking"}"#)
                            try #require((200..<300).contains(reply.status), "note: \(reply.status) \(reply.text)")
                            acknowledged.ids.withLock { $0.append(id) }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        // The token's grant (access.granted), then each client's declaration and notes.
        let expected = 1 + 2 * Self.clientsPerServer * (1 + Self.notesPerClient)

        // Both servers report the same head: the last of the N records.
        var heads = [String]()
        for server in servers {
            let health = try await HTTPTestClient(port: server.1).get("/healthz")
            let object = try JSONSerialization.jsonObject(with: Data(health.text.utf8)) as? [String: Any]
            let head = try #require(object?["head"] as? [String: Any])
            #expect(head["position"] as? Int == expected)
            heads.append(try #require(head["hash"] as? String))
        }
        #expect(Set(heads).count == 1)
        for server in servers {
            kill(server.0.processIdentifier, SIGTERM)
            server.0.waitUntilExit()
            #expect(server.0.terminationStatus == 0)
        }

        // The database's chain and a fresh mirror's both verify: positions 1…N, no gap, no fork.
        let check = ["--ledger", url, "--mirror", directory.file("check-mirror")]
        let verify = try await ChildProcess.run(tool, ["verify"] + check)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("\(expected) events"), "\(verify.stdout)")
        let log = try await ChildProcess.run(tool, ["log", "--type", "incident.note_added", "--json"] + check)
        #expect(log.status == 0, "\(log.stderr)")
        var recorded = [String: Int]()
        for line in log.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let id = object?["id"] as? String { recorded[id, default: 0] += 1 }
        }
        let acked = acknowledged.ids.withLock { $0 }
        #expect(acked.count == 2 * Self.clientsPerServer * Self.notesPerClient)
        let missing = acked.filter { recorded[$0] != 1 }
        #expect(missing.isEmpty, "\(missing.count) of \(acked.count) acknowledged events are not in the ledger exactly once")
        #expect(recorded.count == acked.count)
    }
}
