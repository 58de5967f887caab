import IncidentEvents
import IncidentMetrics
public import IncidentProjections
public import LedgerModel
public import LedgerStore

/// One incident's events in stream order and the ledger's head, from one snapshot.
public struct IncidentHistory: Sendable {
    public var incident: String
    public var events: [RecordedEvent]
    public var head: LedgerHead
}

/// What `show` presents: the incident's state, its events, and a promised update nothing fulfilled.
public struct IncidentDetail: Sendable {
    public var summary: IncidentSummary
    public var events: [RecordedEvent]
    /// The first promise of a next update that nothing has fulfilled by the report's time.
    public var overdueUpdate: Timeline.MissedUpdate?
}

extension LedgerService {
    /// The incidents the query selects, from the incident-state projection.
    public func incidents(matching query: IncidentQuery) throws -> [IncidentSummary] {
        let runner = reader()
        try runner.catchUp(IncidentStateProjection.self)
        return query.apply(to: try runner.states(IncidentStateProjection.self))
    }

    /// One incident's events and the head, read in one snapshot; nil when the ledger holds none of it,
    /// and for the ledger's own streams (``LedgerStream/access``), which are no incident.
    public func history(of incident: String) throws -> IncidentHistory? {
        guard !LedgerStream.isReserved(incident) else { return nil }
        return try ledger.read { reader in
            let events = try reader.events(inStream: incident)
            return events.isEmpty ? nil : IncidentHistory(incident: incident, events: events, head: try reader.head())
        }
    }

    /// The incident's current state, with its events; nil when there is no such incident.
    ///
    /// - Parameter asOf: the report's time, against which an unfulfilled promise is judged.
    public func detail(of incident: String, asOf: Timestamp) throws -> IncidentDetail? {
        let runner = reader()
        try runner.catchUp(IncidentStateProjection.self)
        guard let summary = try runner.state(IncidentStateProjection.self, key: incident) else { return nil }
        let events = try history(of: incident)?.events ?? []
        let overdue = Timeline.build(incident, events: events, asOf: asOf).missedUpdates.first { $0.fulfilledAt == nil }
        return IncidentDetail(summary: summary, events: events, overdueUpdate: overdue)
    }

    /// The incident's timeline, in the order things happened; nil when there is no such incident.
    ///
    /// - Parameter asOf: the report's time; nil: the ledger's last recorded time.
    public func timeline(of incident: String, categories: Set<EventDescription.Category>? = nil, asOf: Timestamp? = nil) throws -> Timeline? {
        guard let history = try history(of: incident) else { return nil }
        return Timeline.build(incident, events: history.events, asOf: asOf ?? history.head.recordedAt, categories: categories)
    }

    /// How a replay answers: the incident as known or as it stood at a time, or nothing of it then.
    public enum ReplayAnswer: Sendable {
        case state(IncidentSummary)
        /// The incident exists, but nothing of it was known (or had happened) by the time asked.
        case nothingYet
        case noSuchIncident
    }

    /// The incident as the ledger knew it at `time` (`asOccurred`: as it stood then, with every
    /// later correction applied).
    public func replay(_ incident: String, at time: Timestamp, asOccurred: Bool) throws -> ReplayAnswer {
        guard let history = try history(of: incident) else { return .noSuchIncident }
        let state = asOccurred
            ? Replay.asOccurred(incident, at: time, events: history.events) : Replay.asKnown(incident, at: time, events: history.events)
        return state.map(ReplayAnswer.state) ?? .nothingYet
    }

    /// The incident event by event, with what each changed; empty when there is no such incident.
    public func replaySteps(_ incident: String) throws -> [Replay.Step] {
        guard let history = try history(of: incident) else { return [] }
        return Replay.steps(incident, events: history.events)
    }

    /// The incident's postmortem report as of `asOf`; nil when there is no such incident.
    public func postmortem(of incident: String, asOf: Timestamp) throws -> PostmortemReport? {
        let runner = reader()
        try runner.catchUp(IncidentStateProjection.self)
        let summary = try runner.state(IncidentStateProjection.self, key: incident)
        guard let history = try history(of: incident) else { return nil }
        // The executive sponsorship programme is the ledger's, not the incident's: it is read from every incident's metric facts.
        let programme = SponsorshipProgramme(try metricFacts().facts)
        let policies = try ledger.read { reader in try policyHistory(in: reader) }
        return PostmortemReport.build(
            incident, events: history.events, summary: summary, programme: programme, head: history.head, asOf: asOf, policy: policies.policy(at:))
    }
}

extension LedgerService {
    /// Calls `body` with every event `query` selects from `position` on, in log order (one
    /// incident's in stream order), at most `limit` of them, read from one snapshot; memory stays flat.
    public func forEachEvent(
        matching query: EventQuery, from position: UInt64 = 1, limit: Int? = nil, _ body: (RecordedEvent) throws -> Void
    ) throws {
        var given = 0
        func visit(_ event: RecordedEvent) throws -> Bool {
            if let limit, given >= limit { return false }
            guard event.position >= position, query.matches(event) else { return true }
            try body(event)
            given += 1
            return true
        }
        try ledger.read { reader in
            if let incident = query.incident {
                try reader.forEachEvent(inStream: incident, visit)
            } else {
                try reader.forEachEvent(from: position, visit)
            }
        }
    }

    /// The ledger's counts, sizes and chain head.
    public func info() throws -> LedgerInfo {
        try ledger.info()
    }
}
