import ArgumentParser
import IncidentService
import LedgerStore
import IncidentMetrics
import IncidentReports

/// `incidents review [PERIOD]`: the quarterly review.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "The quarterly review: a period's response figures against the previous period's.",
        discussion: """
            PERIOD is a quarter (2026-Q3), a month (2026-07) or a range of days (2026-07-01..2026-10-01, the \
            end excluded), in UTC; an incident belongs to the period it was declared in. The default is the \
            most recent complete quarter of the ledger: the quarter before the one holding its latest declaration.

            The review compares every metric of docs/metrics.md with the previous period of the same \
            length, lists the incidents that missed an SLA target or left customers longest without news, \
            executive escalations, executive sponsorship, satisfaction over four quarters, postmortem \
            follow-through and time to first reply by hour of the week, and, with --region, each region's \
            response figures on its own calendar; it \
            names the ledger position, chain head, metric versions and calendars it was computed from, and \
            the time it was made (promised updates and action items are judged against it: the wall clock, \
            or --as-of). The same ledger and --as-of give the same bytes.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, html, csv, json
    }

    @OptionGroup var options: LedgerOptions
    @OptionGroup var metrics: MetricsOptions

    @Argument(help: ArgumentHelp("The period: 2026-Q3, 2026-07 or 2026-07-01..2026-10-01.", valueName: "period"))
    var period: PeriodArgument?

    @Option(help: ArgumentHelp("text (default), markdown, html (self-contained, with charts), csv or json.", valueName: "format"))
    var format: Format = .text

    @Option(help: ArgumentHelp("Write the review to this file instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var file: OutputFileOptions

    @Option(
        name: .customLong("region"),
        help: ArgumentHelp(
            "A region's support calendar, REGION=ID (the id of a calendar given with --calendar): the review adds each region's response figures on its own calendar. Repeat for several.",
            valueName: "region=id"))
    var regions: [String] = []

    /// The metrics' context with each --region's calendar.
    func context() throws -> MetricContext {
        var context = try metrics.context()
        for region in regions {
            let parts = region.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw CommandFailure(.usage, "--region \(region): expected REGION=ID, for example --region eu-west-1=support-dublin")
            }
            guard let calendar = context.calendars[parts[1]] else {
                throw CommandFailure(.usage, "--region \(region): no calendar \(parts[1]); give its file with --calendar")
            }
            guard context.regionCalendars[parts[0]] == nil else {
                throw CommandFailure(.usage, "--region \(parts[0]) is given twice — give each region one calendar")
            }
            context.regionCalendars[parts[0]] = calendar
        }
        return context
    }

    func validate() throws {
        try PathOption.require(output, "--output")
    }

    func run() async throws {
        if let output { try OutputFile.check(output, force: file.force, ledger: options.path) }
        let service = try await options.service()
        guard let review = try service.review(of: period?.value, context: try context()) else {
            throw CommandFailure(.invalidInput, "the ledger at \(service.ledger.path) holds no declared incident to review — import or record some first")
        }
        let period = review.period
        let text: String
        switch format {
        case .text: text = ReviewText.render(review, markdown: false)
        case .markdown: text = ReviewText.render(review, markdown: true)
        case .html: text = ReviewHTML.render(review)
        case .csv: text = ReviewCSV.render(review)
        case .json: text = ReviewJSON.render(review)
        }
        try ReportFile.emit(text, to: output, file: file, ledger: options, what: "\(format.rawValue) review of \(period.name)")
    }
}
