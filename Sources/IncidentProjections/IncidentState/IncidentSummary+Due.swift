import IncidentEvents
public import LedgerModel

/// Something an open incident needs done now or soon, on the wall clock: what the incident list shows
/// beside each open incident (and what `incidents due` will list across them).
public struct DueItem: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The next public update promised is past its time.
        case updateMissed = "update-missed"
        /// The next public update promised falls within the window.
        case updateDue = "update-due"
        /// A customer message has no reply yet.
        case unanswered
        /// An escalation is open and nobody acknowledged it.
        case escalationUnacknowledged = "escalation-unacknowledged"
    }

    public var kind: Kind
    /// When it is or was due (the promised time, the message's arrival, the escalation's raising).
    public var at: Timestamp
    /// Whom or what it is about: the customer, the escalation's level; nil for an update.
    public var subject: String?

    public init(kind: Kind, at: Timestamp, subject: String? = nil) {
        self.kind = kind
        self.at = at
        self.subject = subject
    }
}

extension IncidentSummary {
    /// The default window in which a promised update counts as due: 15 minutes.
    public static let dueWindowMicroseconds: Int64 = 15 * 60 * 1_000_000

    /// What the incident needs done at `now`, most urgent first; nothing once it is resolved.
    public func due(at now: Timestamp, window: Int64 = dueWindowMicroseconds) -> [DueItem] {
        guard isOpen else { return [] }
        var items = [DueItem]()
        if let promised = nextUpdatePromisedBy {
            if promised < now {
                items.append(DueItem(kind: .updateMissed, at: promised))
            } else if promised.microsecondsSinceEpoch - now.microsecondsSinceEpoch <= window {
                items.append(DueItem(kind: .updateDue, at: promised))
            }
        }
        for message in awaitingReply.sorted(by: { $0.receivedAt < $1.receivedAt }) {
            items.append(DueItem(kind: .unanswered, at: message.receivedAt, subject: message.customer))
        }
        for escalation in openEscalations where !escalation.acknowledged {
            items.append(DueItem(kind: .escalationUnacknowledged, at: escalation.raisedAt, subject: escalation.level.rawValue))
        }
        return items
    }
}
