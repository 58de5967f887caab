import IncidentEvents

extension QuarterlyReview {
    /// The playbook's rules broken in the period's incidents, per rule, against the previous period:
    /// computed from the log by the function recording warns with (``PlaybookChecks/findings(inHistory:policy:)``),
    /// so a count here is the number of warnings recording gave (and the checks of imported history).
    public struct PlaybookCounts: Sendable, Codable, Equatable {
        public struct Rule: Sendable, Codable, Equatable {
            /// The rule's stable name, such as `update-no-next-update`.
            public var rule: String
            public var summary: String
            public var current: Int
            public var previous: Int
        }

        /// Every rule of the playbook, in the order docs/playbook-rules.md lists them, broken or not.
        public var rules: [Rule]
        /// Checks broken in the period and the previous one.
        public var current: Int
        public var previous: Int
        /// The period's incidents with at least one check broken.
        public var incidentsWithFindings: Int

        /// Counts `findings` (by incident) over the incidents of the period and of the previous one.
        static func count(_ findings: [String: [RecordedFinding]], current: [IncidentMetricFacts], previous: [IncidentMetricFacts]) -> PlaybookCounts {
            func tally(_ incidents: [IncidentMetricFacts]) -> [String: Int] {
                var byRule = [String: Int]()
                for incident in incidents {
                    for found in findings[incident.incident] ?? [] { byRule[found.finding.rule.rawValue, default: 0] += 1 }
                }
                return byRule
            }
            let now = tally(current), before = tally(previous)
            var rules = PlaybookRule.all.map { Rule(rule: $0.rawValue, summary: $0.summary, current: now[$0.rawValue] ?? 0, previous: before[$0.rawValue] ?? 0) }
            // A rule this build does not know (recorded by a newer one) is still counted, after the known ones.
            let known = Set(rules.map(\.rule))
            for name in Set(now.keys).union(before.keys).subtracting(known).sorted() {
                rules.append(Rule(rule: name, summary: "a rule this build does not know", current: now[name] ?? 0, previous: before[name] ?? 0))
            }
            return PlaybookCounts(
                rules: rules, current: now.values.reduce(0, +), previous: before.values.reduce(0, +),
                incidentsWithFindings: current.count { !(findings[$0.incident] ?? []).isEmpty })
        }

        /// The rules broken in either period.
        public var brokenRules: [Rule] { rules.filter { $0.current > 0 || $0.previous > 0 } }
    }
}
