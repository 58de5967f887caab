import ArgumentParser
import Foundation
import IncidentService
import LedgerModel
import LedgerStore
import IncidentProjections
import IncidentReports

/// `incidents postmortem INCIDENT`: the postmortem report of one incident, from the ledger alone.
struct PostmortemReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the postmortem report of one incident (the default: `incidents postmortem INCIDENT`).",
        discussion: """
            The report holds the summary, the impact, the response figures (time to detect, acknowledge, \
            first public update, first reply per customer message, escalate, mitigate, resolve; the \
            longest gap between public updates; promises kept and missed; ETA against resolution), the \
            timeline, every public update, escalations, surveys, root cause, contributing factors and \
            action items, and empty headings for the review's own findings. A figure whose start or stop \
            is not in the ledger reads "not recorded". docs/postmortem.md defines every figure.

            Everything comes from the ledger and the time the report is made: promised updates and \
            action items are judged against the wall clock, or against --as-of TIME, so that the same \
            ledger and `--as-of 2026-04-01T00:00:00Z` give the same bytes every time. The footer names \
            the ledger position and chain head it was built from, and the report time.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, html, json
    }

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"), transform: IncidentArgument.normalized)
    var incident: String

    @Option(help: ArgumentHelp("The format: html is one self-contained file with a picture of the incident.", valueName: "format"))
    var format: Format = .markdown

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var file: OutputFileOptions

    @OptionGroup var reportTime: ReportTimeOptions

    func validate() throws {
        try PathOption.require(output, "--output")
    }

    func run() async throws {
        if let output { try OutputFile.check(output, force: file.force, ledger: options.path) }
        let service = try await options.service()
        guard let report = try service.postmortem(of: incident, asOf: reportTime.time) else {
            throw CommandFailure(.invalidInput, "no incident \(incident) in the ledger at \(service.ledger.path) — `incidents log` lists what is there")
        }
        let text: String
        switch format {
        case .markdown: text = PostmortemMarkdown.render(report)
        case .html: text = PostmortemHTML.render(report)
        case .json: text = PostmortemJSON.render(report)
        }
        try ReportFile.emit(text, to: output, file: file, ledger: options, what: "\(format.rawValue) postmortem of \(incident)")
    }
}
