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
    @Test func everyAcknowledgedEventSurvivesSIGKILL() async throws {
        let directory = TemporaryDirectory("serve-crash")
        let (ledger, secret) = try ServerFixture.preparedLedger(in: directory, role: "responder", name: "load")
        let tool = ChildProcess.executable("incidents")
        let (server, port) = try ServerFixture.serve(ledger: ledger)
        // A durable answer may take longer than 30 s under a full run's load.
        let client = HTTPTestClient(port: port, token: secret, timeout: 120)

        let writers = NoteWriters(clients: 16)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 1...writers.clients {
                group.addTask { await writers.write("INC-\(number)", with: client) }
            }
            // Let the writers get going, then kill the server without warning.
            try await writers.waitUntilGoing(target: 200)
            kill(server.processIdentifier, SIGKILL)
            try await group.waitForAll()
        }
        server.waitUntilExit()
        #expect(server.terminationReason == .uncaughtSignal)

        let verify = try await ChildProcess.run(tool, ["verify", "--ledger", ledger])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let log = try await ChildProcess.run(tool, ["log", "--ledger", ledger, "--type", "incident.note_added", "--json"])
        #expect(log.status == 0)
        var recorded = [String: Int]()
        for line in log.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let id = object?["id"] as? String { recorded[id, default: 0] += 1 }
        }
        let acked = writers.ids
        #expect(acked.count >= writers.clients)
        let missing = acked.filter { recorded[$0] != 1 }
        #expect(missing.isEmpty, "\(missing.count) of \(acked.count) acknowledged events are not in the ledger exactly once")
    }
}
