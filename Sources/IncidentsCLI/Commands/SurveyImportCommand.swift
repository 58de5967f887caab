import ArgumentParser
import IncidentImporters
import IncidentService

/// `incidents import surveys-csv FILE --mapping MAPPING.json`: satisfaction-survey responses.
struct SurveyImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "surveys-csv",
        abstract: "Import satisfaction-survey responses from CSV through a mapping file.",
        discussion: """
            The mapping file (JSON, kind "survey") names the columns holding the incident, customer, \
            sent and answered times, score, scale and comment. Each row becomes survey.sent and, when \
            answered, survey.answered, on an incident already in the ledger. \
            docs/examples/survey-mapping.json is an example; docs/importing.md describes every key.

            FILE may be gzip-compressed, and - reads standard input. Importing the same file again adds \
            nothing. The whole import is one atomic batch: bad records are named and nothing is written, \
            unless --keep-going, which records the others and writes the bad ones to a rejects file:
              incidents import surveys-csv answers.csv --mapping s.json --keep-going
            """)

    @OptionGroup var options: LedgerOptions

    @OptionGroup var csv: CSVImportOptions

    func run() async throws {
        let progress = ProgressBar()
        defer { progress.finish() }
        let (mappingFile, table) = try csv.load(SurveyMapping.init(json:), progress: progress)
        let mapped: SurveyImport
        do {
            mapped = try SurveyImporter.map(table, mapping: mappingFile)
        } catch {
            throw CommandFailure(.invalidInput, "\(csv.mapping): \(error.description); nothing was written")
        }
        var run = ImportRun(incidentsInDocument: mapped.incidents.count, warnings: mapped.warnings)
        run.report.eventsSkipped = mapped.skippedRows
        try await csv.run.record(mapped.incidents, run: run, input: csv.file, ledger: options, progress: progress)
    }
}
