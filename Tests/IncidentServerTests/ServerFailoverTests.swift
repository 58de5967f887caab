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
        /// Why each client that stopped stopped (a status and body, or an error), for the failure message.
        let stops = Mutex<[String]>([])
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
        var loaded = HTTPTestClient(port: port, token: secret)
        // At the start of a full run the machine is loaded far past its 2 cores, and one durable
        // request (a commit its synchronous standby must flush, the mirror's and projections' syncs)
        // has been seen to take longer than the client's usual 30 s: give each answer 120 s.
        loaded.timeout = 120
        let client = loaded
        let acknowledged = Acknowledged()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 1...16 {
                group.addTask {
                    // The declaration first, then notes until a post fails; a note's id is counted once acknowledged.
                    let incident = "INC-\(number)"
                    var (path, body, note) = ("/v1/incidents/\(incident)/declare", ServerAPITests.declare, String?.none)
                    while true {
                        do {
                            let reply = try await client.post(path, json: body)
                            guard (200..<300).contains(reply.status) else {
                                acknowledged.stops.withLock { $0.append("\(path): \(reply.status) \(reply.text.prefix(300))") }
                                return
                            }
                        } catch {
                            acknowledged.stops.withLock { $0.append("\(path): \(error)") }
                            return
                        }
                        if let note { acknowledged.ids.withLock { $0.append(note) } }
                        let next = UUID().uuidString.lowercased()
                        (path, body, note) = ("/v1/incidents/\(incident)/note", #"{"id": "\#(next)", "text": "still looking"}"#, next)
                    }
                }
            }
            // 200 acknowledged, or (on a loaded CI machine) at least one per client after 30 s;
            // fewer than that in 300 s, or every client stopped, fails the test rather than hanging it.
            let clock = ContinuousClock()
            let start = clock.now
            while case let count = acknowledged.ids.withLock({ $0.count }), count < 200 {
                if clock.now - start > .seconds(30), count >= 16 { break }
                if clock.now - start > .seconds(300) || acknowledged.stops.withLock({ $0.count }) == 16 {
                    let stops = acknowledged.stops.withLock { $0 }
                    let log = (try? String(contentsOfFile: directory.file("serve-primary.log"), encoding: .utf8)) ?? ""
                    Issue.record("only \(count) notes acknowledged by 16 clients in \(clock.now - start); the primary was not killed. Clients stopped: \(stops). The server's log ends: \(log.suffix(2000))")
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
