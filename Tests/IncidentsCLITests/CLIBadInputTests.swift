import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Each kind of bad input gets one clear line and its exit code, and leaves the ledger exactly as it was.
@Suite struct CLIBadInputTests {
    /// A ledger holding one event, and its verify output, to compare with after the bad input.
    static func ledgerWithOneEvent() throws -> (CLI, String) {
        let cli = CLI()
        try cli.run("init")
        #expect(try cli.run("append", stdin: CLI.event()).status == 0)
        return (cli, try cli.run("verify").stdout)
    }

    static let badInputs: [(String, String, String)] = [
        ("malformed JSON", #"{"stream": "INC-1", "type": "#, "malformed JSON at line 1"),
        ("an unknown field", CLI.event().replacingOccurrences(of: #""source""#, with: #""sauce""#), "sauce: is not an envelope field"),
        ("a missing field", #"{"stream":"INC-1","type":"a.b","occurredAt":"2026-03-14T09:26:53Z","source":"x"}"#, "actor: is required"),
        ("an unknown event type", CLI.event(type: "incident.exploded"), "'incident.exploded' is not an event type"),
        ("a payload that breaks its schema", CLI.event(stream: "INC-2", payload: #"{"title":"t","kind":"unplanned","severity":"bad"}"#), "payload.severity: must be one of sev1"),
        ("a broken rule of the incident's life", CLI.event(), "INC-1 is already declared"),
        ("a bad type name", CLI.event(type: "Declared!"), "type: must be lower-case words"),
        ("a bad timestamp", CLI.event(at: "2026-02-30T00:00:00Z"), "occurredAt: '2026-02-30T00:00:00Z' is not an RFC 3339 timestamp (day out of range)"),
        ("a payload that is not an object", CLI.event(payload: "[1]"), "payload: must be a JSON object"),
        ("an empty input", "  \n", "is empty"),
        ("an array", "[" + CLI.event() + "]", "holds a JSON array"),
        ("a bad line in JSON Lines", CLI.event(stream: "INC-7") + "\n" + CLI.event(stream: "INC-8") + "\n{oops\n", "line 3"),
        ("an oversize payload", CLI.event(payload: #"{"body":""# + String(repeating: "x", count: 300_000) + #""}"#), "the limit is 262144 bytes"),
    ]

    @Test(arguments: badInputs)
    func badInputIsRefusedAndNothingIsWritten(label: String, input: String, message: String) throws {
        let (cli, verifiedBefore) = try Self.ledgerWithOneEvent()
        let outcome = try cli.run("append", stdin: input)
        #expect(outcome.status == 3, "\(label): \(outcome.stderr)")
        #expect(outcome.stderr.contains(message), "\(label): \(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1, "one line: \(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("incidents: "))
        #expect(try cli.run("verify").stdout == verifiedBefore)
    }

    @Test func invalidUTF8IsRefused() async throws {
        let (cli, verifiedBefore) = try Self.ledgerWithOneEvent()
        var bytes = Array(CLI.event(payload: #"{"t":"XX"}"#).utf8)
        let index = bytes.firstIndex(of: UInt8(ascii: "X"))!
        bytes[index] = 0xC3
        bytes[index + 1] = 0x28
        try Data(bytes).write(to: URL(fileURLWithPath: cli.directory.file("bad.json")))
        let outcome = try await cli.run("append", "bad.json")
        #expect(outcome.status == 3)
        #expect(outcome.stderr.contains("not valid UTF-8"))
        await #expect(try cli.run("verify").stdout == verifiedBefore)
    }

    @Test func aMissingInputFileIsNamed() async throws {
        let (cli, _) = try Self.ledgerWithOneEvent()
        let outcome = try await cli.run("append", "no-such-file.json")
        #expect(outcome.status == 3)
        #expect(outcome.stderr == "incidents: no such file: no-such-file.json — check the path, or give - for standard input\n")
    }

    @Test func aWrongExpectedVersionIsAConflict() async throws {
        let (cli, verifiedBefore) = try Self.ledgerWithOneEvent()
        let outcome = try await cli.run("append", "--expected-version", "no-stream", stdin: CLI.event())
        #expect(outcome.status == 4)
        #expect(outcome.stderr.contains("INC-1 is at version 1"))
        await #expect(try cli.run("verify").stdout == verifiedBefore)
    }

    @Test func usageErrorsExitTwo() async throws {
        let cli = CLI()
        await #expect(try cli.run("frobnicate").status == 2)
        await #expect(try cli.run("log", "--limit", "lots").status == 2)
        await #expect(try cli.run("log", "--since", "yesterday").status == 2)
        let expected = try await cli.run("append", "--expected-version", "soon", stdin: CLI.event())
        #expect(expected.status == 2)
        #expect(expected.stderr.contains("--expected-version must be"))
    }

    @Test func aMissingLedgerSaysHowToCreateOne() async throws {
        let cli = CLI()
        for command in [["log"], ["show", "INC-1"], ["verify"], ["info"], ["append"]] {
            let outcome = try await cli.run(command[0], command.count > 1 ? command[1] : "--ledger=incident-ledger", stdin: CLI.event())
            #expect(outcome.status == 5, "\(command): \(outcome.stderr)")
            #expect(outcome.stderr.contains("incidents init"))
        }
        #expect(!FileManager.default.fileExists(atPath: cli.ledgerPath))
        await #expect(try cli.run("init").status == 0)
        let again = try await cli.run("init")
        #expect(again.status == 5)
        #expect(again.stderr.contains("already exists"))
    }

    @Test func anUnknownIncidentIsInvalidInput() async throws {
        let (cli, _) = try Self.ledgerWithOneEvent()
        let outcome = try await cli.run("show", "INC-404")
        #expect(outcome.status == 3)
        #expect(outcome.stderr.contains("no incident INC-404"))
    }

    /// A full disk, simulated with a file-size limit (RLIMIT_FSIZE) on the appending process.
    @Test func aFullDiskIsReportedAndTheLedgerIsUnchanged() async throws {
        let (cli, verifiedBefore) = try Self.ledgerWithOneEvent()
        let size = try FileManager.default.attributesOfItem(atPath: cli.ledgerPath + "/data.mdb")[.size] as! Int
        let body = String(repeating: "y", count: 9_000)
        let batch = (0..<40).map { CLI.note("\($0) \(body)") }.joined(separator: "\n")
        let file = try cli.write("big.jsonl", batch)
        let limitBlocks = size / 1024 + 64
        let outcome = try await ChildProcess.run(
            "/bin/bash",
            ["-c", "trap '' XFSZ; ulimit -f \(limitBlocks); exec \"$0\" append \"$1\"", ChildProcess.executable("incidents"), file],
            directory: cli.directory.path)
        #expect(outcome.status == 6, "\(outcome.stderr)")
        // LMDB reports a write cut short by the limit as EIO, as it would a partial write on a full disk.
        #expect(outcome.stderr.contains("disk may be full") || outcome.stderr.contains("disk is full"))
        #expect(outcome.stderr.contains("nothing was written"))
        #expect(outcome.stderr.split(separator: "\n").count == 1, "one line: \(outcome.stderr)")
        await #expect(try cli.run("verify").stdout == verifiedBefore)
    }

    @Test func aTamperedLedgerFailsVerificationNamingThePosition() async throws {
        let cli = CLI()
        try await cli.run("init")
        let lines = ([CLI.event()] + (2...5).map { CLI.note("marker-\($0)") }).joined(separator: "\n")
        await #expect(try cli.run("append", stdin: lines).status == 0)
        // Change one byte of event 3's payload in the data file itself.
        let path = cli.ledgerPath + "/data.mdb"
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let marker = Data("marker-3".utf8)
        let range = try #require(data.range(of: marker))
        data[range.lowerBound] = UInt8(ascii: "M")
        try data.write(to: URL(fileURLWithPath: path))
        let outcome = try await cli.run("verify")
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("verification failed at position 3"), "\(outcome.stderr)")
    }
}
