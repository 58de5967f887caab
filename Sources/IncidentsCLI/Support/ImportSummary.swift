import ArgumentParser
import Foundation
import IncidentService
import IncidentEvents
import IncidentImporters
import LedgerModel
import LedgerStore

/// `--keep-going` and where the bad records go: shared by every import and `append`.
struct KeepGoingOptions: ParsableArguments {
    @Flag(help: "Record the good records and write the bad ones, with their reasons, to a rejects file (by default one bad record means nothing is written).")
    var keepGoing = false

    /// The name --keep-going had before it wrote a rejects file; kept so that scripts still run.
    @Flag(help: .hidden)
    var continueOnError = false

    @Option(
        help: ArgumentHelp(
            "With --keep-going: the rejects file, JSON Lines of {index, unit, incident, field, rule, message, record}. Default: the input's name + .rejects.jsonl, beside it; required when the input is standard input.",
            valueName: "file"))
    var rejects: String?

    @Flag(help: "Replace the rejects file if it exists.")
    var force = false

    var isOn: Bool { keepGoing || continueOnError }

    /// Refuses --rejects or --force without --keep-going, and standard input without --rejects.
    func validate(input: String?) throws {
        try PathOption.require(rejects, "--rejects")
        if !isOn, rejects != nil || force {
            throw ValidationError("--rejects and --force apply only with --keep-going")
        }
        if isOn, rejects == nil, input == nil || input == "-" {
            throw ValidationError("--keep-going with standard input needs --rejects FILE for the bad records")
        }
    }

    /// Where the bad records of `input` go.
    func rejectsPath(input: String?) -> String? {
        guard isOn else { return nil }
        if let rejects { return rejects }
        guard let input, input != "-" else { return nil }
        return input + ".rejects.jsonl"
    }

    /// Refuses, before anything is recorded, a rejects file that could not be written.
    func check(input: String?, ledger: String) throws {
        guard let path = rejectsPath(input: input) else { return }
        try OutputFile.check(path, force: force, ledger: ledger)
    }

    /// Writes the rejects file when there are rejections; its path, or nil when there were none.
    func write(_ rejections: [RecordRejection], input: String?, ledger: String) throws -> String? {
        guard !rejections.isEmpty, let path = rejectsPath(input: input) else { return nil }
        try OutputFile.write(RecordRejection.jsonLines(rejections), to: path, force: force, ledger: ledger)
        return path
    }
}

/// Which warnings an import prints.
enum WarningsShown: String, ExpressibleByArgument, CaseIterable {
    /// Every warning of a kind with at most 20, else the first 5 and a count.
    case summary
    case all
}

/// How an import records and reports: the keep-going options, `--warnings` and `--json`.
struct ImportRunOptions: ParsableArguments {
    @OptionGroup var keepGoing: KeepGoingOptions

    @Option(help: ArgumentHelp("summary: per kind, every warning up to 20, else the first 5 and a count; all: every warning.", valueName: "summary|all"))
    var warnings: WarningsShown = .summary

    @Flag(help: "Print the summary as JSON.")
    var json = false

    /// Records `records` through the library's ``ImportRun``, writes the rejects file, and prints the
    /// warnings (standard error) and the summary (standard output).
    func record(
        _ records: [ImportedIncident], rejected: [RecordRejection] = [], run: ImportRun, input: String, ledger options: LedgerOptions,
        progress: ProgressBar
    ) async throws {
        var run = run
        let service = try await options.writingService()
        try keepGoing.check(input: input, ledger: options.path)
        try await service.record(records, rejected: rejected, in: &run, keepGoing: keepGoing.isOn, addingToRecorded: true) { progress.show($0) }
        let rejectsFile = try keepGoing.write(run.report.rejections, input: input, ledger: options.path)
        progress.finish()
        ImportSummary.print(run.report, rejectsFile: rejectsFile, warnings: warnings, json: json)
    }
}

extension ProgressBar {
    /// Shows what an ``ImportRun`` is doing.
    func show(_ step: ImportRun.Progress) {
        switch step {
        case .batch(let events, let records):
            phase("recording \(events) events of \(records) incidents as one atomic batch", total: nil)
        case .recorded(let done, let total):
            if done == 0 { phase("recording", total: total) }
            update(done)
        }
    }
}

/// Prints what an import did.
enum ImportSummary {
    static func print(_ report: ImportReport, rejectsFile: String?, warnings shown: WarningsShown, json: Bool) {
        let lines = ImportWarning.report(report.warnings, all: shown == .all)
        var text = lines.map { "warning: \($0)\n" }.joined()
        for rejection in report.rejections.prefix(shown == .all ? Int.max : ImportRefusal.listed) {
            text += "rejected: \(rejection.message)\n"
        }
        if shown != .all, report.rejections.count > ImportRefusal.listed {
            text += "rejected: … and \(report.rejections.count - ImportRefusal.listed) more (\(rejectsFile ?? "the rejects file") holds every one)\n"
        }
        if !text.isEmpty { FileHandle.standardError.write(Data(text.utf8)) }
        let counts = report.warningCounts
        if json {
            var object: [String: JSONValue] = [
                "incidentsInDocument": .integer(Int64(report.incidentsInDocument)),
                "incidentsImported": .integer(Int64(report.incidentsImported)),
                "incidentsAlreadyPresent": .integer(Int64(report.incidentsAlreadyPresent)),
                "incidentsSkipped": .integer(Int64(report.incidentsSkipped)),
                "eventsImported": .integer(Int64(report.eventsImported)),
                "eventsAlreadyPresent": .integer(Int64(report.eventsAlreadyPresent)),
                "eventsSkipped": .integer(Int64(report.eventsSkipped)),
                "recordsRejected": .integer(Int64(report.rejections.count)),
                "warnings": .object(Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, .integer(Int64($0.value))) })),
            ]
            if let rejectsFile { object["rejectsFile"] = .string(rejectsFile) }
            Output.standard.line(JSONValue.object(object).canonicalText)
        } else {
            Output.standard.line("incidents: \(report.incidentsImported) imported, \(report.incidentsAlreadyPresent) already present, \(report.incidentsSkipped) skipped (\(report.incidentsInDocument) in the document)")
            Output.standard.line("events: \(report.eventsImported) imported, \(report.eventsAlreadyPresent) already present, \(report.eventsSkipped) skipped")
            if let rejectsFile {
                Output.standard.line("rejected: \(report.rejections.count) record\(report.rejections.count == 1 ? "" : "s"), written to \(rejectsFile)")
            }
            let total = counts.values.reduce(0, +)
            Output.standard.line("warnings: \(total)" + (total == 0 ? "" : " (" + counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ") + ")"))
        }
    }
}
