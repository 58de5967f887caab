import Foundation
import IncidentEvents
import LedgerModel

/// An incident as a status history describes it (a status page, a cloud provider's incident list, an
/// alerting tool's export), once read from the source's own format: a declaration, updates in time
/// order, and the end the source gives. `SourceIncidentEvents` turns it into catalog events by the
/// rules every such importer shares (docs/importing.md, "Statuspage" and "JSON through a mapping").
struct SourceIncident {
    /// One entry of the incident's history, already read.
    struct Update {
        /// Names the update in its events' ids (`update/<key>`, `update/<key>/status`, …).
        var key: String
        /// Names the update in warnings (`update u1`, `update #3`).
        var label: String
        /// When the source shows it.
        var at: Timestamp
        /// When the source says it was posted, when it records that apart from `at`.
        var created: Timestamp?
        /// The status as the source spells it, for warnings.
        var sourceStatus: String
        /// The status it announces; nil when the source's value is not one (the update is skipped).
        var status: PublicStatus?
        var text: String
        /// Components and their new status (`operational`, …), for scope changes.
        var affected: [(name: String, status: String)] = []
        /// Recorded as an internal note (a review's own timeline) rather than a public status update.
        var isNote = false
    }

    /// The source's names for the fields warnings quote.
    struct FieldNames {
        var title = "the name"
        var created = "created_at"
        var started = "started_at"
        var resolved = "resolved_at"
    }

    var id: String
    var title: String
    var severity: Severity
    var services: [String] = []
    var regions: [String] = []
    var kind = IncidentKind.unplanned
    var plannedStart: Timestamp?
    var plannedEnd: Timestamp?
    var createdAt: Timestamp
    var startedAt: Timestamp?
    var resolvedAt: Timestamp?
    /// The source's incident status, for warnings.
    var status: String?
    /// The source's status says the incident is over (resolved, postmortem, completed).
    var isResolved: Bool
    /// In time order.
    var updates: [Update] = []
    /// The source's description: the resolution's summary (else the last update's text), or a note
    /// when the incident has no resolution.
    var summary: String?
}

/// Maps one `SourceIncident` to its events, collecting warnings. The end the source gives stands (its
/// resolution, or for an incident it marks resolved without one the last update's time); a start that
/// conflicts with it is what is marked unknown; no time is invented.
struct SourceIncidentEvents: WarningReporter {
    static let summaryLength = 500

    let stream: String
    let actor: Actor
    let source: String
    let fields: SourceIncident.FieldNames
    /// An update posted (`created`) more than this after the time it shows is reported as back-dated.
    let backdatedAfterSeconds: Int64
    /// The source recorded each fact as it happened (a status page, an alerting tool), so its creation
    /// and posting times are when each fact became known, kept as `sourceRecordedAt`. False for an
    /// account written afterwards (a post-incident review): its events are known when imported.
    let recordedAsItHappened: Bool
    /// The event id for a role of the incident (`declared`, `update/<key>`, `resolved`).
    let eventID: (_ role: String) -> UUID
    private(set) var warnings = [ImportWarning]()
    private(set) var events = [StreamEvent]()
    private var incidentID: String?

    init(
        stream: String, actor: Actor, source: String, fields: SourceIncident.FieldNames,
        backdatedAfterSeconds: Int64 = StatuspageImporter.defaultBackdatedAfterSeconds, recordedAsItHappened: Bool = true,
        eventID: @escaping (_ role: String) -> UUID
    ) {
        self.recordedAsItHappened = recordedAsItHappened
        self.stream = stream
        self.actor = actor
        self.source = source
        self.fields = fields
        self.backdatedAfterSeconds = backdatedAfterSeconds
        self.eventID = eventID
    }

    mutating func warn(_ kind: ImportWarning.Kind, _ message: String) {
        warnings.append(ImportWarning(kind, incidentID: incidentID, message))
    }

    /// `known`: when the source recorded the fact, kept only for a source that recorded as it happened.
    private mutating func add(_ event: IncidentEvent, role: String, at time: Timestamp, known: Timestamp) {
        let proposed = Catalog.proposed(
            event, id: eventID(role), occurredAt: time, sourceRecordedAt: recordedAsItHappened ? known : nil, actor: actor, source: source)
        events.append(StreamEvent(stream: stream, event: proposed))
    }

