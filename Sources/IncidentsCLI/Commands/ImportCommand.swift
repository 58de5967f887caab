import ArgumentParser
import Foundation
import IncidentService
import IncidentImporters
import IncidentEvents
import LedgerModel
import LedgerStore

/// `incidents import …`: records incidents kept by other tools. One subcommand per source format.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import incidents from another tool's export.",
        discussion: "See docs/importing.md for how each source maps to events and what its warnings mean.",
        subcommands: [StatuspageImportCommand.self, JSONImportCommand.self, EventLogImportCommand.self, SurveyImportCommand.self])
}

struct StatuspageImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statuspage",
        abstract: "Import an Atlassian Statuspage incidents document.",
        discussion: """
            Reads the JSON of GET /api/v2/incidents.json ({"page": …, "incidents": […]}), or one incident \
            ({"incident": {…}} or the bare object). Each incident becomes one incident in the ledger, named \
            PREFIX + its Statuspage id. Every event passes the catalog's schemas and rules.

            An update stands at the time it shows (display_at); when it was posted at another time \
            (created_at), that is kept as its postedAt, and time to first public update counts from it. \
            An update posted more than --backdated-after after the time it shows is reported \
            (posted_after_shown_time): `--backdated-after 1d` reports only posts back-dated by more than a day.

            Event ids are derived from the Statuspage ids, so importing the same file again adds nothing, \
            and a later export adds only the updates incidents gained since (what is recorded is never \
            overwritten; changed_since_import says when the source now differs).
            The whole import is one atomic batch: when the ledger would refuse an incident, every such \
            incident is named with its record number, field and rule, and nothing is written. With \
            --keep-going the others are recorded and the refused ones written to a rejects file (JSON \
            Lines; default FILE.rejects.jsonl): \
              incidents import statuspage incidents.json --keep-going --rejects refused.jsonl
            Warnings about untidy data go to standard error, one line each, prefixed "warning:" (per \
            kind, the first 5 when there are more than 20; --warnings all prints every one); a progress \
            bar too when it is a terminal.
            """)

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The Statuspage JSON file.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Prefix of the incident names in the ledger.", valueName: "prefix"))
    var prefix = StatuspageImporter.defaultPrefix

    @OptionGroup var run: ImportRunOptions

    @Option(
        help: ArgumentHelp(
            "Warn about an update posted (created_at) more than this after the time it shows (display_at), for example 30m, 1h or 2d. Both times are kept either way.",
            valueName: "duration"))
    var backdatedAfter = DurationArgument(seconds: StatuspageImporter.defaultBackdatedAfterSeconds)

    func validate() throws {
        try PathOption.require(file, "FILE")
        try run.keepGoing.validate(input: file)
    }

    func run() async throws {
        let progress = ProgressBar()
        defer { progress.finish() }
        progress.phase("reading \(file)", total: nil)
        let bytes = try ImportInput.read(file)
        progress.phase("mapping", total: nil)
        let mapped: StatuspageImport
        do {
            mapped = try StatuspageImporter.map(bytes, prefix: prefix, backdatedAfterSeconds: backdatedAfter.seconds)
        } catch {
            throw CommandFailure(.invalidInput, "\(file): \(error.description); nothing was written")
        }
        var importRun = ImportRun(incidentsInDocument: mapped.incidents.count + mapped.skippedIncidents, warnings: mapped.warnings)
        importRun.report.incidentsSkipped = mapped.skippedIncidents
        try await run.record(mapped.incidents, run: importRun, input: file, ledger: options, progress: progress)
    }
}
