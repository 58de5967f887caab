import ArgumentParser
import Foundation
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
            correlationId, causationId. See docs/record-format.md for every field.

            Appending events whose ids are already recorded, at the same place, succeeds without \
            writing anything, so a batch can be retried safely after a timeout.
            """)

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("A file of JSON or JSON Lines; - or nothing reads standard input.", valueName: "file"))
    var file: String?

    @Option(
        help: ArgumentHelp(
            "Refuse the append unless the incident is at this version: any, no-stream, stream-exists, or a number. Only for input about one incident.",
            valueName: "version"))
    var expectedVersion: String?

    @Flag(help: "Print the result as JSON Lines.")
    var json = false

    func run() async throws {
        var expected = ExpectedVersion.any
        if let expectedVersion {
            guard let parsed = ExpectedVersion(expectedVersion) else {
                throw ValidationError("--expected-version must be any, no-stream, stream-exists or a whole number, not '\(expectedVersion)'")
            }
            expected = parsed
        }
        let events = try EventInput.read(file: file)
        var batch = [StreamAppend]()
        for item in events {
            if batch.last?.stream == item.stream {
                batch[batch.count - 1].events.append(item.event)
            } else {
                batch.append(StreamAppend(stream: item.stream, expectedVersion: expected, events: [item.event]))
            }
        }
        if expectedVersion != nil, Set(batch.map(\.stream)).count > 1 || batch.count > 1 {
            throw ValidationError("--expected-version applies to input about one incident given in one run; this input names \(Set(batch.map(\.stream)).count) incidents")
        }
        let ledger = try options.open()
        let results = try await ledger.append(batch)
        for result in results {
            if json {
                let line: JSONValue = [
                    "stream": .string(result.stream), "firstPosition": .integer(Int64(result.positions.lowerBound)),
                    "lastPosition": .integer(Int64(result.positions.upperBound)),
                    "version": .integer(Int64(result.streamVersion)), "alreadyRecorded": .bool(result.alreadyRecorded),
                ]
                Output.standard.line(line.canonicalText)
            } else {
                let count = result.positions.count
                let noun = count == 1 ? "event" : "events"
                let place = count == 1 ? "position \(result.positions.lowerBound)" : "positions \(result.positions.lowerBound)–\(result.positions.upperBound)"
                if result.alreadyRecorded {
                    Output.standard.line("already recorded: \(count) \(noun) of \(result.stream) at \(place); nothing written")
                } else {
                    Output.standard.line("appended \(count) \(noun) to \(result.stream) at \(place); \(result.stream) is now at version \(result.streamVersion)")
                }
            }
        }
    }
}
