import IncidentEvents

extension QuarterlyReview {
    /// The sources' own SLA verdicts (`sourceSLA` of incident.resolved, set by importers) against the
    /// ledger's: an incident breached in the ledger when it missed any SLA target of a policy
    /// attached to it, met when every target measured was kept; without a policy there is no ledger
    /// verdict to compare.
    public struct SourceSLAComparison: Sendable, Codable, Equatable {
        public struct Disagreement: Sendable, Codable, Equatable {
            public var incident: String
            public var title: String
            public var source: String
            public var ledger: String
        }

        /// Incidents of the period with a source verdict.
        public var verdicts: Int
        public var agree: Int
        public var disagree: Int
        /// With a source verdict, but no SLA target the ledger measured (no policy attached).
        public var notComputed: Int
        /// Every disagreement, by incident.
        public var disagreements: [Disagreement]

        /// `Source SLA verdicts: 12 of 14 agree with the ledger's, 2 disagree; 3 have no ledger verdict (no SLA policy attached).`
        public var sentence: String {
            let compared = agree + disagree
            var text = "Source SLA verdicts: \(verdicts) incident\(verdicts == 1 ? "" : "s") with the source's own verdict"
            text += compared == 0 ? "" : "; \(agree) of \(compared) agree with the ledger's, \(disagree) disagree"
            if notComputed > 0 { text += "; \(notComputed) without a ledger verdict (no SLA policy attached, so nothing to compare)" }
            return text + "."
        }

        /// Compares the verdicts of `incidents`; nil when none has a source verdict.
        static func compare(_ incidents: [IncidentMetricFacts], _ context: MetricContext) -> SourceSLAComparison? {
            let targets = ["sla_first_response", "sla_update_cadence", "sla_resolution"].compactMap(MetricCatalog.named)
            var comparison = SourceSLAComparison(verdicts: 0, agree: 0, disagree: 0, notComputed: 0, disagreements: [])
            for incident in incidents {
                guard let claimed = incident.sourceSLA else { continue }
                comparison.verdicts += 1
                var measured = false
                var missed = false
                for metric in targets {
                    for case .sample(let sample) in metric.observations(incident, context) {
                        measured = true
                        if sample.missedBy != nil { missed = true }
                    }
                }
                guard measured else {
                    comparison.notComputed += 1
                    continue
                }
                let ledger: SLAVerdict = missed ? .breached : .met
                if ledger == claimed {
                    comparison.agree += 1
                } else {
                    comparison.disagree += 1
                    comparison.disagreements.append(
                        Disagreement(incident: incident.incident, title: incident.title ?? "", source: claimed.rawValue, ledger: ledger.rawValue))
                }
            }
            guard comparison.verdicts > 0 else { return nil }
            comparison.disagreements.sort { $0.incident < $1.incident }
            return comparison
        }
    }
}
