import Foundation
import IncidentImporters
import LedgerModel
import LedgerTestSupport
import Testing

/// `incidents import events-csv` and `import surveys-csv`, end to end through the built tool, on the
/// bundled Volvo IT log.
@Suite struct CSVImportCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let volvoLog = root.appendingPathComponent("Data/volvo_it_bpi2013_incidents_VINST.csv.gz").path
    static let volvoMapping = root.appendingPathComponent("Data/volvo-it-mapping.json").path
    static let surveys = root.appendingPathComponent("docs/examples/surveys.csv").path
    static let surveyMapping = root.appendingPathComponent("docs/examples/survey-mapping.json").path

    /// The header and every row of the log's first `incidents` incidents (their rows stand together),
    /// with `\n` line ends (the file has `\r\n`).
    static func volvoSlice(incidents: Int) throws -> String {
        let text = String(decoding: try Gzip.decompress(Array(try Data(contentsOf: URL(fileURLWithPath: volvoLog)))), as: UTF8.self)
        var lines = [Substring]()
        var seen = Set<Substring>()
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let id = line.prefix { $0 != "," }
            if !lines.isEmpty, !seen.contains(id) {
                guard seen.count < incidents else { break }
                seen.insert(id)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func summary(_ stdout: String) throws -> JSONValue { try JSONParser.parse(stdout) }

    @Test func aSliceOfTheVolvoLogImportsOnceAndAgainAddsNothing() async throws {
        let cli = CLI()
        try await cli.run("init")
        let slice = try cli.write("slice.csv", try Self.volvoSlice(incidents: 60))
        let first = try await cli.run("import", "events-csv", slice, "--mapping", Self.volvoMapping, "--json")
        #expect(first.status == 0, "\(first.stderr)")
        let imported = try Self.summary(first.stdout)
        #expect(imported["incidentsImported"] == .integer(60))
        #expect(imported["incidentsInDocument"] == .integer(60))
        let events = try #require(imported["eventsImported"].flatMap { if case .integer(let n) = $0 { n } else { nil } })
        #expect(events > 60 * 3)
        // Standard error holds warnings only: no progress bar when it is not a terminal.
        #expect(first.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("warning: ") })

        // The same rows again, from standard input this time.
        let again = try await cli.run("import", "events-csv", "-", "--mapping", Self.volvoMapping, "--json", stdin: try Self.volvoSlice(incidents: 60))
        #expect(again.status == 0, "\(again.stderr)")
        let second = try Self.summary(again.stdout)
        #expect(second["eventsImported"] == .integer(0))
        #expect(second["eventsAlreadyPresent"] == .integer(events))
        #expect(second["incidentsAlreadyPresent"] == .integer(60))
        await #expect(try cli.run("verify").stdout.hasPrefix("ok: \(events) events verified"))
    }

    /// The same rows saved with LF, CRLF or CR line ends, with or without a UTF-8 byte-order mark,
    /// import the same events: every variant after the first finds them all already present.
    @Test func eventLogsImportWhateverTheLineEndsAndMark() async throws {
        let cli = CLI()
        try await cli.run("init")
        let slice = try Self.volvoSlice(incidents: 6)
        #expect(slice.hasPrefix("\u{FEFF}SR Number,"))
        let plain = String(slice.dropFirst())
        var counts = [JSONValue]()
        for (name, lineEnd) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
            for (mark, text) in [("bom", slice), ("plain", plain)] {
                let file = try cli.write("\(name)-\(mark).csv", text.replacingOccurrences(of: "\n", with: lineEnd))
                let imported = try await cli.run("import", "events-csv", file, "--mapping", Self.volvoMapping, "--json")
                #expect(imported.status == 0, "\(file): \(imported.stderr)")
                let summary = try Self.summary(imported.stdout)
                counts.append(summary["eventsImported"] ?? .null)
                counts.append(summary["eventsAlreadyPresent"] ?? .null)
            }
        }
        guard case .integer(let events)? = counts.first, events > 6 * 3 else {
            Issue.record("the first import recorded \(counts.first.map(\.canonicalText) ?? "nothing")")
            return
        }
        #expect(counts == [.integer(events), .integer(0)] + Array(repeating: [.integer(0), .integer(events)], count: 5).flatMap { $0 })
    }

    /// Survey responses saved on Windows (CRLF, with a byte-order mark) import as the LF file does
    /// (the line break inside a quoted comment stays in it, as CRLF).
    @Test func surveysWithCRLFAndAByteOrderMarkImport() async throws {
        let cli = CLI()
        try await cli.run("init")
        try await cli.run("import", "events-csv", try cli.write("slice.csv", try Self.volvoSlice(incidents: 8)), "--mapping", Self.volvoMapping)
        let text = try String(contentsOfFile: Self.surveys, encoding: .utf8)
        let windows = try cli.write("surveys-windows.csv", "\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n"))
        let imported = try await cli.run("import", "surveys-csv", windows, "--mapping", Self.surveyMapping)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("events: 8 imported, 0 already present, 0 skipped"))
        #expect(imported.stderr.contains("warning: [invalid_answer] 1-506071646 (line 7): score '11'"))
        let again = try await cli.run("import", "surveys-csv", windows, "--mapping", Self.surveyMapping)
        #expect(again.stdout.contains("events: 0 imported, 8 already present, 0 skipped"))
    }

    @Test func theWholeVolvoLogImportsFromItsGzipInSeconds() async throws {
        let cli = CLI()
        try await cli.run("init")
        let started = Date()
        let first = try await cli.run("import", "events-csv", Self.volvoLog, "--mapping", Self.volvoMapping)
        let seconds = Date().timeIntervalSince(started)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("incidents: 7554 imported, 0 already present, 0 skipped (7554 in the document)"))
        #expect(first.stdout.contains("events: 73185 imported, 0 already present, 0 skipped"))
        #expect(first.stdout.contains("warnings: 618 (closed_without_resolution 1, reopened 580, repeated_status 37)"))
        #expect(seconds < 60, "the import took \(seconds) seconds")
        let again = try await cli.run("import", "events-csv", Self.volvoLog, "--mapping", Self.volvoMapping, "--continue-on-error")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("events: 0 imported, 73185 already present, 0 skipped"))
        await #expect(try cli.run("verify").stdout.hasPrefix("ok: 73185 events verified"))
    }

    /// util-linux's `script` runs a command on a pseudo-terminal, so its standard error is a terminal.
    static let script = "/usr/bin/script"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: script)))
    func onATerminalALongImportDrawsAProgressBarAndErasesIt() async throws {
        let cli = CLI()
        try await cli.run("init")
        let command = [ChildProcess.executable("incidents"), "import", "events-csv", Self.volvoLog, "--mapping", Self.volvoMapping]
            .map { "'\($0)'" }.joined(separator: " ")
        let outcome = try await ChildProcess.run(Self.script, ["-qefc", command, "/dev/null"], directory: cli.directory.path)
        #expect(outcome.status == 0, "\(outcome.stdout)")
        // The terminal saw the bar redrawn in place (carriage returns, erase to the end of the line),
        // erased before the warnings and the summary.
        #expect(outcome.stdout.contains("\r"))
        #expect(outcome.stdout.contains("\u{1B}[K"))
        #expect(outcome.stdout.contains("mapping 65533 rows [") || outcome.stdout.contains("as one atomic batch"))
        #expect(outcome.stdout.contains("events: 73185 imported"))
        let lastBar = try #require(outcome.stdout.range(of: "\u{1B}[K", options: .backwards))
        #expect(outcome.stdout[lastBar.upperBound...].contains("warning: [reopened]"))
    }

    @Test func aBadMappingIsOneClearLineExitThreeAndWritesNothing() async throws {
        let cli = CLI()
        try await cli.run("init")
        let slice = try cli.write("slice.csv", try Self.volvoSlice(incidents: 3))
        let before = try await cli.run("verify").stdout
        let mapping = String(decoding: try Data(contentsOf: URL(fileURLWithPath: Self.volvoMapping)), as: UTF8.self)
        let cases = [
            ("typo.json", mapping.replacingOccurrences(of: #""severities""#, with: #""severity""#), "severity is not a key of this mapping"),
            ("column.json", mapping.replacingOccurrences(of: #""ST Level""#, with: #""Support Level""#), "columns.level names the column 'Support Level'"),
            ("broken.json", "{\"kind\": ", "not a JSON mapping file"),
            ("survey.json", String(decoding: try Data(contentsOf: URL(fileURLWithPath: Self.surveyMapping)), as: UTF8.self), "needs a 'event-log' mapping"),
        ]
        for (name, text, message) in cases {
            let outcome = try await cli.run("import", "events-csv", slice, "--mapping", try cli.write(name, text))
            #expect(outcome.status == 3, "\(name)")
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(name): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("incidents: \(name): "), "\(outcome.stderr)")
            #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
            #expect(outcome.stderr.contains("nothing was written"))
        }
        await #expect(try cli.run("import", "events-csv", slice, "--mapping", "missing.json").status == 3)
        await #expect(try cli.run("verify").stdout == before)
    }

    @Test func aRefusedIncidentFailsTheWholeImportUnlessContinueOnError() async throws {
        let cli = CLI()
        try await cli.run("init")
        // The second incident of the slice is already declared by someone else: its import is refused.
        try await cli.run("append", try cli.write("taken.json", CLI.event(stream: "VOLVO-1-467153946")))
        let slice = try cli.write("slice.csv", try Self.volvoSlice(incidents: 5))
        let before = try await cli.run("verify").stdout

        let atomic = try await cli.run("import", "events-csv", slice, "--mapping", Self.volvoMapping)
        #expect(atomic.status == 3)
        #expect(atomic.stderr.contains("nothing was written"))
        await #expect(try cli.run("verify").stdout == before)

        let lenient = try await cli.run("import", "events-csv", slice, "--mapping", Self.volvoMapping, "--keep-going")
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stdout.contains("incidents: 4 imported, 0 already present, 0 skipped (5 in the document)"))
        #expect(lenient.stdout.contains("rejected: 1 record, written to slice.csv.rejects.jsonl"))
        #expect(lenient.stderr.contains("(incident '1-467153946'): incident.declared type: VOLVO-1-467153946 is already declared"))
    }

    @Test func surveysImportOnImportedIncidentsAndAgainAddNothing() async throws {
        let cli = CLI()
        try await cli.run("init")
        let surveyArguments = ["import", "surveys-csv", Self.surveys, "--mapping", Self.surveyMapping]
        // Before the incidents exist, the surveys are refused: all of them, or one by one.
        let early = try await cli.run(surveyArguments)
        #expect(early.status == 3)
        #expect(early.stderr.contains("has not been declared"))
        let lenient = try await cli.run(surveyArguments + ["--keep-going", "--rejects", "early.jsonl"])
        #expect(lenient.stderr.contains("rejected: line 2 (incident '1-364285768'): survey.sent stream: VOLVO-1-364285768 has not been declared"), "\(lenient.stderr)")

        try await cli.run("import", "events-csv", try cli.write("slice.csv", try Self.volvoSlice(incidents: 8)), "--mapping", Self.volvoMapping)
        let first = try await cli.run(surveyArguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("incidents: 5 imported, 0 already present, 0 skipped (5 in the document)"))
        #expect(first.stdout.contains("events: 8 imported, 0 already present, 0 skipped"))
        #expect(first.stderr.contains("warning: [invalid_answer] 1-506071646 (line 7): score '11'"))
        let again = try await cli.run(surveyArguments)
        #expect(again.stdout.contains("events: 0 imported, 8 already present, 0 skipped"))

        let shown = try await cli.run("show", "VOLVO-1-504538555")
        #expect(shown.stdout.contains("volvo-ce-pl@2012-05-12T07:00:00Z: 9 (nps_0_10)"), "\(shown.stdout)")
    }

    /// A service desk's spreadsheet export: `;` separators, Windows-1252 text, local times, `?` for
    /// "nobody", and the desk's own opened and resolved times and SLA verdict, compared in the review.
    @Test func aSpreadsheetExportWithTheSourcesOwnClaimsImportsAndItsVerdictsAreCompared() async throws {
        let cli = CLI()
        try await cli.run("init")
        let mapping = try cli.write("desk.json", #"""
            {"kind": "event-log", "source": "desk", "streamPrefix": "D-", "encoding": "windows-1252", "missing": ["?"],
             "columns": {"incident": "Nr", "time": "Changed", "status": "State", "severity": "Prio", "assignee": "Agent",
                         "opened": "Opened", "resolved": "Resolved", "sla": "SLA"},
             "time": {"format": "rfc3339", "defaultTimeZone": "Europe/Brussels"},
             "title": "Ticket {Nr}",
             "statuses": {"Work": {"lifecycle": "open", "status": "investigating"}, "Done": {"lifecycle": "resolved"}},
             "severities": {"3": "sev3"}, "slaVerdicts": {"ok": "met", "late": "breached"}}
            """#)
        var bytes = Array("""
            Nr;Changed;State;Prio;Agent;Opened;Resolved;SLA
            A;2024-01-10 10:00;Work;3;?;2024-01-10 09:50;;
            A;2024-01-10 10:30;Done;3;Ren
            """.utf8)
        bytes += [0xE9]  // "René" in Windows-1252
        bytes += Array("""
            ;2024-01-10 09:50;2024-01-10 10:20;ok
            B;2024-01-11 10:00;Work;3;?;2024-01-11 10:00;;
            B;2024-01-11 13:00;Done;3;?;2024-01-11 10:00;2024-01-11 13:00;ok

            """.utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: cli.directory.file("desk.csv")))
        let imported = try await cli.run("import", "events-csv", "desk.csv", "--mapping", mapping)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("incidents: 2 imported"))
        let shown = try await cli.run("show", "D-A", "--json")
        #expect(shown.stdout.contains("René"))
        #expect(!shown.stdout.contains("\"?\""))
        let timeline = try await cli.run("log", "--incident", "D-A", "--json").stdout.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
        // Opened 09:50 and resolved 10:20 in Brussels (UTC+1): the desk's own times.
        #expect(timeline.first?["occurredAt"] == .string("2024-01-10T08:50:00Z"))
        let resolution = try #require(timeline.first { $0["type"] == .string("incident.resolved") })
        #expect(resolution["occurredAt"] == .string("2024-01-10T09:20:00Z"))
        #expect(resolution["payload"]?["sourceSLA"] == .string("met"))

        // A one-hour resolution target: A (30 minutes) met it, B (three hours) did not, though the desk says "ok".
        for incident in ["D-A", "D-B"] {
            let attached = try await cli.run(
                "sla", "attach", incident, "--policy-id", "desk", "--name", "Desk", "--clock", "calendar",
                "--targets", #"[{"severity":"sev3","resolutionMinutes":60}]"#, "--at", "2024-01-12T00:00:00Z")
            #expect(attached.status == 0, "\(attached.stderr)")
        }
        let text = try await cli.run("review", "2024-Q1", "--as-of", "2024-06-01T00:00:00Z")
        #expect(text.stdout.contains("Source SLA verdicts: 2 incidents with the source's own verdict; 1 of 2 agree with the ledger's, 1 disagree."), "\(text.stdout)")
        let json = try await JSONParser.parse(Array(try cli.run("review", "2024-Q1", "--format", "json", "--as-of", "2024-06-01T00:00:00Z").stdout.utf8))
        #expect(json["sourceSLA"]?["disagreements"] == .array([.object(["incident": "D-B", "title": "Ticket B", "source": "met", "ledger": "breached"])]))
        let html = try await cli.run("review", "2024-Q1", "--format", "html", "--as-of", "2024-06-01T00:00:00Z").stdout
        #expect(html.contains("<tr><td>D-B</td><td>met</td><td>breached</td><td>Ticket B</td></tr>"))
    }

    /// docs/examples/service-desk.csv with its mapping: as the docs say it imports.
    @Test func theServiceDeskExampleImports() async throws {
        let cli = CLI()
        try await cli.run("init")
        let examples = Self.root.appendingPathComponent("docs/examples")
        let imported = try await cli.run(
            "import", "events-csv", examples.appendingPathComponent("service-desk.csv").path,
            "--mapping", examples.appendingPathComponent("service-desk-mapping.json").path)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("incidents: 3 imported, 0 already present, 0 skipped (3 in the document)"))
        #expect(imported.stdout.contains("warnings: 4 (missing_field 4)"))
        let list = try await cli.run("list").stdout
        #expect(list.contains("SD-INC0000045  sev3  closed         2024-02-29T00:16:00Z"))
        await #expect(!(try cli.run("log", "--json").stdout.contains(#""?""#)))
        let review = try await cli.run("review", "2024-Q1", "--as-of", "2024-06-01T00:00:00Z").stdout
        #expect(review.contains("Source SLA verdicts: 3 incidents with the source's own verdict; 3 without a ledger verdict (no SLA policy attached, so nothing to compare)."))
    }

    @Test func invalidUTF8IsRefusedWithTheSettingToChange() async throws {
        let cli = CLI()
        try await cli.run("init")
        let mapping = try cli.write("m.json", #"{"kind": "event-log", "source": "desk", "columns": {"incident": "id", "time": "at", "status": "s", "severity": "p"}, "title": "{id}", "statuses": {"W": {"lifecycle": "open"}}, "severities": {"3": "sev3"}}"#)
        try Data(Array("id,at,s,p\nA,2024-01-01T10:00:00Z,W,3 ".utf8) + [0xE9, 0x0A]).write(to: URL(fileURLWithPath: cli.directory.file("bad.csv")))
        let before = try await cli.run("info").stdout
        let outcome = try await cli.run("import", "events-csv", "bad.csv", "--mapping", mapping)
        #expect(outcome.status == 3)
        #expect(outcome.stderr == "incidents: bad.csv cannot be read as CSV: line 2: byte 0xE9 is not UTF-8; a spreadsheet on Windows saves Windows-1252 — set \"encoding\": \"windows-1252\" in the mapping; nothing was written\n")
        await #expect(try cli.run("info").stdout == before)
    }
}
