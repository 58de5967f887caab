import Foundation
@testable import IncidentsCLI
import LedgerModel
import LedgerTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The error contract of docs/cli.md, walked through the built tool: every failure is exactly one
/// line on standard error, starting `incidents: `, with no argument-parser or Foundation text, and
/// exits with the code documented for its kind — the same mistake with the same code in every command.
@Suite struct ErrorContractTests {
    /// One error path: the arguments (run in the fixture's folder), what standard input holds, and
    /// the exit code and part of the message expected.
    struct Case: Sendable, CustomStringConvertible {
        var arguments: [String]
        var stdin: String?
        var environment: [String: String]
        var status: Int32
        var fragment: String

        init(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], _ status: Int32, _ fragment: String) {
            self.arguments = arguments
            self.stdin = stdin
            self.environment = environment
            self.status = status
            self.fragment = fragment
        }

        var description: String { "incidents " + arguments.map { $0.isEmpty ? "''" : $0 }.joined(separator: " ") }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let volvoMapping = root.appendingPathComponent("Data/volvo-it-mapping.json").path
    static let firstID = "0190f5d2-8c3a-7b1e-9f00-2a4c6e8b0d12"

    static let declare = ["declare", "INC-2", "--title", "Checkout errors", "--kind", "unplanned"]

