import Foundation
import IncidentEvents
import LedgerModel

/// Maps the rows of one incident of an event log, in time order, to its events, collecting warnings.
///
/// Within a row, events follow in this order: reopen, acknowledgement and status change (what the
/// status says about work going on), severity, scope, escalation, assignment, and last resolution or
/// closure. docs/importing.md describes each step.
struct EventLogIncidentMapper: WarningReporter {
    /// The mapping's columns resolved against one file's header.
    struct Columns {
        let incident, time, status, severity: ColumnSelection.Resolved
        let level, assignee, service, opened, resolved, sla: ColumnSelection.Resolved?
        let title: TextTemplate.Resolved

        init(mapping: EventLogMapping, table: CSVTable) throws(MappingError) {
            let columns = mapping.columns
            incident = try columns.incident.resolve(in: table)
            time = try columns.time.resolve(in: table)
            status = try columns.status.resolve(in: table)
            severity = try columns.severity.resolve(in: table)
            level = try columns.level?.resolve(in: table)
            assignee = try columns.assignee?.resolve(in: table)
            service = try columns.service?.resolve(in: table)
            opened = try columns.opened?.resolve(in: table)
            resolved = try columns.resolved?.resolve(in: table)
            sla = try columns.sla?.resolve(in: table)
            title = try mapping.title.resolve(in: table)
        }
    }

    let id: String
    let mapping: EventLogMapping
    let columns: Columns
    private(set) var warnings = [ImportWarning]()

    private var events = [StreamEvent]()
    /// The row being mapped: its line, time and key (for event ids).
    private var line = 0
    private var time = Timestamp(microsecondsSinceEpoch: 0)
    private var rowKey = ""

    private var severity = Severity.sev4
    private var service: String?
    private var status: IncidentStatus?
    /// The last source status that resolved or closed the incident, for the reopen's reason.
    private var lastEnding: String?
    private var acknowledged = false
    private var resolved = false
    private var closed = false
    private var level: (source: String, ladder: EscalationLevel)?
    private var openEscalation: (id: String, level: EscalationLevel)?
    private var assignee: String?
    /// The source's own times and SLA verdict for the incident (`columns.opened`, `resolved`, `sla`).
    private var sourceOpened: Timestamp?
    private var sourceResolved: Timestamp?
    private var sourceSLA: SLAVerdict?
    /// The last incident.resolved added: its place in `events` and its summary, to give it the source's time and verdict.
    private var lastResolution: (index: Int, summary: String)?

    init(id: String, mapping: EventLogMapping, columns: Columns) {
        self.id = id
        self.mapping = mapping
        self.columns = columns
    }

    private var stream: String { mapping.naming.stream(id) }

    private mutating func warn(_ kind: ImportWarning.Kind, row: Bool, _ message: String) {
        warnings.append(ImportWarning(kind, incidentID: id, row: row ? line : nil, message))
    }

    /// A warning about the current row.
    mutating func warn(_ kind: ImportWarning.Kind, _ message: String) {
        warn(kind, row: true, message)
    }

    private mutating func add(_ event: IncidentEvent, role: String, at instant: Timestamp? = nil) {
        let name = "event-log/\(mapping.naming.source)/\(id)/\(rowKey)/\(role)"
        // The row's change time is also when the source system recorded the change.
        let proposed = Catalog.proposed(
            event, id: SourceEventID.make(name), occurredAt: instant ?? time, sourceRecordedAt: max(instant ?? time, time),
            actor: EventLogImporter.actor, source: mapping.naming.source)
        events.append(StreamEvent(stream: stream, event: proposed))
    }

    /// Records incident.resolved, remembering it as the last resolution.
    private mutating func addResolution(_ summary: String, at instant: Timestamp? = nil) {
        let summary = clip(summary, maxLength: 4000, what: "the resolution summary")
        lastResolution = (events.count, summary)
        add(.resolved(IncidentResolved(summary: summary)), role: "resolved", at: instant)
    }

