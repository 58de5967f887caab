import Foundation
import Importers
import LedgerModel
import LedgerStore

/// What an import did, printed at its end.
struct ImportSummary {
    var incidentsInDocument: Int
    var incidentsImported = 0
    var incidentsAlreadyPresent = 0
    var incidentsSkipped = 0
    var eventsImported = 0
    var eventsAlreadyPresent = 0
    var eventsSkipped = 0
    var warnings = [String: Int]()

    /// With more than this many warnings of one kind, only the first few are shown.
    static let fullListLimit = 20
    static let shortListLength = 5

    mutating func add(_ results: [AppendResult]) {
        var written = Set<String>()
        var present = Set<String>()
        for result in results {
            if result.alreadyRecorded {
                eventsAlreadyPresent += result.positions.count
                present.insert(result.stream)
            } else {
                eventsImported += result.positions.count
                written.insert(result.stream)
            }
        }
        incidentsImported += written.count
        incidentsAlreadyPresent += present.subtracting(written).count
    }

    static func printWarnings(_ warnings: [ImportWarning]) {
        var byKind = [ImportWarning.Kind: [ImportWarning]]()
        for warning in warnings { byKind[warning.kind, default: []].append(warning) }
        var text = ""
        for kind in ImportWarning.Kind.allCases {
            guard let list = byKind[kind] else { continue }
            let shown = list.count > fullListLimit ? Array(list.prefix(shortListLength)) : list
            for warning in shown { text += "warning: \(warning.line)\n" }
            if shown.count < list.count {
                text += "warning: [\(kind.rawValue)] … and \(list.count - shown.count) more (\(list.count) in all)\n"
            }
        }
        if !text.isEmpty { FileHandle.standardError.write(Data(text.utf8)) }
    }

    func print(json: Bool) {
        if json {
            let object: JSONValue = .object([
                "incidentsInDocument": .integer(Int64(incidentsInDocument)),
                "incidentsImported": .integer(Int64(incidentsImported)),
                "incidentsAlreadyPresent": .integer(Int64(incidentsAlreadyPresent)),
                "incidentsSkipped": .integer(Int64(incidentsSkipped)),
                "eventsImported": .integer(Int64(eventsImported)),
                "eventsAlreadyPresent": .integer(Int64(eventsAlreadyPresent)),
                "eventsSkipped": .integer(Int64(eventsSkipped)),
                "warnings": .object(warnings.mapValues { .integer(Int64($0)) }),
            ])
            Output.standard.line(object.canonicalText)
        } else {
            Output.standard.line("incidents: \(incidentsImported) imported, \(incidentsAlreadyPresent) already present, \(incidentsSkipped) skipped (\(incidentsInDocument) in the document)")
            Output.standard.line("events: \(eventsImported) imported, \(eventsAlreadyPresent) already present, \(eventsSkipped) skipped")
            let total = warnings.values.reduce(0, +)
            Output.standard.line("warnings: \(total)" + (total == 0 ? "" : " (" + warnings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"))
        }
    }
}
