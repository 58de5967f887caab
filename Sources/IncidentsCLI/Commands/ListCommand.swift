import ArgumentParser
import Foundation
import IncidentEvents
import IncidentMetrics
import LedgerModel
import LedgerStore
import IncidentProjections
import IncidentService

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List incidents with their current state, optionally filtered.",
        discussion: "Reads the incident-state projection, caught up with the log first.")

    @OptionGroup var options: LedgerOptions

    @Option(help: ArgumentHelp("Only incidents in this phase: open, investigating, identified, mitigated, monitoring, resolved or closed.", valueName: "phase"))
    var status: String?

    @Option(help: ArgumentHelp("Only incidents of this severity (sev1 … sev4).", valueName: "severity"))
    var severity: String?

    @Option(help: ArgumentHelp("Only unplanned or scheduled_maintenance incidents.", valueName: "kind"))
    var kind: String?

    @Option(help: ArgumentHelp("Only incidents whose final scope names this service (in any case).", valueName: "service"))
    var service: String?

    @Option(help: ArgumentHelp("Only incidents whose title or id contains this text (in any case, with or without accents).", valueName: "text"))
    var text: String?

    @Option(help: ArgumentHelp("Only incidents declared in this period (UTC): 2026-Q3, 2026-07 or 2026-07-01..2026-10-01.", valueName: "period"))
    var period: String?

    @Option(help: ArgumentHelp("Only incidents declared at or after this RFC 3339 time.", valueName: "time"))
    var since: TimestampArgument?

    @Option(help: ArgumentHelp("Only incidents declared before this RFC 3339 time.", valueName: "time"))
    var until: TimestampArgument?

    @Option(help: ArgumentHelp("Only the N resolved incidents that lasted longest (impact start, or declaration, to resolution), longest first.", valueName: "n"))
    var longest: Int?

    @Flag(help: "Print JSON Lines, one incident state per line.")
    var json = false

    @Flag(help: "Print only the incident ids, one per line (for scripts).")
    var ids = false

    func validate() throws {
        if let status, status != "open", IncidentPhase(rawValue: status) == nil {
            throw ValidationError("--status must be open or one of \(IncidentPhase.allCases.map(\.rawValue).joined(separator: ", ")), not \(MessageText.quoted(status))")
        }
        if let severity, Severity(rawValue: severity) == nil { throw ValidationError("--severity must be sev1, sev2, sev3 or sev4, not \(MessageText.quoted(severity))") }
        if let kind, IncidentKind(rawValue: kind) == nil { throw ValidationError("--kind must be unplanned or scheduled_maintenance, not \(MessageText.quoted(kind))") }
        if service?.isEmpty == true { throw ValidationError("--service must name a service, not be empty") }
        if text?.isEmpty == true { throw ValidationError("--text must hold some text, not be empty") }
        if let period, PeriodArgument(argument: period) == nil {
            throw ValidationError("--period must be a quarter, a month or days such as 2026-Q3, 2026-07 or 2026-07-01..2026-10-01, not \(MessageText.quoted(period))")
        }
        if let longest, longest < 1 { throw ValidationError("--longest must be at least 1, not \(longest)") }
    }

    func run() async throws {
        let query = IncidentQuery(
            phase: status.map { $0 == "open" ? .open : .phase(IncidentPhase(rawValue: $0)!) }, severity: severity.flatMap(Severity.init(rawValue:)),
            kind: kind.flatMap(IncidentKind.init(rawValue:)), service: service, text: text, period: period.flatMap(PeriodArgument.init(argument:))?.value, since: since?.value,
            until: until?.value, longest: longest)
        let incidents = try await options.service().incidents(matching: query)
        let output = Output.standard
        if ids {
            for summary in incidents { output.line(summary.incident) }
            return
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for summary in incidents { output.line(String(decoding: try encoder.encode(summary), as: UTF8.self)) }
            return
        }
        guard !incidents.isEmpty else {
            output.line("no incidents match")
            return
        }
        func column(_ text: String, _ width: Int) -> String { DisplayWidth.padded(text, to: width) }
        let idWidth = max(8, incidents.map { DisplayWidth.of($0.incident) }.max() ?? 8)
        output.line("\(column("INCIDENT", idWidth))  SEV   PHASE          DECLARED              TITLE")
        for summary in incidents {
            output.line("\(column(summary.incident, idWidth))  \(column(summary.severity?.rawValue ?? "—", 4))  \(column(summary.phase.rawValue, 13))  \(column(summary.declaredAt?.rfc3339 ?? "—", 20))  \(summary.title ?? "")")
        }
        output.line("\(incidents.count) incident\(incidents.count == 1 ? "" : "s")")
    }
}
