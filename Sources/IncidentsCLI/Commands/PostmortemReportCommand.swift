import ArgumentParser
import Foundation
import LedgerModel
import LedgerStore
import Projections

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

            Everything comes from the ledger, nothing from the clock: the same ledger gives the same \
            bytes. The footer names the ledger position and chain head it was built from.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, html, json
    }

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"))
    var incident: String

    @Option(help: ArgumentHelp("The format: html is one self-contained file with a picture of the incident.", valueName: "format"))
    var format: Format = .markdown

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() async throws {
        let ledger = try options.open()
        let runner = ProjectionRunner(ledger: ledger)
        try runner.catchUp(IncidentStateProjection.self)
        let summary = try runner.state(IncidentStateProjection.self, key: incident)
        let built = try ledger.read { reader in
            try PostmortemReport.build(incident, summary: summary, in: reader)
        }
        guard let report = built else {
            throw CommandFailure(.invalidInput, "no incident \(incident) in the ledger at \(ledger.path) — `incidents log` lists what is there")
        }
        let text: String
        switch format {
        case .markdown: text = PostmortemMarkdown.render(report)
        case .html: text = PostmortemHTML.render(report)
        case .json: text = PostmortemJSON.render(report)
        }
        guard let output else {
            Output.standard.write(text)
            return
        }
        do {
            // A regular file is replaced atomically (never half a report); a device or a pipe
            // (/dev/stdout, a FIFO) is written in place, never renamed over.
            let attributes = try? FileManager.default.attributesOfItem(atPath: output)
            let special = attributes.map { $0[.type] as? FileAttributeType != .typeRegular } ?? false
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: special ? [] : .atomic)
        } catch {
            // A full disk or an I/O error is a storage failure; a missing folder or a denied path is bad input.
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            let posix = underlying?.domain == NSPOSIXErrorDomain ? Int32(underlying!.code) : 0
            if (error as? CocoaError)?.code == .fileWriteOutOfSpace || posix == ENOSPC || posix == EIO || posix == EDQUOT {
                throw CommandFailure(.storage, "cannot write \(output): the disk is full or failed; the report was not written")
            }
            throw CommandFailure(.invalidInput, "cannot write \(output): \((error as NSError).localizedDescription) — name a file in an existing, writable folder")
        }
        Output.standard.line("wrote the \(format.rawValue) postmortem of \(incident) to \(output) (\(text.utf8.count) bytes)")
    }
}
