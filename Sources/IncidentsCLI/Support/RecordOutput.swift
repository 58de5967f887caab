import LedgerModel
import LedgerStore

/// How recording commands report what they appended.
enum RecordOutput {
    static func print(_ results: [AppendResult], json: Bool) {
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