    /// Reads the source's own opened and resolved times and SLA verdict: the first opened time, the
    /// last resolved time and verdict given, in time order.
    private mutating func readSourceClaims(_ rows: [(time: Timestamp, record: CSVTable.Record)]) {
        func time(_ column: ColumnSelection.Resolved?, _ selection: ColumnSelection?, _ record: CSVTable.Record) -> Timestamp? {
            guard let column, let selection, !column.isEmpty(in: record) else { return nil }
            let text = column.value(in: record)
            guard let instant = mapping.time.parse(text) else {
                warn(.badTimestamp, "\(selection.key): \(MessageText.quoted(text)) is not a time in the format \(mapping.time.pattern); ignored")
                return nil
            }
            return instant
        }
        for row in rows {
            line = row.record.line
            if sourceOpened == nil { sourceOpened = time(columns.opened, mapping.columns.opened, row.record) }
            if let resolved = time(columns.resolved, mapping.columns.resolved, row.record) { sourceResolved = resolved }
            if let column = columns.sla, let selection = mapping.columns.sla, !column.isEmpty(in: row.record) {
                let text = column.value(in: row.record)
                if let verdict = mapping.slaVerdicts[text] {
                    sourceSLA = verdict
                } else {
                    warn(.unknownValue, "\(selection.key): \(MessageText.quoted(text)) is not in the mapping's slaVerdicts; ignored")
                }
            }
        }
    }

    /// Gives the last resolution the source's resolved time and SLA verdict; records one at the
    /// source's resolved time when no status resolved the incident.
    private mutating func applySourceResolution() {
        if lastResolution == nil, let sourceResolved, !resolved, !closed {
            rowKey = "source"
            addResolution("Resolved in \(mapping.naming.source) (its resolved time; no status row resolved it)", at: sourceResolved)
        }
        guard let last = lastResolution else {
            if sourceSLA != nil { warn(.missingField, row: false, "the source's SLA verdict is kept with the resolution, and the incident has none; ignored") }
            return
        }
        guard sourceResolved != nil || sourceSLA != nil else { return }
        let old = events[last.index].event
        let proposed = Catalog.proposed(
            .resolved(IncidentResolved(summary: last.summary, sourceSLA: sourceSLA)), id: old.id, occurredAt: sourceResolved ?? old.occurredAt,
            sourceRecordedAt: max(sourceResolved ?? old.occurredAt, old.sourceRecordedAt ?? old.occurredAt),
            actor: EventLogImporter.actor, source: mapping.naming.source)
        events[last.index] = StreamEvent(stream: stream, event: proposed)
    }

    /// A column's value, or nil with a warning when the row leaves it empty.
    private mutating func value(_ column: ColumnSelection.Resolved, _ selection: ColumnSelection, in record: CSVTable.Record) -> String? {
        let text = column.value(in: record)
        guard !column.isEmpty(in: record) else {
            warn(.missingField, "\(selection.key) (\(MessageText.list(selection.names))) is empty; ignored for this row")
            return nil
        }
        return text
    }

    /// The incident's rows, as a rejection of it would show them; set by the importer.
    var origin: SourceRecord?

    mutating func map(_ records: [CSVTable.Record]) -> ImportedIncident? {
        var timed = [(time: Timestamp, record: CSVTable.Record)]()
        timed.reserveCapacity(records.count)
        var latest: Timestamp?
        var outOfOrderLine: Int?
        for record in records {
            line = record.line
            let text = columns.time.value(in: record)
            guard !text.isEmpty else {
                warn(.missingField, "\(mapping.columns.time.key) (\(MessageText.list(mapping.columns.time.names))) is empty; row skipped (no time is invented)")
                continue
            }
            guard let time = mapping.time.parse(text) else {
                warn(.badTimestamp, "\(MessageText.quoted(text)) is not a time in the format \(mapping.time.pattern); row skipped (no time is invented)")
                continue
            }
            if let latest, time < latest, outOfOrderLine == nil { outOfOrderLine = record.line }
            latest = max(latest ?? time, time)
            timed.append((time, record))
        }
        if let outOfOrderLine {
            line = outOfOrderLine
            warn(.outOfOrder, "the incident's rows are not in time order in the file (this is the first out of place); imported in time order")
        }
        guard !timed.isEmpty else {
            warn(.missingField, row: false, "no row with a readable time; incident skipped")
            return nil
        }
        if outOfOrderLine != nil {
            timed = timed.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        }
        readSourceClaims(timed)
        var previousTime: Timestamp?
        var sameTimeCount = 0
        for (index, row) in timed.enumerated() {
            line = row.record.line
            time = row.time
            sameTimeCount = row.time == previousTime ? sameTimeCount + 1 : 1
            previousTime = row.time
            rowKey = row.time.rfc3339 + (sameTimeCount > 1 ? "#\(sameTimeCount)" : "")
            if index == 0 {
                guard declare(row.record) else { return nil }
            }
            apply(row.record, first: index == 0)
        }
        applySourceResolution()
        return ImportedIncident(sourceID: id, stream: stream, events: events, origin: origin)
    }

