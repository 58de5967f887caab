import ArgumentParser
import IncidentImporters
import IncidentService

/// `incidents import events-csv FILE --mapping MAPPING.json`: a ticketing system's event log.
struct EventLogImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events-csv",
        abstract: "Import a CSV event log (one row per status change of a ticket) through a mapping file.",
        discussion: """
            The mapping file (JSON, kind "event-log") names the columns holding the incident id, time, \
            status, severity, support level, assignee and service, and says what the source's values mean: \
            which statuses open, resolve or close an incident, which levels are higher on the escalation \
            ladder, which impacts are which severity. It may also name the source's own opened and resolved times and \
            SLA verdict (kept as the source's claim and compared with the ledger's in the review), values \
            that mean "missing" ("missing": ["?", "N/A"]), the zone of times without an offset, the \
            separator ("delimiter": ";", detected when the header has no ",") and the encoding \
            ("encoding": "windows-1252", as spreadsheets save CSV). Data/volvo-it-mapping.json is an \
            example; docs/importing.md describes every key.

            FILE may be gzip-compressed (recognised by its content), and - reads standard input. Rows of \
            one incident are taken in time order. Event ids are derived from the incident id and each row's \
            time, so importing the same file again adds nothing and a later export adds only the rows that \
            are new (what is recorded is never overwritten). The whole import is one atomic batch: an \
            incident the ledger would refuse is named with its first line, field and rule, and nothing is \
            written; --keep-going records the others and writes the refused ones to a rejects file:
              incidents import events-csv log.csv --mapping desk.json --keep-going
            """)

    @OptionGroup var options: LedgerOptions

    @OptionGroup var csv: CSVImportOptions

    func run() async throws {
        let progress = ProgressBar()
        defer { progress.finish() }
        let (mappingFile, table) = try csv.load(EventLogMapping.init(json:), progress: progress)
        progress.phase("mapping \(table.records.count) rows", total: nil)
        let mapped: EventLogImport
        do {
            mapped = try EventLogImporter.map(table, mapping: mappingFile) { done, total in
                progress.phase("mapping \(table.records.count) rows", total: total)
                progress.update(done)
            }
        } catch {
            throw CommandFailure(.invalidInput, "\(csv.mapping): \(error.description); nothing was written")
        }
        var run = ImportRun(incidentsInDocument: mapped.incidents.count + mapped.skippedIncidents, warnings: mapped.warnings)
        run.report.incidentsSkipped = mapped.skippedIncidents
        try await csv.run.record(mapped.incidents, run: run, input: csv.file, ledger: options, progress: progress)
    }
}
