import Foundation
import LedgerTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `incidents serve` on a PostgreSQL primary with a synchronous standby, clients posting, the
/// primary killed with SIGKILL: the standby is promoted and the server started again against it
/// (with the same mirror), every event acknowledged before the kill is there, the chain verifies,
/// and recording goes on.
@Suite struct ServerFailoverTests {
    @Test func everyAcknowledgedEventSurvivesTheLossOfThePrimary() async throws {
        let directory = TemporaryDirectory("serve-failover")
        let pair = try await onItsOwnThread { try PostgresCluster.ReplicatedPair() }
        let database = try await onItsOwnThread { try pair.createDatabase() }
        let (primary, standby) = (pair.url(.primary, database: database), pair.url(.standby, database: database))
        let tool = ChildProcess.executable("incidents")
        let mirror = ["--mirror", directory.file("mirror")]
        await #expect(try ChildProcess.run(tool, ["init", "--ledger", primary]).status == 0)
        let created = try await ChildProcess.run(tool, ["tokens", "create", "--role", "responder", "--name", "load", "--actor", "person:admin", "--ledger", primary] + mirror)
        let secret = try #require(created.stdout.split(separator: "\n").first { $0.hasPrefix("il_") }.map(String.init), "\(created.stderr)")

        let (server, port) = try await onItsOwnThread { try ServerFixture.serve(ledger: primary, arguments: mirror, log: directory.file("serve-primary.log")) }
        // A durable answer may take longer than 30 s under a full run's load.
        let client = HTTPTestClient(port: port, token: secret, timeout: 120)
        let writers = NoteWriters(clients: 16)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 1...writers.clients {
                group.addTask { await writers.write("INC-\(number)", with: client) }
            }
            try await writers.waitUntilGoing(target: 200) {
                "The server's log ends: " + ((try? String(contentsOfFile: directory.file("serve-primary.log"), encoding: .utf8)) ?? "").suffix(2000)
            }
            try await onItsOwnThread { try pair.killPrimary() }
            // Every client's next post fails (503): the database is gone. Then the writers stop.
            try await group.waitForAll()
        }
        let acked = writers.ids
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()

        // The operator promotes the standby and points the server at it; the mirror is kept.
        try await onItsOwnThread { try pair.promoteStandby() }
        let (restarted, newPort) = try await onItsOwnThread { try ServerFixture.serve(ledger: standby, arguments: mirror, log: directory.file("serve-standby.log")) }
        let after = HTTPTestClient(port: newPort, token: secret)
        let id = UUID().uuidString.lowercased()
        let reply = try await after.post("/v1/incidents/INC-1/note", json: #"{"id": "\#(id)", "text": "after the failover"}"#)
        #expect(reply.status == 201, "\(reply.status) \(reply.text)")
        kill(restarted.processIdentifier, SIGTERM)
        restarted.waitUntilExit()
        #expect(restarted.terminationStatus == 0)

        let check = ["--ledger", standby, "--mirror", directory.file("check-mirror")]
        let verify = try await ChildProcess.run(tool, ["verify"] + check)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let log = try await ChildProcess.run(tool, ["log", "--type", "incident.note_added", "--json"] + check)
        var recorded = [String: Int]()
        for line in log.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let id = object?["id"] as? String { recorded[id, default: 0] += 1 }
        }
        #expect(acked.count >= writers.clients)
        let missing = acked.filter { recorded[$0] != 1 }
        #expect(missing.isEmpty, "\(missing.count) of \(acked.count) acknowledged events are not on the promoted standby exactly once")
        #expect(recorded[id] == 1, "the append after the failover is recorded")
    }
}
