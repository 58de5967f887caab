public import LedgerModel

/// Who was in the executive sponsorship programme when, across the whole ledger.
///
/// Enrolments and departures are recorded in incidents' streams, but the programme is the
/// customer's, not the incident's: a customer enrolled during one incident stays in it, through
/// later incidents, until a `customer.sponsorship_ended` (in any incident). The changes are taken in
/// the order they happened (`occurredAt`, ties by ledger position): an enrolment of a customer already
/// in the programme changes its sponsor from then on; a departure of a customer not in it changes nothing.
public struct SponsorshipProgramme: Sendable, Hashable {
    /// One stretch of a customer's membership with one sponsor.
    public struct Membership: Sendable, Hashable {
        public var customer: String
        public var sponsor: String
        public var from: Timestamp
        /// When it ended; nil while the customer is still in the programme.
        public var to: Timestamp?

        /// Whether the membership overlaps `[start, end]` (both included).
        public func overlaps(_ start: Timestamp, _ end: Timestamp) -> Bool { from <= end && (to.map { $0 >= start } ?? true) }
    }

    /// Every membership, by customer and then by time.
    public private(set) var memberships: [Membership] = []

    /// The programme made of every change recorded, in any order.
    public init(_ changes: [ResponseFigures.SponsorshipChange]) {
        var open = [String: Int]()
        for change in changes.sorted(by: { ($0.at, $0.position) < ($1.at, $1.position) }) {
            if let index = open.removeValue(forKey: change.customer) { memberships[index].to = change.at }
            guard let sponsor = change.sponsor else { continue }
            open[change.customer] = memberships.count
            memberships.append(Membership(customer: change.customer, sponsor: sponsor, from: change.at, to: nil))
        }
        memberships.sort { ($0.customer, $0.from) < ($1.customer, $1.from) }
    }

    /// The memberships that overlap `[start, end]`, by customer and time.
    public func members(from start: Timestamp, to end: Timestamp) -> [Membership] {
        memberships.filter { $0.overlaps(start, end) }
    }

    /// The customer's sponsor while an incident was open, or nil when the customer was not in the
    /// programme then: the one rule of who *counts as sponsored in an incident*, for the postmortem and
    /// the review alike. The incident is open from its declaration to its standing resolution, or,
    /// unresolved, to the report time `asOf`.
    public func sponsor(of customer: String, declared: Timestamp, resolved: Timestamp?, asOf: Timestamp) -> String? {
        let (start, end) = Self.openSpan(declared: declared, resolved: resolved, asOf: asOf)
        return sponsor(of: customer, from: start, to: end)
    }

    /// When an incident was open, for the rule of who counts as sponsored in it: its declaration to its
    /// standing resolution, or, unresolved, to `asOf`.
    public static func openSpan(declared: Timestamp, resolved: Timestamp?, asOf: Timestamp) -> (start: Timestamp, end: Timestamp) {
        (declared, max(declared, resolved ?? asOf))
    }

    /// The customer's sponsor at any time in `[start, end]` (the latest such membership's), or nil when
    /// the customer was not in the programme then.
    public func sponsor(of customer: String, from start: Timestamp, to end: Timestamp) -> String? {
        memberships.last { $0.customer == customer && $0.overlaps(start, end) }?.sponsor
    }
}
