import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore

/// How recording commands report what they appended.
enum RecordOutput {
    /// What was appended, on standard output (with the warnings in its JSON), and each playbook
    /// warning on standard error, as `incidents: warning: …`.
    static func print(_ recorded: CheckedRecording, json: Bool) {
        for warning in recorded.warnings { Notice.emit("warning: \(warning)") }
        if json, !recorded.warnings.isEmpty {
            for result in recorded.results {
                var line = self.json(result)
                line["warnings"] = .array(recorded.warnings.map(\.json))
                Output.standard.line(JSONValue.object(line).canonicalText)
            }
        } else {
            print(recorded.results, json: json)
        }
    }

    static func json(_ result: AppendResult) -> [String: JSONValue] {
        [
            "stream": .string(result.stream), "firstPosition": .integer(Int64(result.positions.lowerBound)),
            "lastPosition": .integer(Int64(result.positions.upperBound)),
            "version": .integer(Int64(result.streamVersion)), "alreadyRecorded": .bool(result.alreadyRecorded),
        ]
    }

    static func print(_ results: [AppendResult], json: Bool) {
        for result in results {
            if json {
                Output.standard.line(JSONValue.object(self.json(result)).canonicalText)
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
