import ArgumentParser
import IncidentService
import LedgerModel
import LedgerStore
import IncidentProjections

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
        let service = try options.service()
        guard let timeline = try service.timeline(of: incident, categories: categories, asOf: reportTime.time) else {
            throw CommandFailure(.invalidInput, "no incident \(incident) in the ledger at \(service.ledger.path) — `incidents list` shows what is there")
        }
        let output = Output.standard
        let missedByPosition = Dictionary(timeline.missedUpdates.map { ($0.promisedIn, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in timeline.entries {
            if json {
                var object: [String: JSONValue] = [
                    "position": .integer(Int64(entry.position)), "occurredAt": .string(entry.occurredAt.rfc3339),
                    "recordedAt": .string(entry.recordedAt.rfc3339), "type": .string(entry.type), "kind": .string(entry.category.rawValue),
                    "actor": .string(entry.actor), "text": .string(entry.text), "late": .bool(entry.isLate),
                    "correctedBy": .array(entry.correctedBy.map { .integer(Int64($0)) }),
                ]
                if let retracted = entry.retractedBy { object["retractedBy"] = .integer(Int64(retracted)) }
                if let posted = entry.postedAt { object["postedAt"] = .string(posted.rfc3339) }
                if let sourceRecordedAt = entry.sourceRecordedAt { object["sourceRecordedAt"] = .string(sourceRecordedAt.rfc3339) }
                output.line(JSONValue.object(object).canonicalText)
                continue
            }
            var line = "\(entry.occurredAt.rfc3339)  #\(entry.position)  [\(entry.category.rawValue)]  \(entry.text)"
            if let posted = Timeline.postedNote(postedAt: entry.postedAt, shownAt: entry.occurredAt) { line += "  (\(posted))" }
            if entry.isLate { line += "  (recorded late\(entry.sourceRecordedAt == nil ? "" : " at the source"), \(entry.knownAt.rfc3339))" }
            if !entry.correctedBy.isEmpty { line += "  (corrected by \(entry.correctedBy.map { "#\($0)" }.joined(separator: ", ")))" }
            if let retracted = entry.retractedBy { line += "  (RETRACTED by #\(retracted))" }
            output.line(line)
            if let missed = missedByPosition[entry.position] {
                let when = missed.fulfilledAt.map { "the next came \($0.rfc3339)" } ?? "none has come yet"
                output.line("    ! promised the next update by \(missed.promisedBy.rfc3339); \(when) — \(Self.duration(missed.lateBySeconds)) late")
            }
        }
        if json {
            for missed in timeline.missedUpdates {
                var object: [String: JSONValue] = [
                    "missedUpdate": true, "promisedIn": .integer(Int64(missed.promisedIn)), "promisedBy": .string(missed.promisedBy.rfc3339),
                    "lateBySeconds": .integer(missed.lateBySeconds),
                ]
                if let fulfilled = missed.fulfilledAt { object["fulfilledAt"] = .string(fulfilled.rfc3339) }
                output.line(JSONValue.object(object).canonicalText)
            }
        }
    }

    static func duration(_ seconds: Int64) -> String {
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes) min" }
        return "\(minutes / 60) h \(minutes % 60) min"
    }
}
