import ArgumentParser
import IncidentService
import LedgerModel
import LedgerStore
import IncidentProjections
import IncidentReports

struct TimelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Print one incident's history in the order things happened.",
        discussion: """
            Events are ordered by when they happened (ties by position). Entries known more than \
            \(Timeline.lateEntrySeconds / 60) minutes after they happened show when they became known: when \
            their source recorded them (sourceRecordedAt, set by importers), else when the ledger did — so \
            an import is late only where its source was. Corrected and retracted events say so; public \
            updates that came later than promised are marked. A status update stands at the time it shows; \
            when the source says it was posted at another time (postedAt, a back-dated post), that time is \
            shown beside it: "(posted 2026-03-17T09:12:00Z, 2d 9h after the time shown)", and "postedAt" in --json.

            Example: incidents timeline INC-2026-0042 --kind public
            """)

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"), transform: IncidentArgument.normalized)
    var incident: String

    @Option(
        name: .customLong("kind"),
        help: ArgumentHelp("Only entries of this kind: status, customer, public, internal, escalation, correction. Repeatable.", valueName: "kind"))
    var kinds: [String] = []

    @Flag(help: "Print JSON Lines: one entry per line, then one line per missed update promise.")
    var json = false

    @OptionGroup var reportTime: ReportTimeOptions

    func run() async throws {
        var categories: Set<EventDescription.Category>?
        if !kinds.isEmpty {
            categories = []
            for kind in kinds {
                guard let category = EventDescription.Category(rawValue: kind) else {
                    throw ValidationError("--kind must be one of \(EventDescription.Category.allCases.map(\.rawValue).joined(separator: ", ")), not \(MessageText.quoted(kind))")
                }
                categories!.insert(category)
            }
        }
        let service = try await options.service()
        guard let timeline = try service.timeline(of: incident, categories: categories, asOf: reportTime.time) else {
            throw ServiceError.noSuchIncident(incident, in: service.ledger.path)
        }
        let output = Output.standard
        for line in json ? TimelineLines.json(timeline) : TimelineLines.text(timeline) { output.line(line) }
    }
}