    /// Records incident.declared from the first row; false (with a warning) when it cannot be.
    private mutating func declare(_ record: CSVTable.Record) -> Bool {
        let impact = columns.severity.value(in: record)
        guard let severity = mapping.severities[impact] else {
            if impact.isEmpty {
                warn(.missingField, "\(mapping.columns.severity.key) is empty in the first row, so there is no severity to declare; incident skipped")
            } else {
                warn(.unknownValue, "severity \(MessageText.quoted(impact)) is not in the mapping's severities; incident skipped")
            }
            return false
        }
        self.severity = severity
        var title = columns.title.render(record).trimmingCharacters(in: .whitespaces)
        if title.isEmpty {
            warn(.missingField, "the title template gives an empty title; the incident id is used")
            title = id
        }
        title = clip(title, maxLength: 300, what: "the title")
        // The source's opened time is the declaration's; a resolution before it keeps the end and marks the start unknown.
        var declaredAt = sourceOpened ?? time
        var unknownTimes: UnknownTimes?
        if declaredAt > time {
            warn(.openedAfterActivity, "the source's opened time \(declaredAt.rfc3339) is after the incident's first row (\(time.rfc3339)); declared at the first row, its time marked unknown")
            declaredAt = time
            unknownTimes = .start
        }
        if let sourceResolved, sourceResolved < declaredAt {
            warn(.resolutionBeforeCreation, "the source's resolved time \(sourceResolved.rfc3339) is before the incident was opened (\(declaredAt.rfc3339)); the resolution is kept and the declaration's time marked unknown")
            unknownTimes = .start
        }
        var services = [String]()
        if let column = columns.service, let selection = mapping.columns.service, let name = value(column, selection, in: record) {
            service = clip(name, maxLength: 1000, what: "the service")
            services = [service!]
        }
        add(.declared(IncidentDeclared(title: title, severity: severity, services: services, unknownTimes: unknownTimes)), role: "declared", at: declaredAt)
        return true
    }

    private mutating func apply(_ record: CSVTable.Record, first: Bool) {
        let statusText = value(columns.status, mapping.columns.status, in: record)
        var meaning: EventLogMapping.StatusMeaning?
        if let statusText {
            meaning = mapping.statuses[statusText]
            if meaning == nil { warn(.unknownValue, "status \(MessageText.quoted(statusText)) is not in the mapping's statuses; the row's status is ignored") }
        }
        let rowAssignee = columns.assignee.flatMap { column in column.isEmpty(in: record) ? nil : column.value(in: record) }

        // Work going on: reopen if needed, acknowledge, change the working status.
        if case .open(let working, let acknowledges)? = meaning, let statusText {
            if resolved || closed {
                let reason = clip("Status '\(statusText)' after '\(lastEnding ?? "")' in \(mapping.naming.source)", maxLength: 2000, what: "the reopen reason")
                add(.reopened(IncidentReopened(reason: reason)), role: "reopened")
                warn(.reopened, "status \(MessageText.quoted(statusText)) after \(MessageText.quoted(lastEnding ?? "")): incident.reopened recorded")
                resolved = false
                closed = false
                status = nil
            }
            if acknowledges, !acknowledged {
                let by = clip(rowAssignee ?? assignee ?? "\(mapping.naming.source) (no assignee)", maxLength: 1000, what: "the assignee")
                add(.acknowledged(IncidentAcknowledged(by: by)), role: "acknowledged")
                acknowledged = true
            }
            if let working, working != status {
                add(.statusChanged(IncidentStatusChanged(status: working, note: clip("Status '\(statusText)'", maxLength: 2000, what: "the status"))), role: "status")
                status = working
            }
        }

        if !first {
            applySeverity(record)
            applyService(record)
        }
        applyLevel(record, first: first)
        if let rowAssignee, rowAssignee != assignee {
            assignee = rowAssignee
            add(.responderAssigned(ResponderAssigned(person: clip(rowAssignee, maxLength: 1000, what: "the assignee"), role: mapping.assigneeRole)), role: "assigned")
        } else if rowAssignee == nil, let selection = mapping.columns.assignee {
            warn(.missingField, "\(selection.key) (\(MessageText.list(selection.names))) is empty; ignored for this row")
        }

        // The end of the work, last.
        guard let statusText else { return }
        switch meaning {
        case .resolved?:
            if closed || resolved {
                warn(.repeatedStatus, "status \(MessageText.quoted(statusText)) while the incident is already \(closed ? "closed" : "resolved") (\(MessageText.quoted(lastEnding ?? ""))); skipped")
                return
            }
            let summary = "Status '\(statusText)' in \(mapping.naming.source)" + (level.map { " at support level \($0.source)" } ?? "")
            addResolution(summary)
            resolved = true
            lastEnding = statusText
        case .closed?:
            if closed {
                warn(.repeatedStatus, "status \(MessageText.quoted(statusText)) while the incident is already closed (\(MessageText.quoted(lastEnding ?? ""))); skipped")
                return
            }
            if !resolved, lastResolution == nil, let sourceResolved {
                // The source says when it was resolved: that is the resolution, before the closure.
                addResolution("Resolved in \(mapping.naming.source) (its resolved time), closed with status '\(statusText)'", at: sourceResolved)
                resolved = true
            } else if !resolved {
                warn(.closedWithoutResolution, "status \(MessageText.quoted(statusText)) closes the incident, which was not resolved first; closed without a resolution time")
            }
            if let open = openEscalation {
                add(.escalationClosed(EscalationClosed(escalationId: open.id, resolution: "The incident was closed")), role: "escalation/\(open.id)/closed")
                openEscalation = nil
            }
            add(.closed(IncidentClosed(note: clip("Status '\(statusText)' in \(mapping.naming.source)", maxLength: 2000, what: "the closing note"))), role: "closed")
            closed = true
            lastEnding = statusText
        default:
            break
        }
    }

