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
    final class Acknowledged: Sendable {
        let ids = Mutex<[String]>([])
    }

    @Test func everyAcknowledgedEventSurvivesTheLossOfThePrimary() async throws {
        let directory = TemporaryDirectory("serve-failover")
        let pair = try PostgresCluster.ReplicatedPair()
        let database = try pair.createDatabase()
        let (primary, standby) = (pair.url(.primary, database: database), pair.url(.standby, database: database))
        let tool = ChildProcess.executable("incidents")
        let mirror = ["--mirror", directory.file("mirror")]
        #expect(try ChildProcess.run(tool, ["init", "--ledger", primary]).status == 0)
        let created = try ChildProcess.run(tool, ["tokens", "create", "--role", "responder", "--name", "load", "--actor", "person:admin", "--ledger", primary] + mirror)
        let secret = try #require(created.stdout.split(separator: "\n").first { $0.hasPrefix("il_") }.map(String.init), "\(created.stderr)")

        let (server, port) = try ServerFixture.serve(ledger: primary, arguments: mirror, log: directory.file("serve-primary.log"))
        let client = HTTPTestClient(port: port, token: secret)
        let acknowledged = Acknowledged()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 1...16 {
                group.addTask {
                    let incident = "INC-\(number)"
                    guard (try? await client.post("/v1/incidents/\(incident)/declare", json: ServerAPITests.declare))?.status == 201 else { return }
                    while true {
                        let id = UUID().uuidString.lowercased()
                        guard let reply = try? await client.post("/v1/incidents/\(incident)/note", json: #"{"id": "\#(id)", "text": "still looking"}"#),
                            (200..<300).contains(reply.status)
                        else { return }
                        acknowledged.ids.withLock { $0.append(id) }
                    }
                }
            }
            // 200 acknowledged, or (on a loaded CI machine) at least one per client after 30 s;
            // fewer than that in 120 s fails the test rather than hanging it.
            let clock = ContinuousClock()
            let start = clock.now
            while case let count = acknowledged.ids.withLock({ $0.count }), count < 200 {
                if clock.now - start > .seconds(30), count >= 16 { break }
                if clock.now - start > .seconds(120) {
                    Issue.record("only \(count) notes acknowledged in 120 s by 16 clients; the primary was not killed")
                    group.cancelAll()
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            try pair.killPrimary()
            // Every client's next post fails (503): the database is gone. Then the writers stop.
            try await group.waitForAll()
        }
        let acked = acknowledged.ids.withLock { $0 }
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()

        // The operator promotes the standby and points the server at it; the mirror is kept.
        try pair.promoteStandby()
        let (restarted, newPort) = try ServerFixture.serve(ledger: standby, arguments: mirror, log: directory.file("serve-standby.log"))
        let after = HTTPTestClient(port: newPort, token: secret)
        let id = UUID().uuidString.lowercased()
        let reply = try await after.post("/v1/incidents/INC-1/note", json: #"{"id": "\#(id)", "text": "after the failover"}"#)
        #expect(reply.status == 201, "\(reply.status) \(reply.text)")
        kill(restarted.processIdentifier, SIGTERM)
        restarted.waitUntilExit()
        #expect(restarted.terminationStatus == 0)

        let check = ["--ledger", standby, "--mirror", directory.file("check-mirror")]
        let verify = try ChildProcess.run(tool, ["verify"] + check)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let log = try ChildProcess.run(tool, ["log", "--type", "incident.note_added", "--json"] + check)
        var recorded = [String: Int]()
        for line in log.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let id = object?["id"] as? String { recorded[id, default: 0] += 1 }
        }
        #expect(acked.count >= 16)
        let missing = acked.filter { recorded[$0] != 1 }
        #expect(missing.isEmpty, "\(missing.count) of \(acked.count) acknowledged events are not on the promoted standby exactly once")
        #expect(recorded[id] == 1, "the append after the failover is recorded")
    }
}