    /// Every path the table walks; the fixture (`fixture()`) makes the ledgers and files they name.
    static let cases: [Case] = [
        // 2: unknown commands, with the nearest name when one is near.
        Case(["verfy"], 2, "unknown command 'verfy' — did you mean 'verify'? Run `incidents --help` for the list"),
        Case(["statuspage", "x.json"], 2, "did you mean 'import statuspage'?"),
        Case(["keys", "craete"], 2, "unknown command 'keys craete' — did you mean 'keys create'? Run `incidents keys --help`"),
        Case(["schema", "lst"], 2, "did you mean 'schema list'?"),
        Case(["escalation", "rase", "INC-1"], 2, "did you mean 'escalation raise'?"),
        Case(["frobnicate"], 2, "unknown command 'frobnicate' — run `incidents --help` for the list"),
        // 2: bad options and values, naming the help of the command that was given.
        Case(declare + ["--severity", "sev1", "--colour", "red"], 2, "'--colour' is not a field of incident.declared"),
        Case(declare + ["--severity", "sev1", "--colour", "red"], 2, "run `incidents declare --help`"),
        Case(declare + ["--severity", "sev5"], 2, "--severity must be one of sev1, sev2, sev3, sev4, not 'sev5' — run `incidents declare --help`"),
        Case(["severity", "INC-1", "--severity", "sev5"], 2, "run `incidents severity --help`"),
        Case(["list", "--severity", "sev5"], 2, "--severity must be sev1, sev2, sev3 or sev4, not 'sev5' — run `incidents list --help`"),
        Case(["metrics", "--severity", "sev5"], 2, "run `incidents metrics --help`"),
        Case(["postmortem", "INC-1", "--format", "pdf"], 2, "run `incidents postmortem report --help`"),
        Case(["review", "--format", "pdf"], 2, "run `incidents review --help`"),
        Case(["metrics", "no_such_metric"], 2, "no metric 'no_such_metric'"),
        Case(["log", "--limit", "lots"], 2, "run `incidents log --help`"),
        Case(["log", "--since", "yesterday"], 2, "run `incidents log --help`"),
        Case(["log", "--bogus"], 2, "run `incidents log --help`"),
        Case(["show"], 2, "run `incidents show --help`"),
        Case(["escalation", "raise", "INC-1", "--nonsense", "1"], 2, "run `incidents escalation raise --help`"),
        Case(declare + ["--severity", "sev1", "--at", "yesterday"], 2, "run `incidents declare --help`"),
        Case(declare + ["--severity", "sev1", "--actor", "nobody"], 2, "--actor must be kind:id"),
        Case(["note", "INC-1", "--text", "x", "--id", "not-a-uuid"], 2, "--id must be a UUID"),
        Case(["append", "--expected-version", "soon"], stdin: CLI.event(stream: "INC-3"), 2, "--expected-version must be"),
        Case(["timeline", "INC-1", "--kind", "gossip"], 2, "run `incidents timeline --help`"),
        Case(["projections", "rebuild", "nonsense"], 2, "run `incidents projections rebuild --help`"),
        Case(["replay", "INC-1", "--as-occurred"], 2, "--as-occurred needs --at TIME"),
        Case(["generate", "--incidents", "0"], 2, "run `incidents generate --help`"),
        Case(["list", "--longest", "0"], 2, "--longest must be at least 1"),
        Case(["list", "--period", "2026-Q5"], 2, "--period must be a quarter, a month or days such as 2026-Q3, 2026-07 or 2026-07-01..2026-10-01, not '2026-Q5' — run `incidents list --help`"),
        Case(["list", "--service", ""], 2, "--service must name a service, not be empty — run `incidents list --help`"),
        Case(["list", "--text", ""], 2, "--text must hold some text, not be empty — run `incidents list --help`"),
        Case(["schema", "show", "incident.exploded"], 2, "no schema for 'incident.exploded'"),
        Case(["metrics", "csat", "--business-hours", "support"], 2, "no such calendar"),
        Case(["append"], stdin: CLI.event(stream: "INC-3"), environment: ["INCIDENTS_MAX_FUTURE_SKEW_SECONDS": "soon"], 2, "INCIDENTS_MAX_FUTURE_SKEW_SECONDS"),
        // 2: empty and blank paths, refused before anything is opened.
        Case(["export", "-o", ""], 2, "--output is an empty path"),
        Case(["log", "--ledger", ""], 2, "--ledger is an empty path"),
        Case(["append", ""], 2, "FILE is an empty path"),
        Case(["postmortem", "INC-1", "--output", " "], 2, "--output is an empty path"),
        Case(["review", "--output", ""], 2, "--output is an empty path"),
        Case(["checkpoint", "--output", ""], 2, "--output is an empty path"),
        Case(["keys", "export", "--output", ""], 2, "--output is an empty path"),
        Case(["keys", "show", "--keys", ""], 2, "--keys is an empty path"),
        Case(["generate", "--output", ""], 2, "--output is an empty path"),
        Case(["schema", "export", ""], 2, "FOLDER is an empty path"),
        Case(["import", "statuspage", ""], 2, "FILE is an empty path"),
        Case(["import", "events-csv", "x.csv", "--mapping", ""], 2, "--mapping is an empty path"),
        Case(["verify-export", ""], 2, "BUNDLE is an empty path"),
        Case(["export", "-o", "b", "--since-checkpoint", ""], 2, "--since-checkpoint is an empty path"),
        Case(["metrics", "csat", "--calendar", ""], 2, "--calendar is an empty path"),
        // 5: no ledger, not a ledger, a newer format.
        Case(["log", "--ledger", "nowhere"], 5, "incidents init"),
        Case(["verify", "--ledger", "afile.txt"], 5, "is a file"),
        Case(["info", "--ledger", "emptydir"], 5, "holds no ledger"),
        Case(["log", "--ledger", "newer"], 5, "newer than this build reads"),
        Case(["append", "--ledger", "newer"], stdin: CLI.event(stream: "INC-3"), 5, "newer than this build reads"),
        Case(["init"], 5, "already exists"),
        // 1: damage, whichever command meets it.
        Case(["verify", "--ledger", "garbage"], 1, "damaged"),
        Case(["log", "--ledger", "garbage"], 1, "damaged"),
        Case(["verify", "--ledger", "pagenotfound"], 1, "damaged"),
        Case(["log", "--ledger", "pagenotfound"], 1, "damaged"),
        Case(["info", "--ledger", "pagenotfound"], 1, "damaged"),
        Case(["verify", "--ledger", "logroot"], 1, "damaged"),
        Case(["log", "--ledger", "logroot"], 1, "damaged"),
        Case(["info", "--ledger", "logroot"], 1, "damaged"),
        Case(["show", "INC-1", "--ledger", "logroot"], 1, "damaged"),
        Case(["verify", "--ledger", "tampered"], 1, "verification failed at position 2"),
        // 3: refused input; nothing is written.
        Case(["append"], stdin: "{oops", 3, "malformed JSON"),
        Case(["append", "bad.json"], 3, "malformed JSON"),
        Case(["append"], stdin: CLI.event(stream: "INC-3", type: "incident.exploded"), 3, "'incident.exploded' is not an event type"),
        Case(["append"], stdin: #"{"stream":"INC-3","type":"incident.declared","occurredAt":"2026-03-14T09:26:53Z","source":"x"}"#, 3, "actor: is required"),
        Case(["append"], stdin: CLI.event(), 3, "INC-1 is already declared"),
        Case(["append", "adir"], 3, "is a directory"),
        Case(["append", "no-such-file.json"], 3, "no such file"),
        Case(["show", "INC-404"], 3, "no incident INC-404"),
        Case(["timeline", "INC-404"], 3, "no incident INC-404"),
        Case(["import", "statuspage", "missing.json"], 3, "cannot read missing.json"),
        Case(["import", "events-csv", "header.csv", "--mapping", volvoMapping], 3, #"'SR\nNumber'"#),
        Case(["import", "events-csv", "header.csv", "--mapping", "no-such-mapping.json"], 3, "cannot read the mapping"),
        Case(["metrics", "csat", "--calendar", "broken.json"], 3, "not a valid calendar"),
        Case(["checkpoint", "--keys", "emptydir"], 3, "incidents keys create"),
        Case(["keys", "create"], 3, "already exists"),
        Case(["postmortem", "INC-1", "--output", "no-such-folder/report.md"], 3, "cannot write no-such-folder/report.md: no such file or folder"),
        Case(["export", "-o", "afile.txt/bundle"], 3, "a part of the path is not a folder"),
        Case(["generate", "--output", "afile.txt/history.jsonl"], 3, "cannot write afile.txt/history.jsonl"),
        // 6: a full disk, as /dev/full is (every write fails with ENOSPC; no root needed).
        Case(["postmortem", "INC-1", "--output", "/dev/full"], 6, "cannot write /dev/full: the disk is full"),
        Case(["checkpoint", "--output", "/dev/full"], 6, "the disk is full"),
        Case(["keys", "export", "--output", "/dev/full"], 6, "the disk is full"),
        Case(["review", "2026-Q1", "--output", "/dev/full"], 6, "the disk is full"),
        // 4: conflicts.
        Case(["append", "--expected-version", "no-stream"], stdin: CLI.event(), 4, "INC-1 is at version"),
        Case(["append"], stdin: CLI.event(stream: "INC-5", id: firstID), 4, "already"),
    ]

    /// A ledger with two events and a key, and beside it the broken ledgers and files the cases name.
    static func fixture() throws -> CLI {
        let cli = CLI()
        try #require(try cli.run("init").status == 0)
        let events = [CLI.event(id: firstID), CLI.note("marker-2")].joined(separator: "\n")
        try #require(try cli.run("append", stdin: events).status == 0)
        try #require(try cli.run("keys", "create").status == 0)
        let files = FileManager.default
        let data = try Data(contentsOf: URL(fileURLWithPath: cli.ledgerPath + "/data.mdb"))
        func ledger(_ name: String, _ bytes: Data) throws {
            try files.createDirectory(atPath: cli.directory.file(name), withIntermediateDirectories: true)
            try bytes.write(to: URL(fileURLWithPath: cli.directory.file(name + "/data.mdb")))
        }
        try ledger("newer", try Self.replacingFormatVersion(in: data, with: 99))
        try ledger("pagenotfound", try Self.pointingMainDatabaseAtAMissingPage(data))
        try ledger("logroot", try Self.pointingLogDatabaseAtAMissingPage(data))
        try ledger("garbage", Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        var tampered = data
        let marker = try #require(tampered.range(of: Data("marker-2".utf8)))
        tampered[marker.lowerBound] = UInt8(ascii: "M")
        try ledger("tampered", tampered)
        try files.createDirectory(atPath: cli.directory.file("emptydir"), withIntermediateDirectories: true)
        try files.createDirectory(atPath: cli.directory.file("adir"), withIntermediateDirectories: true)
        _ = try cli.write("afile.txt", "hello")
        _ = try cli.write("bad.json", "{oops")
        _ = try cli.write("broken.json", "{\"id\": ")
        // A header whose cells hold a quoted newline and a carriage return: echoed, they must stay on one line.
        _ = try cli.write("header.csv", "\"SR\nNumber\",\"Change\rDate+Time\",Status\n1,2026-01-01T00:00:00Z,Queued\n")
        return cli
    }

    @Test func everyErrorIsOneLineWithItsDocumentedExitCode() async throws {
        let cli = try Self.fixture()
        let before = try await cli.run("verify").stdout
        let outcomes = Self.runInParallel(Self.cases, in: cli)
        for (index, outcome) in outcomes.enumerated() {
            let test = Self.cases[index]
            guard let outcome else {
                Issue.record("\(test): the tool could not be run")
                continue
            }
            let stderr = outcome.stderr
            #expect(outcome.status == test.status, "\(test): exit \(outcome.status), expected \(test.status): \(stderr)")
            #expect(stderr.hasSuffix("\n") && stderr.dropLast().split(separator: "\n", omittingEmptySubsequences: false).count == 1, "\(test): not one line: \(stderr)")
            #expect(stderr.hasPrefix("incidents: "), "\(test): \(stderr)")
            #expect(stderr.contains(test.fragment), "\(test): expected '\(test.fragment)' in: \(stderr)")
            for forbidden in ["Error:", "Usage:", "The operation could not be completed", "Error Domain=", "NSCocoaErrorDomain", "The given data was not valid JSON", "See 'incidents"] {
                #expect(!stderr.contains(forbidden), "\(test): '\(forbidden)' in: \(stderr)")
            }
        }
        // Not one of them changed the ledger.
        // (The chain line: the projections line may say they were caught up meanwhile.)
        await #expect(try cli.run("verify").stdout.split(separator: "\n").first == before.split(separator: "\n").first)
    }

    /// Every command that runs, given an option it does not have: a usage error naming that
    /// command's own help, whatever else it lacks.
    @Test func everyCommandRefusesAnUnknownOptionNamingItsOwnHelp() async throws {
        let cli = try Self.fixture()
        let paths = CommandTree.runnablePaths()
        #expect(paths.count > 50)
        let cases = paths.map { Case($0 + ["--no-such-option"], 2, "run `incidents \($0.joined(separator: " ")) --help`") }
        for (test, outcome) in zip(cases, Self.runInParallel(cases, in: cli)) {
            let outcome = try #require(outcome, "\(test)")
            #expect(outcome.status == 2, "\(test): \(outcome.status) \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("incidents: ") && outcome.stderr.contains(test.fragment), "\(test): \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(test): \(outcome.stderr)")
        }
    }

    /// A stored projection state with its first byte changed (the state's tag): it is never used as
    /// it is. Either the command refuses it as damage (exit 1, one line) or, where projections
    /// check their states, it is rebuilt and the command succeeds — never exit 2 or parser text.
    @Test func aDamagedProjectionStateIsDamageNeverAUsageError() async throws {
        let cli = try Self.fixture()
        await #expect(try cli.run("list").status == 0)
        let path = cli.ledgerPath + "/data.mdb"
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let key = try #require(data.range(of: Data("incident-state\u{0}INC-1".utf8)))
        data[key.upperBound] ^= 0x06
        try data.write(to: URL(fileURLWithPath: path))
        for arguments in [["show", "INC-1"], ["list"]] {
            let outcome = try await cli.run(arguments)
            #expect(outcome.status == 1 || outcome.status == 0, "\(arguments): \(outcome.status) \(outcome.stderr)")
            #expect(!outcome.stderr.contains("Error:"), "\(arguments): \(outcome.stderr)")
            if outcome.status == 1 {
                #expect(outcome.stderr.hasPrefix("incidents: ") && outcome.stderr.contains("projection state is damaged"), "\(outcome.stderr)")
                #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
            } else {
                #expect(outcome.stdout.contains("Checkout errors"), "\(arguments): a rebuilt state shows the incident")
            }
        }
    }

    /// A file the user may not read, given to every command that reads one. Root reads any file,
    /// so as root the test says so and checks a folder given as the file instead.
    @Test func anUnreadableInputFileIsInvalidInput() async throws {
        let cli = try Self.fixture()
        let name = try cli.write("unreadable.json", CLI.event(stream: "INC-3"))
        chmod(cli.directory.file(name), 0)
        let readable = getuid() == 0
        if readable { print("running as root: permission bits do not stop reads, so a folder stands in for the unreadable file") }
        let file = readable ? "adir" : name
        for arguments in [["append", file], ["import", "statuspage", file], ["import", "events-csv", file, "--mapping", Self.volvoMapping],
                          ["import", "events-csv", "header.csv", "--mapping", file], ["metrics", "csat", "--calendar", file]] {
            let outcome = try await cli.run(arguments)
            #expect(outcome.status == 3, "\(arguments): \(outcome.status) \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("incidents: ") && outcome.stderr.split(separator: "\n").count == 1, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(file), "\(arguments): names the file: \(outcome.stderr)")
        }
    }

    @Test func helpAndVersionStillExitZero() async throws {
        let cli = CLI()
        for arguments in [["--help"], ["--version"], [], ["declare", "--help"], ["import", "--help"], ["keys"], ["help", "log"]] {
            let outcome = try await cli.run(arguments)
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            #expect(!outcome.stdout.isEmpty, "\(arguments)")
            #expect(outcome.stderr.isEmpty, "\(arguments): \(outcome.stderr)")
        }
        let help = try await cli.run("--help").stdout
        #expect(help.contains("6  storage failure"))
        #expect(help.contains("Every failure is one line on standard error"))
    }

    /// Standard output on a full disk (`> /dev/full`): the command fails with a storage failure
    /// instead of exiting 0 with its output lost.
    @Test func standardOutputOnAFullDiskIsAStorageFailure() async throws {
        let cli = try Self.fixture()
        for command in ["log", "log --json", "show INC-1", "list", "schema list", "generate --incidents 5", "verify", "info --json"] {
            let outcome = try await ChildProcess.run(
                "/bin/bash", ["-c", "exec \"$0\" \(command) > /dev/full", ChildProcess.executable("incidents")], directory: cli.directory.path)
            #expect(outcome.status == 6, "\(command): \(outcome.status) \(outcome.stderr)")
            #expect(outcome.stderr == "incidents: cannot write standard output: the disk is full — free space (or raise the limit) and try again\n", "\(command)")
        }
    }

    /// A full disk, made real: a 256 KiB tmpfs, filled up, under every command that writes a file or
    /// the ledger. Needs root to mount; otherwise the test says why it did not run.
    @Test func aFullDiskIsAStorageFailureInEveryCommand() async throws {
        guard getuid() == 0 else {
            print("skipped the full-disk cases: mounting a small tmpfs needs root (RLIMIT_FSIZE gives EFBIG, a different error; CLIBadInputTests covers it)")
            return
        }
        let cli = try Self.fixture()
        let mountPoint = cli.directory.file("full")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mount = try await ChildProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", mountPoint])
        guard mount.status == 0 else {
            print("skipped the full-disk cases: mount -t tmpfs failed: \(mount.stderr)")
            return
        }
        defer { _ = try? ChildProcess.run("/bin/umount", [mountPoint]) }
        // A ledger on the small disk, with room for its first pages, then the disk filled to the last byte.
        await #expect(try cli.run("init", "--ledger", "full/ledger").status == 0)
        Self.fill(mountPoint + "/filler")
        let body = String(repeating: "y", count: 9_000)
        let batch = (0..<40).map { CLI.note(stream: "INC-1", "\($0) \(body)") }.joined(separator: "\n")
        let cases = [
            Case(["append", "--ledger", "full/ledger"], stdin: CLI.event() + "\n" + batch, 6, "nothing was written"),
            Case(["export", "-o", "full/bundle"], 6, "the disk is full"),
            Case(["keys", "create", "--keys", "full/keys"], 6, "the disk is full"),
            Case(["checkpoint", "--output", "full/checkpoint.txt"], 6, "the disk is full"),
            Case(["keys", "export", "--output", "full/ledger.pub"], 6, "the disk is full"),
            Case(["postmortem", "INC-1", "--output", "full/report.md"], 6, "the disk is full"),
            Case(["generate", "--incidents", "20", "--output", "full/history.jsonl"], 6, "the disk is full"),
            Case(["schema", "export", "full/schemas"], 6, "the disk is full"),
        ]
        for test in cases {
            let outcome = try await cli.run(test.arguments, stdin: test.stdin)
            #expect(outcome.status == test.status, "\(test): exit \(outcome.status): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("incidents: ") && outcome.stderr.contains(test.fragment), "\(test): \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(test): not one line: \(outcome.stderr)")
        }
    }

    /// Runs the cases four at a time (each is a process of its own), in the fixture's folder.
    static func runInParallel(_ cases: [Case], in cli: CLI) -> [ChildProcess.Outcome?] {
        let results = Mutex([ChildProcess.Outcome?](repeating: nil, count: cases.count))
        let next = Atomic(0)
        let group = DispatchGroup()
        for _ in 0..<4 {
            DispatchQueue.global().async(group: group) {
                while true {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    guard index < cases.count else { return }
                    let test = cases[index]
                    let outcome = try? cli.run(test.arguments, stdin: test.stdin, environment: test.environment)
                    results.withLock { $0[index] = outcome }
                }
            }
        }
        group.wait()
        return results.withLock { $0 }
    }

    /// Writes to `path` until the file system refuses another byte.
    static func fill(_ path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0, count: 4096)
        while chunk.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        while write(descriptor, chunk, 1) > 0 {}
    }

    /// data.mdb with the ledger's format version (the meta database's `format-version`, a big-endian
    /// UInt32 right after its key in the leaf node) set to `version`, in every page that holds it.
    static func replacingFormatVersion(in data: Data, with version: UInt32) throws -> Data {
        try overwriting(withUnsafeBytes(of: version.bigEndian) { Array($0) }, after: Array("format-version".utf8), skipping: 0, in: data)
    }

    /// `data` with `value` written `skip` bytes after every place `pattern` stands (at least one).
    static func overwriting(_ value: [UInt8], after pattern: [UInt8], skipping skip: Int, in data: Data) throws -> Data {
        var bytes = [UInt8](data)
        var found = 0
        var index = 0
        while index + pattern.count + skip + value.count <= bytes.count {
            if bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                let start = index + pattern.count + skip
                bytes.replaceSubrange(start..<(start + value.count), with: value)
                found += 1
            }
            index += 1
        }
        try #require(found > 0)
        return Data(bytes)
    }

    /// data.mdb whose record of the `log` database (in the main database's leaf page: a node header
    /// saying 48 bytes of data, F_SUBDATA and a 3-byte key, the key, then LMDB's 48-byte database
    /// record with the root page number last) points the log at a page past the file's end. The
    /// ledger opens; the first read of the log meets MDB_PAGE_NOTFOUND, which LMDB may report as
    /// MDB_BAD_TXN.
    static func pointingLogDatabaseAtAMissingPage(_ data: Data) throws -> Data {
        let node: [UInt8] = [48, 0, 0, 0, 2, 0, 3, 0] + Array("log".utf8)
        return try overwriting(withUnsafeBytes(of: UInt64(0x00FF_FFFF).littleEndian) { Array($0) }, after: node, skipping: 40, in: data)
    }

    /// data.mdb whose two meta pages give the main database a root page far past the file's end, so
    /// LMDB answers MDB_PAGE_NOTFOUND without reading outside the map. LMDB's meta page: a 16-byte
    /// page header, magic, version, address and map size (24 bytes), then the free and main
    /// databases' records (48 bytes each, the root page number last); the page size is in the free
    /// database's first field.
    static func pointingMainDatabaseAtAMissingPage(_ data: Data) throws -> Data {
        var bytes = [UInt8](data)
        let pageSize = Int(bytes[40]) | Int(bytes[41]) << 8 | Int(bytes[42]) << 16 | Int(bytes[43]) << 24
        try #require(pageSize >= 512 && bytes.count >= 2 * pageSize)
        for meta in [0, pageSize] {
            let root = meta + 16 + 24 + 48 + 40
            withUnsafeBytes(of: UInt64(0x00FF_FFFF).littleEndian) { for (offset, byte) in $0.enumerated() { bytes[root + offset] = byte } }
        }
        return Data(bytes)
    }
}