    private mutating func applySeverity(_ record: CSVTable.Record) {
        guard let text = value(columns.severity, mapping.columns.severity, in: record) else { return }
        guard let new = mapping.severities[text] else {
            warn(.unknownValue, "severity \(MessageText.quoted(text)) is not in the mapping's severities; the severity stays \(severity.rawValue)")
            return
        }
        guard new != severity else { return }
        guard !closed else {
            warn(.changedAfterClosure, "severity \(MessageText.quoted(text)) on a closed incident; skipped (the rules allow no change until it is reopened)")
            return
        }
        add(.severityChanged(IncidentSeverityChanged(severity: new, reason: clip("'\(text)' in \(mapping.naming.source)", maxLength: 2000, what: "the reason"))), role: "severity")
        severity = new
    }

    private mutating func applyService(_ record: CSVTable.Record) {
        guard let column = columns.service, let selection = mapping.columns.service, let text = value(column, selection, in: record) else { return }
        let name = clip(text, maxLength: 1000, what: "the service")
        guard name != service else { return }
        guard !closed else {
            warn(.changedAfterClosure, "service \(MessageText.quoted(text)) on a closed incident; skipped (the rules allow no change until it is reopened)")
            return
        }
        add(.scopeChanged(IncidentScopeChanged(services: [name])), role: "scope")
        service = name
    }

    /// A move up the ladder raises an escalation (closing the one open, which it supersedes); a move
    /// down lowers the open one, or closes it when it reaches the bottom of the mapped levels.
    private mutating func applyLevel(_ record: CSVTable.Record, first: Bool) {
        guard let column = columns.level, let selection = mapping.columns.level, let text = value(column, selection, in: record) else { return }
        guard let ladder = mapping.levels[text] else {
            warn(.unknownValue, "support level \(MessageText.quoted(text)) is not in the mapping's levels; the level stays \(level?.source ?? "unknown")")
            return
        }
        defer { level = (text, ladder) }
        guard !first, let current = level else { return }
        if ladder > current.ladder {
            let escalationID = clip("\(text)@\(rowKey)", maxLength: 200, what: "the escalation id")
            if let open = openEscalation {
                add(.escalationClosed(EscalationClosed(escalationId: open.id, resolution: "Escalated further, to \(text) (\(escalationID))")),
                    role: "escalation/\(open.id)/closed")
            }
            add(.escalationRaised(EscalationRaised(
                escalationId: escalationID, fromLevel: current.ladder, toLevel: ladder, reason: mapping.escalationReason,
                note: clip("Support level \(current.source) → \(text) in \(mapping.naming.source)", maxLength: 4000, what: "the escalation note"))),
                role: "escalation/\(escalationID)/raised")
            openEscalation = (escalationID, ladder)
        } else if ladder < current.ladder, let open = openEscalation {
            if ladder == mapping.levels.values.min() {
                add(.escalationClosed(EscalationClosed(escalationId: open.id, resolution: "Back to support level \(text)")), role: "escalation/\(open.id)/closed")
                openEscalation = nil
            } else if ladder < open.level {
                add(.escalationDeescalated(EscalationDeescalated(
                    escalationId: open.id, toLevel: ladder, reason: "Support level \(current.source) → \(text) in \(mapping.naming.source)")),
                    role: "escalation/\(open.id)/deescalated")
                openEscalation = (open.id, ladder)
            }
        }
    }
}
