public import Foundation
public import LedgerModel

/// A rule broken by one recorded event: what the postmortem lists and the review counts.
public struct RecordedFinding: Sendable, Hashable, Codable {
    /// The event's position in the ledger, and its id.
    public var position: UInt64
    public var eventID: UUID
    /// When the event happened.
    public var occurredAt: Timestamp
    public var finding: PlaybookFinding

    public init(position: UInt64, eventID: UUID, occurredAt: Timestamp, finding: PlaybookFinding) {
        self.position = position
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.finding = finding
    }
}

extension PlaybookChecks {
    /// The rules each event of one incident's history broke, judged as recording judged it: in stream
    /// order, each against the incident's facts before it (the recorder's fold), under the policy in
    /// force when it was recorded (`policy(position)`). Events retracted since are left out: a
    /// retraction says the event was recorded by mistake.
    ///
    /// Imported and appended events, which recording does not check, are judged the same way.
    public static func findings(inHistory events: [RecordedEvent], policy: (UInt64) -> PlaybookPolicy) -> [RecordedFinding] {
        var facts = IncidentFacts()
        var found = [RecordedFinding]()
        for recorded in events {
            guard let event = try? Catalog.decode(recorded) else { continue }  // as the recorder: a type this build does not know bears on no rule
            for finding in findings(for: event, occurredAt: recorded.occurredAt, facts: facts, policy: policy(recorded.position)) {
                found.append(RecordedFinding(position: recorded.position, eventID: recorded.id, occurredAt: recorded.occurredAt, finding: finding))
            }
            facts.apply(event, id: recorded.id, type: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payload, occurredAt: recorded.occurredAt)
        }
        return found.filter { !facts.retracted.contains($0.eventID) }
    }
}
