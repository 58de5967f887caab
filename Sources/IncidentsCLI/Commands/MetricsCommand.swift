import ArgumentParser
import Foundation
import IncidentEvents
import LedgerModel
import IncidentMetrics
import IncidentReports
import IncidentService

/// `incidents metrics NAME`: one metric, with any breakdown and filter.
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Compute one response-time metric, with any breakdown and filter.",
        discussion: """
            Without a name, lists every metric with its version and definition (docs/metrics.md has the same). \
            Durations report n, the number left out and why, mean, median, p90, p95 and maximum; \
            the median is the mean of the two middle values of an even count, p90 and p95 are nearest-rank. Example: incidents metrics time_to_first_reply --by tier --period 2026-Q3
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, csv, json
    }

    @OptionGroup var options: LedgerOptions
    @OptionGroup var metrics: MetricsOptions

    @Argument(help: ArgumentHelp("The metric's name; leave it out to list the metrics.", valueName: "metric"))
    var name: String?

    @Option(name: .customLong("by"), help: ArgumentHelp("Break down by \(MetricDimension.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "dimension"))
    var breakdown: DimensionArgument?

    @Option(help: ArgumentHelp("Only incidents declared in this period: 2026-Q3, 2026-07 or 2026-07-01..2026-10-01.", valueName: "period"))
    var period: PeriodArgument?

    @Option(help: ArgumentHelp("Only incidents of this severity (sev1 … sev4).", valueName: "severity"))
    var severity: String?

    @Option(help: ArgumentHelp("Only unplanned or scheduled_maintenance incidents.", valueName: "kind"))
    var kind: String?

    @Option(help: ArgumentHelp("Only incidents whose scope names this service.", valueName: "service"))
    var service: String?

    @Option(help: ArgumentHelp("text (default), csv or json.", valueName: "format"))
    var format: Format = .text

    @Flag(help: "Print the definitions as the Markdown table in docs/metrics.md.")
    var markdown = false

    func validate() throws {
        if let name, MetricCatalog.named(name) == nil {
            throw ValidationError("no metric \(MessageText.quoted(name)); `incidents metrics` lists them")
        }
        if let severity, Severity(rawValue: severity) == nil { throw ValidationError("--severity must be sev1, sev2, sev3 or sev4, not \(MessageText.quoted(severity))") }
        if let kind, IncidentKind(rawValue: kind) == nil { throw ValidationError("--kind must be unplanned or scheduled_maintenance, not \(MessageText.quoted(kind))") }
    }

    func run() async throws {
        let output = Output.standard
        if markdown {
            output.write(MetricCatalog.markdownTable())
            return
        }
        guard let name, let metric = MetricCatalog.named(name) else {
            for metric in MetricCatalog.all {
                output.line("\(metric.name) (v\(metric.version), \(metric.kind.rawValue)): \(metric.title)")
                output.line("    \(metric.definition)")
            }
            return
        }
        let ledger = try await options.service()
        let context = try metrics.context()
        let filter = IncidentFilter(period: period?.value, severity: severity.flatMap(Severity.init(rawValue:)), kind: kind.flatMap(IncidentKind.init(rawValue:)), service: service)
        let result = try ledger.metric(metric, filter: filter, breakdown: breakdown?.value, context: context)
        let rows = [("all", result.overall)] + result.groups.map { ($0.name, $0.value) }
        switch format {
        case .json:
            output.write(MetricsJSON.render(result))
        case .csv:
            output.write(CSVWriter().row(ReviewCSV.header.dropFirst() + ["group"]))
            for (group, value) in rows {
                output.write(CSVWriter().row(ReviewCSV.cells(metric: metric.name, version: metric.version, value: value) + [group]))
            }
        case .text:
            let clock = metric.usesClock ? ", clock \(context.clock.id) v\(context.clock.version)" : ""
            output.line("\(metric.title) — \(metric.name) v\(metric.version)\(clock); \(result.incidents) incidents\(period.map { " declared in \($0.value.name)" } ?? "")")
            let width = rows.map { DisplayWidth.of($0.0) }.max() ?? 3
            for (group, value) in rows {
                var line = "\(DisplayWidth.padded(group, to: width))  \(MetricFormatting.markedHeadline(value))  n=\(value.count)"
                let detail = MetricFormatting.detail(value)
                if !detail.isEmpty { line += "  \(detail)" }
                let excluded = MetricFormatting.excluded(value)
                if !excluded.isEmpty { line += "  excluded: \(excluded)" }
                output.line(line)
            }
            if rows.contains(where: { $0.1.smallSample }) { output.line(MetricFormatting.smallSampleNote) }
        }
    }
}
