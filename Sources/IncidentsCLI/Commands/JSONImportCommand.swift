import ArgumentParser
import IncidentImporters
import IncidentService

/// `incidents import json FILE --mapping MAPPING.json`: incidents kept as JSON or JSON Lines.
struct JSONImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json",
        abstract: "Import incidents kept as JSON or JSON Lines (a status history, an incident export) through a mapping file.",
        discussion: """
            The mapping file (JSON, kind "json-incidents") names where the incidents are in the document, the \
            path of each field (id, title, severity, created, start, end, status, services …), the array of \
            updates and its fields, how times are written, what the source's values mean (severities, \
            statuses) and which values stand for "not known". docs/importing.md describes every key; \
            docs/examples/ holds tested mappings for Google Cloud's status history, PagerDuty's incident \
            export and Azure's post-incident reviews:

              incidents import json incidents.json --mapping docs/examples/gcp-status-mapping.json
              incidents import json Data/azure_pir_normalized_2021-2026.json --mapping docs/examples/azure-pir-mapping.json

            FILE is one JSON document or JSON Lines (recognised when the whole is not one document but its \
            first line is; --format says which), may be gzip-compressed, and - reads standard input. Event \
            ids are derived from the source's incident ids, so importing the same file again adds nothing \
            and a later export adds only what is new (what is recorded is never overwritten). \
            A record that breaks the mapping's rules, or that the ledger would refuse, is named with its \
            number, field and rule, and nothing is written; --keep-going records the others and writes the \
            bad ones to a rejects file (default FILE.rejects.jsonl):
              incidents import json export.jsonl --mapping m.json --keep-going --warnings all
            """)

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The JSON or JSON Lines file (plain or gzip), or - for standard input.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The mapping file (JSON).", valueName: "mapping.json"))
    var mapping: String

    @Option(help: ArgumentHelp("json (one document) or jsonl (one value per line); recognised when not given.", valueName: "format"))
    var format: InputFormat?

    enum InputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, jsonl
    }

    @Option(help: ArgumentHelp("Prefix of the incident names in the ledger, instead of the mapping's streamPrefix.", valueName: "prefix"))
    var prefix: String?

    @OptionGroup var run: ImportRunOptions

    func validate() throws {
        try PathOption.require(file, "FILE")
        try PathOption.require(mapping, "--mapping")
        try run.keepGoing.validate(input: file)
    }

    func run() async throws {
        let progress = ProgressBar()
        defer { progress.finish() }
        let parsed: JSONMapping
        do {
            parsed = try JSONMapping(json: try ImportInput.mapping(mapping))
        } catch let error as MappingError {
            throw CommandFailure(.invalidInput, "\(mapping): \(error.description); nothing was written")
        }
        progress.phase("reading \(file)", total: nil)
        let bytes = try ImportInput.read(file)
        progress.phase("mapping", total: nil)
        let name = file == "-" ? "standard input" : file
        let mapped: JSONIncidentImport
        do {
            mapped = try JSONIncidentImporter.map(bytes, mapping: parsed, format: format.flatMap { JSONIncidentImporter.Format(rawValue: $0.rawValue) }, prefix: prefix)
        } catch {
            throw CommandFailure(.invalidInput, "\(name): \(error.description); nothing was written")
        }
        var importRun = ImportRun(incidentsInDocument: mapped.records, warnings: mapped.warnings)
        importRun.report.incidentsSkipped = mapped.skippedIncidents
        try await run.record(
            mapped.incidents, rejected: mapped.rejected.map(RecordRejection.init), run: importRun, input: file, ledger: options, progress: progress)
    }
}
