import IncidentEvents
public import LedgerModel

/// Executive sponsorship in one incident: who was enrolled in (or left) the programme, and for each
/// customer who threatened to leave, how long until an executive was in contact. Defined here once;
/// the postmortem prints it and the metrics (`time_to_executive_contact`, the review's sponsorship
/// section) count it.
extension ResponseFigures {
    /// A customer enrolled in the executive sponsorship programme (`customer.sponsorship_enrolled`,
    /// with its sponsor) or leaving it (`customer.sponsorship_ended`, no sponsor).
    public struct SponsorshipChange: Sendable, Hashable {
        public var customer: String
        /// The executive sponsor; nil when the customer left the programme.
        public var sponsor: String?
        public var at: Timestamp
        public var position: UInt64

        public init(customer: String, sponsor: String?, at: Timestamp, position: UInt64) {
            self.customer = customer
            self.sponsor = sponsor
            self.at = at
            self.position = position
        }
    }

    /// How an executive's contact with a customer is recorded.
    public enum ExecutiveContactKind: String, Sendable, Hashable, CaseIterable {
        /// An `escalation.acknowledged` of an escalation at the executive level naming the customer: an
        /// executive took the customer's case on.
        case escalationAcknowledged = "escalation_acknowledged"
        /// A `customer.sponsorship_enrolled` of the customer: an executive became their sponsor.
        case sponsorshipEnrolled = "sponsorship_enrolled"
    }

    /// One customer's threat to leave and the executive contact that followed.
    ///
    /// The clock starts at the customer's earliest threat in the incident: a `customer.message_received`
    /// with `threatensToLeave`, or an `escalation.raised` with reason `threat_to_cancel` naming the
    /// customer. It stops at the earliest executive contact with that customer at or after the threat
    /// (``ExecutiveContactKind``); the ledger records no call or meeting as such, so these two events,
    /// an executive taking the case on and an executive becoming the sponsor, are what it counts as
    /// contact. None: not recorded (never zero).
    public struct ExecutiveContact: Sendable, Hashable {
        public var customer: String
        /// Start: the threat; stop: the contact, nil when none was recorded.
        public var figure: Figure
        /// How the contact is recorded; nil when none was.
        public var contactKind: ExecutiveContactKind?
    }

    /// Every enrolment in and departure from the programme recorded in the incident, in time order.
    static func sponsorshipChanges(_ byTime: [ProjectedEvent]) -> [SponsorshipChange] {
        byTime.compactMap { event in
            switch event.event {
            case .sponsorshipEnrolled(let enrolled)?:
                SponsorshipChange(customer: enrolled.customer, sponsor: enrolled.sponsor, at: event.recorded.occurredAt, position: event.recorded.position)
            case .sponsorshipEnded(let ended)?:
                SponsorshipChange(customer: ended.customer, sponsor: nil, at: event.recorded.occurredAt, position: event.recorded.position)
            default:
                nil
            }
        }
    }

    /// For each customer who threatened to leave, in the order of their first threat: the time to an executive's contact.
    static func executiveContacts(_ byTime: [ProjectedEvent]) -> [ExecutiveContact] {
        var threats = [(customer: String, moment: Moment)]()
        var contacts = [String: [(moment: Moment, kind: ExecutiveContactKind)]]()
        // Each escalation's customer and level as it stands.
        var escalations = [String: (customer: String?, level: EscalationLevel)]()
        func threat(_ customer: String, _ event: ProjectedEvent) {
            guard !threats.contains(where: { $0.customer == customer }) else { return }
            threats.append((customer, Moment(kind: .threatToLeave, at: event.recorded.occurredAt, position: event.recorded.position)))
        }
        func contact(_ customer: String, _ event: ProjectedEvent, _ kind: ExecutiveContactKind) {
            contacts[customer, default: []].append((Moment(kind: .executiveContact, at: event.recorded.occurredAt, position: event.recorded.position), kind))
        }
        for event in byTime {
            switch event.event {
            case .messageReceived(let message)? where message.threatensToLeave == true:
                threat(message.customer, event)
            case .escalationRaised(let raised)?:
                escalations[raised.escalationId] = (raised.customer, raised.toLevel)
                if raised.reason == .threatToCancel, let customer = raised.customer { threat(customer, event) }
            case .escalationDeescalated(let down)?:
                escalations[down.escalationId]?.level = down.toLevel
            case .escalationAcknowledged(let ack)?:
                if let escalation = escalations[ack.escalationId], escalation.level == .executive, let customer = escalation.customer {
                    contact(customer, event, .escalationAcknowledged)
                }
            case .sponsorshipEnrolled(let enrolled)?:
                contact(enrolled.customer, event, .sponsorshipEnrolled)
            default:
                break
            }
        }
        return threats.map { customer, start in
            // byTime is in time order, so the first contact not before the threat is the earliest.
            let first = contacts[customer]?.first { $0.moment.at >= start.at }
            return ExecutiveContact(customer: customer, figure: Figure(start: start, stop: first?.moment), contactKind: first?.kind)
        }
    }
}
