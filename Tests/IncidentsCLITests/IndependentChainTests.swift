import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// docs/record-format.md must be complete enough for another program to recompute the chain:
/// Tools/verify-chain.py (Python, standard library only) rebuilds every record from `log --json`
/// and must reach the same chain head as `incidents verify`.
@Suite struct IndependentChainTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    @Test func pythonRecomputesTheSameChainHead() async throws {
        let cli = CLI()
        try await cli.run("init")
        let declarations = (0..<4).map { CLI.event(stream: "INC-\($0)", payload: #"{"title":"Ça ne marche pas \"\#($0)\"\n\t😀","kind":"unplanned","severity":"sev2","services":["a","b"]}"#) }
        let lines = declarations + (4..<40).map { index in
            let id = index % 2 == 0 ? #""correlationId":"import-\#(index)","# : ""
            return #"{\#(id)"stream":"INC-\#(index % 4)","type":"customer.message_received","occurredAt":"2026-03-1\#(index % 10)T0\#(index % 10):00:00.\#(index)Z","actor":{"kind":"\#(["person", "tool", "system"][index % 3])","id":"ågent \#(index)"},"source":"email","payload":{"messageId":"m-\#(index)","channel":"email","customer":"c\u0001","subject":"Ça ne marche pas \"\#(index)\"\n\t😀","threatensToLeave":\#(index % 2 == 0)}}"#
        }
        await #expect(try cli.run("append", stdin: lines.joined(separator: "\n")).status == 0)
        let exported = try await cli.run("log", "--json")
        let script = Self.repository + "/Tools/verify-chain.py"
        let python = try await ChildProcess.run("/usr/bin/env", ["python3", script], stdin: exported.stdout)
        #expect(python.status == 0, "\(python.stderr)")
        let verify = try await cli.run("verify")
        // The chain head named on the first line (verify goes on to say how the projections stand).
        let head = { (text: String) in (text.components(separatedBy: "chain head ").last ?? "").prefix { $0 != "\n" } }
        #expect(head(python.stdout) == head(verify.stdout))
        #expect(python.stdout.hasPrefix("ok: 40 events"))
    }

    @Test func pythonNoticesAnAlteredExport() async throws {
        let cli = CLI()
        try await cli.run("init")
        await #expect(try cli.run("append", stdin: [CLI.event(), CLI.note("n-2"), CLI.note("n-3")].joined(separator: "\n")).status == 0)
        let exported = try await cli.run("log", "--json").stdout.replacingOccurrences(of: #"{"text":"n-2"}"#, with: #"{"text":"n-7"}"#)
        let python = try await ChildProcess.run("/usr/bin/env", ["python3", Self.repository + "/Tools/verify-chain.py"], stdin: exported)
        #expect(python.status == 1)
        #expect(python.stderr.contains("position 3: previousHash does not match"))
    }
}
