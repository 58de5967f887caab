import ArgumentParser
import Foundation
import IncidentService
import IncidentEvents
import IncidentImporters
import LedgerModel
import LedgerStore

struct AppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append events given as JSON.",
        discussion: """
            Reads one JSON event, or JSON Lines (one event per line), from FILE or standard input. \
            Every event in the input is appended in one atomic batch: all of them, or none.

            An event looks like:
              {"stream": "INC-1042", "type": "incident.declared", "occurredAt": "2026-03-14T09:26:53Z",
               "actor": {"kind": "person", "id": "jane@example.com"}, "source": "cli",
               "payload": {"title": "Checkout errors"}}
            Optional: id (a UUID; give one to make retries safe), schemaVersion (default 1), \
            correlationId, causationId, and sourceRecordedAt (RFC 3339: when another system, such as a \
            status page or ticketing tool, first recorded the fact; not later than now). See \
            docs/record-format.md for every field.

            Every event is checked against its type's schema (`incidents schema show TYPE`) and the \
            rules of its incident's life before anything is written.

            Appending events whose ids are already recorded, at the same place, succeeds without \
            writing anything, so a batch can be retried safely after a timeout.

            Every bad line is reported with its number, field and rule, and nothing is written. With \
            --keep-going the good events are appended and the bad lines go to a rejects file, one JSON \
            object each ({index, unit, incident, field, rule, message, record}):
              incidents append events.jsonl --keep-going    # to events.jsonl.rejects.jsonl
              cat events.jsonl | incidents append --keep-going --rejects bad.jsonl
            """)

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("A file of JSON or JSON Lines; - or nothing reads standard input.", valueName: "file"))
    var file: String?

    @Option(
        help: ArgumentHelp(
            "Refuse the append unless the incident is at this version: any, no-stream, stream-exists, or a number. Only for input about one incident.",
            valueName: "version"))
    var expectedVersion: String?

    @OptionGroup var keepGoing: KeepGoingOptions

    @Flag(help: "Print the result as JSON Lines.")
    var json = false

    func validate() throws {
        try PathOption.require(file, "FILE")
        try keepGoing.validate(input: file)
        if keepGoing.isOn, expectedVersion != nil {
            throw ValidationError("--expected-version applies to one atomic batch, so it does not go with --keep-going")
        }
    }

    func run() async throws {
        let expected = try ExpectedVersionOption.parse(expectedVersion)
        let input = try EventInput.read(file: file)
        let streams = Set(input.records.map(\.stream))
        if expected != nil, streams.count > 1 {
            throw ValidationError("--expected-version applies to input about one incident; this input names \(streams.count) incidents")
        }
        let service = try await options.writingService()
        try keepGoing.check(input: file, ledger: options.path)
        var run = ImportRun(incidentsInDocument: input.count, warnings: [])
        let results = try await service.record(input.records, rejected: input.rejections, in: &run, keepGoing: keepGoing.isOn, expectedVersion: expected)
        let rejectsFile = try keepGoing.write(run.report.rejections, input: file, ledger: options.path)
        RecordOutput.print(results, json: json)
        if let rejectsFile {
            let rejected = run.report.rejections
            var text = rejected.prefix(ImportRefusal.listed).map { "rejected: \($0.message)\n" }.joined()
            if rejected.count > ImportRefusal.listed { text += "rejected: … and \(rejected.count - ImportRefusal.listed) more\n" }
            text += "rejected: \(rejected.count) of \(input.count) records, written to \(rejectsFile)\n"
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}
