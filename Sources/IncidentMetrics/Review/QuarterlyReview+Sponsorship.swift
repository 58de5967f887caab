import IncidentEvents
public import IncidentProjections
import LedgerModel

extension QuarterlyReview {
    /// Executive sponsorship in the period: who was in the programme, the incidents that affected
    /// them, how fast an executive answered a threat to leave, and their satisfaction against
    /// everyone else's (docs/metrics.md, "Executive sponsorship").
    ///
    /// A customer *counts as sponsored in an incident* when they were in the programme
    /// (``SponsorshipProgramme``, built from every incident's enrolments and departures) at any time
    /// while it was open: from its declaration to its standing resolution, or the report time.
    public struct Sponsorship: Sendable, Codable {
        public struct Member: Sendable, Codable {
            public var customer: String
            public var sponsor: String
            public var from: String
            /// When the membership ended; nil while it lasts.
            public var to: String?
            /// The incidents of the period that affected the customer during this membership.
            public var incidents: [String]
        }

        /// Every membership that overlaps the period, by customer.
        public var members: [Member]

        /// How many memberships the text, Markdown and HTML forms list; JSON holds them all.
        public static let membersShown = 20

        /// The memberships those forms list: the most affected first (then by customer and time), at most ``membersShown``.
        public var listedMembers: [Member] {
            Array(members.enumerated().sorted { ($1.element.incidents.count, $0.offset) < ($0.element.incidents.count, $1.offset) }.prefix(Self.membersShown).map(\.element))
        }
        /// The incidents of the period in which a sponsored customer wrote in, was named by an escalation or was sent a survey.
        public var incidentsAffected: [String]
        /// `time_to_executive_contact` for the threats of sponsored customers, and of everyone else.
        public var executiveContactSponsored: MetricValue
        public var executiveContactOthers: MetricValue
        /// Satisfaction (response rate, CSAT, average, NPS) of the surveys sent to sponsored customers, and to everyone else.
        public var sponsored: Satisfaction
        public var others: Satisfaction
    }

    /// The sponsorship section for the period's incidents, with the programme read from every incident's facts.
    static func sponsorship(period: CalendarPeriod, inPeriod: [IncidentMetricFacts], all facts: [IncidentMetricFacts], context: MetricContext) -> Sponsorship {
        let programme = SponsorshipProgramme(facts)
        let asOf = Timestamp(microsecondsSinceEpoch: context.asOf)
        func span(_ incident: IncidentMetricFacts) -> (start: Timestamp, end: Timestamp) {
            // The incidents of a period are declared ones.
            SponsorshipProgramme.openSpan(
                declared: Timestamp(microsecondsSinceEpoch: incident.declared ?? context.asOf), resolved: incident.resolved.map(Timestamp.init(microsecondsSinceEpoch:)),
                asOf: asOf)
        }
        func sponsored(_ customer: String, in incident: IncidentMetricFacts) -> Bool {
            let (start, end) = span(incident)
            return programme.sponsor(of: customer, from: start, to: end) != nil
        }
        // Each incident split in two: the facts of its sponsored customers' observations, and everyone else's.
        var sponsoredFacts = [IncidentMetricFacts]()
        var otherFacts = [IncidentMetricFacts]()
        // Each sponsored customer's incidents, with when each was open.
        var affected = [String: [(incident: String, start: Timestamp, end: Timestamp)]]()
        for incident in inPeriod {
            var mine = incident
            var theirs = incident
            mine.surveys = incident.surveys.filter { sponsored($0.customer, in: incident) }
            theirs.surveys = incident.surveys.filter { !sponsored($0.customer, in: incident) }
            mine.executiveContacts = incident.executiveContacts.filter { sponsored($0.customer, in: incident) }
            theirs.executiveContacts = incident.executiveContacts.filter { !sponsored($0.customer, in: incident) }
            sponsoredFacts.append(mine)
            otherFacts.append(theirs)
            let named = Set(incident.messages.map(\.customer)).union(incident.escalations.compactMap(\.customer)).union(incident.surveys.map(\.customer))
            let (start, end) = span(incident)
            for customer in named where sponsored(customer, in: incident) { affected[customer, default: []].append((incident.incident, start, end)) }
        }
        func value(_ name: String, _ facts: [IncidentMetricFacts]) -> MetricValue {
            MetricResult.compute(MetricCatalog.named(name)!, over: facts, filter: IncidentFilter(), context: context).overall
        }
        func satisfaction(_ facts: [IncidentMetricFacts]) -> Satisfaction {
            Satisfaction(
                period: period.name, responseRate: value("survey_response_rate", facts), csat: value("csat", facts), csatScore: value("csat_score", facts),
                nps: value("nps", facts))
        }
        let start = Timestamp(microsecondsSinceEpoch: period.start)
        // The period excludes its end; a membership that begins exactly then is not in it.
        let end = Timestamp(microsecondsSinceEpoch: period.end - 1)
        let members = programme.members(from: start, to: end).map { membership in
            Sponsorship.Member(
                customer: membership.customer, sponsor: membership.sponsor, from: membership.from.rfc3339, to: membership.to?.rfc3339,
                incidents: (affected[membership.customer] ?? []).filter { membership.overlaps($0.start, $0.end) }.map(\.incident).sorted())
        }
        return Sponsorship(
            members: members, incidentsAffected: Set(affected.values.flatMap { $0.map(\.incident) }).sorted(),
            executiveContactSponsored: value("time_to_executive_contact", sponsoredFacts),
            executiveContactOthers: value("time_to_executive_contact", otherFacts),
            sponsored: satisfaction(sponsoredFacts), others: satisfaction(otherFacts))
    }
}

extension SponsorshipProgramme {
    /// The programme made of every incident's enrolments and departures.
    public init(_ facts: [IncidentMetricFacts]) {
        self.init(facts.flatMap { incident in
            incident.sponsorshipChanges.map {
                ResponseFigures.SponsorshipChange(customer: $0.customer, sponsor: $0.sponsor, at: Timestamp(microsecondsSinceEpoch: $0.at), position: UInt64($0.position))
            }
        })
    }
}