    /// Maps the incident; `events` and `warnings` hold the result.
    mutating func map(_ incident: SourceIncident) {
        incidentID = incident.id
        let createdAt = incident.createdAt
        let startedAt = incident.startedAt
        var resolution = incident.resolvedAt
        var impactStartedAt = startedAt
        var unknownTimes: UnknownTimes?
        if resolution == nil, incident.isResolved {
            if let end = incident.updates.last?.at, end > createdAt {
                warn(.resolvedWithoutTime, "status is \(incident.status ?? "") but \(fields.resolved) is missing; resolved at the last update's time (\(end.rfc3339))")
                resolution = end
            } else {
                // Nothing dated after the declaration says when it ended: resolved, with no clock measuring it.
                warn(.resolvedWithoutTime, "status is \(incident.status ?? "") but \(fields.resolved) is missing and nothing is dated after its creation; resolved at its creation (\(createdAt.rfc3339)) with its times marked unknown, so no clock measures it")
                resolution = createdAt
                unknownTimes = .all
            }
        }
        if let resolution {
            if resolution == createdAt, unknownTimes == nil, (startedAt ?? createdAt) >= createdAt {
                warn(.backfilled, "created and resolved at the same instant (\(createdAt.rfc3339)); back-filled, its real timeline is only in the source's text, so its times are marked unknown")
                unknownTimes = .all
            }
            if let startedAt, resolution < startedAt {
                warn(.resolutionBeforeStart, "\(fields.resolved) \(resolution.rfc3339) is before the impact began (\(startedAt.rfc3339)); the resolution is kept and the impact start marked unknown")
                impactStartedAt = nil
            }
            if resolution < createdAt {
                warn(.resolutionBeforeCreation, "\(fields.resolved) \(resolution.rfc3339) is before \(fields.created) \(createdAt.rfc3339); the resolution is kept and the declaration's time marked unknown")
                unknownTimes = unknownTimes ?? .start
            }
        }
        let title = clip(incident.title, maxLength: 300, what: fields.title)
        let declared = IncidentDeclared(
            title: title, kind: incident.kind, severity: incident.severity, services: incident.services, regions: incident.regions,
            plannedStart: incident.plannedStart, plannedEnd: incident.plannedEnd, impactStartedAt: impactStartedAt, unknownTimes: unknownTimes)
        add(.declared(declared), role: "declared", at: createdAt, known: createdAt)
        // The resolution was recorded with the update that resolved the incident; without one, at its own time.
        let resolutionKnown = incident.updates.first { [.resolved, .postmortem, .completed].contains($0.status) }.map { $0.created ?? $0.at }
        // A description with no resolution to summarise is kept as a note.
        if resolution == nil, let description = incident.summary {
            add(.noteAdded(InternalNoteAdded(text: clip(description, maxLength: 10_000, what: "the description"))), role: "description", at: createdAt, known: createdAt)
        }

        // The resolution is placed in time order among the updates.
        var previousStatus: PublicStatus?
        var scope = Set(incident.services)
        var componentStatus = [String: String]()
        var lastText: String?
        var resolutionAdded = false
        for update in incident.updates {
            if let resolution, !resolutionAdded, resolution < update.at {
                add(.resolved(IncidentResolved(summary: summary(incident.summary ?? lastText, title: title))), role: "resolved", at: resolution, known: resolutionKnown ?? resolution)
                resolutionAdded = true
            }
            if update.at.adding(seconds: StatuspageImporter.backdatedThresholdSeconds) < createdAt {
                warn(.backdatedUpdate, "\(update.label) is dated \(update.at.rfc3339), long before the incident was created (\(createdAt.rfc3339)); kept at its time")
            }
            if update.isNote {
                guard !update.text.isEmpty else {
                    warn(.missingField, "\(update.label) has no text; skipped")
                    continue
                }
                let text = clip(update.text, maxLength: 10_000, what: update.label)
                add(.noteAdded(InternalNoteAdded(text: text)), role: "update/\(update.key)", at: update.at, known: update.created ?? update.at)
                continue
            }
            guard let publicStatus = update.status else {
                warn(.unknownValue, "\(update.label) has status \(MessageText.quoted(update.sourceStatus)), which is not a public status; skipped")
                continue
            }
            guard !update.text.isEmpty else {
                warn(.missingField, "\(update.label) has no text; skipped")
                continue
            }
            let body = clip(update.text, maxLength: 10_000, what: update.label)
            lastText = body
            // The update stands at the time it shows; when it went out at another time, that is kept
            // too, and a post back-dated by more than the interval is reported (but not again for a
            // back-filled incident, whose every post is back-dated and which has its own warning).
            let postedAt = update.created.flatMap { $0 == update.at ? nil : $0 }
            if let postedAt, postedAt > update.at.adding(seconds: backdatedAfterSeconds), unknownTimes != .all {
                warn(.postedAfterShownTime, "\(update.label) shows \(update.at.rfc3339) but was posted \(postedAt.rfc3339), \(Self.span(from: update.at, to: postedAt)) later; both are kept, and time to first public update counts from the posting")
            }
            add(.statusUpdatePublished(StatusUpdatePublished(status: publicStatus, audience: .public, channels: [.statusPage], text: body, postedAt: postedAt)),
                role: "update/\(update.key)", at: update.at, known: postedAt ?? update.at)
            // A working status dated after the end the source gives would reopen what it marks resolved.
            if publicStatus != previousStatus, let working = IncidentStatus(rawValue: publicStatus.rawValue), working != .mitigated,
                resolution.map({ update.at <= $0 }) ?? true
            {
                add(.statusChanged(IncidentStatusChanged(status: working)), role: "update/\(update.key)/status", at: update.at, known: update.created ?? update.at)
            }
            previousStatus = publicStatus
            if !update.affected.isEmpty {
                for component in update.affected { componentStatus[component.name] = component.status }
                let down = Set(componentStatus.filter { $0.value != "operational" }.keys)
                if !down.isEmpty, down != scope {
                    add(.scopeChanged(IncidentScopeChanged(services: down.sorted())), role: "update/\(update.key)/scope", at: update.at, known: update.created ?? update.at)
                    scope = down
                }
            }
        }
        if let resolution, !resolutionAdded {
            add(.resolved(IncidentResolved(summary: summary(incident.summary ?? lastText, title: title))), role: "resolved", at: resolution, known: resolutionKnown ?? resolution)
        }
    }

    /// A span for a warning: minutes, hours or days, to one decimal.
    static func span(from start: Timestamp, to end: Timestamp) -> String {
        let seconds = Double(end.microsecondsSinceEpoch - start.microsecondsSinceEpoch) / 1e6
        if seconds >= 86_400 { return String(format: "%.1f days", seconds / 86_400) }
        if seconds >= 3600 { return String(format: "%.1f hours", seconds / 3600) }
        return String(format: "%.0f minutes", seconds / 60)
    }

    private func summary(_ text: String?, title: String) -> String {
        let base = text ?? "Resolved: \(title)"
        let oneLine = base.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard oneLine.count > Self.summaryLength else { return oneLine }
        return String(oneLine.prefix(Self.summaryLength - 1)) + "…"
    }
}
