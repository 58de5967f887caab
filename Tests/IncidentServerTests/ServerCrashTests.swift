import Foundation
import LedgerTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `incidents serve` as a real child process, killed with SIGKILL while many clients post: every
/// event the server acknowledged (2xx) is in the ledger exactly once, and the chain verifies.
@Suite struct ServerCrashTests {
    /// The ids of the events the server acknowledged, from every client.
    final class Acknowledged: Sendable {
        let ids = Mutex<[String]>([])
    }

    @Test func everyAcknowledgedEventSurvivesSIGKILL() async throws {
        let directory = TemporaryDirectory("serve-crash")
        let (ledger, secret) = try ServerFixture.preparedLedger(in: directory, role: "responder", name: "load")
        let tool = ChildProcess.executable("incidents")
        let (server, port) = try ServerFixture.serve(ledger: ledger)
        let client = HTTPTestClient(port: port, token: secret)

        let acknowledged = Acknowledged()
        let clients = 16
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 1...clients {
                group.addTask {
                    let incident = "INC-\(number)"
                    guard (try? await client.post("/v1/incidents/\(incident)/declare", json: ServerAPITests.declare))?.status == 201 else { return }
                    while true {
                        let id = UUID().uuidString.lowercased()
                        guard let reply = try? await client.post("/v1/incidents/\(incident)/note", json: #"{"id": "\#(id)", "text": "still looking"}"#) else { return }
                        guard (200..<300).contains(reply.status) else { return }
                        acknowledged.ids.withLock { $0.append(id) }
                    }
                }
            }
            // Let the writers get going, then kill the server without warning.
            while acknowledged.ids.withLock({ $0.count }) < 200 { try await Task.sleep(for: .milliseconds(20)) }
            kill(server.processIdentifier, SIGKILL)
            try await group.waitForAll()
        }
        server.waitUntilExit()
        #expect(server.terminationReason == .uncaughtSignal)

        let verify = try ChildProcess.run(tool, ["verify", "--ledger", ledger])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let log = try ChildProcess.run(tool, ["log", "--ledger", ledger, "--type", "incident.note_added", "--json"])
        #expect(log.status == 0)
        var recorded = [String: Int]()
        for line in log.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let id = object?["id"] as? String { recorded[id, default: 0] += 1 }
        }
        let acked = acknowledged.ids.withLock { $0 }
        #expect(acked.count >= 200)
        let missing = acked.filter { recorded[$0] != 1 }
        #expect(missing.isEmpty, "\(missing.count) of \(acked.count) acknowledged events are not in the ledger exactly once")
    }
}
