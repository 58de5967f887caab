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
        subcommands: [StatuspageImportCommand.self, EventLogImportCommand.self, SurveyImportCommand.self])
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
            The whole import is one atomic batch unless --continue-on-error records incidents in chunks \
            and retries a refused chunk incident by incident. Warnings about untidy data go to standard \
            error, one line each, prefixed "warning:"; a progress bar too when it is a terminal.
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
        let progress = ProgressBar()
        defer { progress.finish() }
        progress.phase("reading \(file)", total: nil)
        let bytes = try ImportInput.read(file)
        progress.phase("mapping", total: nil)
        let mapped: StatuspageImport
        do {
            mapped = try StatuspageImporter.map(bytes, prefix: prefix)
        } catch {
            throw CommandFailure(.invalidInput, "\(file): \(error.description); nothing was written")
        }
        var run = ImportRun(incidentsInDocument: mapped.incidents.count + mapped.skippedIncidents, warnings: mapped.warnings)
        run.summary.incidentsSkipped = mapped.skippedIncidents
        try await run.record(mapped.incidents, recorder: try options.recorder(), continueOnError: continueOnError, progress: progress)
        progress.finish()
        run.finish(json: json)
    }
}

/// Records what an importer mapped, and reports it: shared by every `import` subcommand.
///
/// Without --continue-on-error every event is one atomic batch: all of it is recorded or nothing.
/// The progress bar then counts the mapping, and shows the recording as one step that takes
/// time, because `EventRecorder` checks and appends a batch as a whole. With --continue-on-error
/// incidents are recorded in chunks of about `chunkEvents` events (whole incidents, so a re-import
/// is still recognised incident by incident); a refused chunk is retried incident by incident, so
/// only the incidents the ledger refuses are left out, each reported as a `record_failed` warning.
struct ImportRun {
    static let chunkEvents = 2000

    var summary: ImportSummary
    var warnings: [ImportWarning]

    init(incidentsInDocument: Int, warnings: [ImportWarning]) {
        summary = ImportSummary(incidentsInDocument: incidentsInDocument)
        self.warnings = warnings
    }

    mutating func record(_ incidents: [ImportedIncident], recorder: EventRecorder, continueOnError: Bool, progress: ProgressBar) async throws {
        let incidents = incidents.filter { !$0.events.isEmpty }
        guard !incidents.isEmpty else { return }
        guard continueOnError else {
            let events = incidents.flatMap(\.events)
            progress.phase("recording \(events.count) events of \(incidents.count) incidents as one atomic batch", total: nil)
            summary.add(try await recorder.record(events))
            return
        }
        progress.phase("recording", total: incidents.count)
        var start = 0
        while start < incidents.count {
            var end = start
            var size = 0
            while end < incidents.count, end == start || size + incidents[end].events.count <= Self.chunkEvents {
                size += incidents[end].events.count
                end += 1
            }
            let chunk = incidents[start..<end]
            do {
                summary.add(try await recorder.record(chunk.flatMap(\.events)))
            } catch {
                for incident in chunk {
                    do {
                        summary.add(try await recorder.record(incident.events))
                    } catch {
                        summary.incidentsSkipped += 1
                        summary.eventsSkipped += incident.events.count
                        warnings.append(ImportWarning(.recordFailed, incidentID: incident.sourceID, "not recorded: \(error.message)"))
                    }
                }
            }
            start = end
            progress.update(start)
        }
    }

    /// Prints the warnings (standard error) and the summary (standard output).
    mutating func finish(json: Bool) {
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
