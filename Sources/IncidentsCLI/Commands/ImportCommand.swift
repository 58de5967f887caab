import ArgumentParser
import Foundation
import Importers
import IncidentEvents
import LedgerModel
import LedgerStore

/// `incidents import …`: records incidents kept by other tools. One subcommand per source format.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import incidents from another tool's export.",
        discussion: "See docs/importing.md for how each source maps to events and what its warnings mean.",
        subcommands: [StatuspageImportCommand.self])
}

struct StatuspageImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statuspage",
        abstract: "Import an Atlassian Statuspage incidents document.",
        discussion: """
            Reads the JSON of GET /api/v2/incidents.json ({"page": …, "incidents": […]}), or one incident \
            ({"incident": {…}} or the bare object). Each incident becomes one incident in the ledger, named \
            PREFIX + its Statuspage id. Every event passes the catalog's schemas and rules.

            Event ids are derived from the Statuspage ids, so importing the same file again adds nothing.
            The whole import is one atomic batch unless --continue-on-error records each incident on its own.
            Warnings about untidy data go to standard error, one line each, prefixed "warning:".
            """)

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The Statuspage JSON file.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Prefix of the incident names in the ledger.", valueName: "prefix"))
    var prefix = "SP-"

    @Flag(help: "Record each incident on its own; report the ones refused as warnings instead of importing nothing.")
    var continueOnError = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure(.invalidInput, "cannot read \(file): check that it exists and is readable")
        }
        let mapped: StatuspageImport
        do {
            mapped = try StatuspageImporter.map(Array(data), prefix: prefix)
        } catch {
            throw CommandFailure(.invalidInput, "\(file): \(error.description); nothing was written")
        }
        var summary = ImportSummary(incidentsInDocument: mapped.incidents.count + mapped.skippedIncidents)
        summary.incidentsSkipped = mapped.skippedIncidents
        var warnings = mapped.warnings
        let recorder = try options.recorder()
        if continueOnError {
            for incident in mapped.incidents where !incident.events.isEmpty {
                do {
                    summary.add(try await recorder.record(incident.events))
                } catch {
                    summary.incidentsSkipped += 1
                    summary.eventsSkipped += incident.events.count
                    warnings.append(ImportWarning(.recordFailed, incidentID: incident.sourceID, "not recorded: \(error.message)"))
                }
            }
        } else if !mapped.incidents.isEmpty {
            summary.add(try await recorder.record(mapped.events))
        }
        ImportSummary.printWarnings(warnings)
        for warning in warnings { summary.warnings[warning.kind.rawValue, default: 0] += 1 }
        summary.print(json: json)
    }
}

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
