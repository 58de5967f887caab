public import IncidentMetrics

extension QuarterlyReview {
    /// The sentence the reports print about ``declaredByFirstUpdate``; nil when there is none.
    public var declaredByFirstUpdateNote: String? {
        guard declaredByFirstUpdate > 0 else { return nil }
        let all = declaredByFirstUpdate == incidents
        return "\(all ? "All \(incidents)" : "\(declaredByFirstUpdate) of \(incidents)") incidents were declared by their first public update (one post): "
            + "for \(all ? "them" : "those") the clock of time to first public update starts at the declaration that update made, so its 0 s does not mean customers were told at once."
    }
}

extension QuarterlyReview.SourceSLAComparison {
    /// `Source SLA verdicts: 12 of 14 agree with the ledger's, 2 disagree; 3 have no ledger verdict (no SLA policy attached).`
    public var sentence: String {
        let compared = agree + disagree
        var text = "Source SLA verdicts: \(verdicts) incident\(verdicts == 1 ? "" : "s") with the source's own verdict"
        text += compared == 0 ? "" : "; \(agree) of \(compared) agree with the ledger's, \(disagree) disagree"
        if notComputed > 0 { text += "; \(notComputed) without a ledger verdict (no SLA policy attached, so nothing to compare)" }
        return text + "."
    }
}

extension QuarterlyReview {
    /// `Quietest hour for customers: Sat 03:00–04:00 (UTC), 0 messages of 412 in the period.`, to choose
    /// the maintenance window by; nil when no message came in the period.
    public var quietestHourOfWeek: String? {
        let total = firstReplyByHourOfWeek.reduce(0) { $0 + $1.messages }
        guard total > 0, let quiet = firstReplyByHourOfWeek.min(by: { ($0.messages, $0.day, $0.hour) < ($1.messages, $1.day, $1.hour) }) else { return nil }
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        func clock(_ hour: Int) -> String { hour < 10 ? "0\(hour):00" : "\(hour):00" }
        return "Quietest hour for customers: \(days[quiet.day]) \(clock(quiet.hour))–\(clock(quiet.hour + 1)) (\(hourOfWeekZone)), "
            + "\(quiet.messages) message\(quiet.messages == 1 ? "" : "s") of \(total) in the period."
    }
}

extension QuarterlyReview.PlaybookCounts {
    /// `14 playbook checks broken in 5 incidents (9 the period before); docs/playbook-rules.md lists the rules.`
    public var sentence: String {
        guard current > 0 || previous > 0 else { return "No playbook check was broken, this period or the one before (docs/playbook-rules.md lists the rules)." }
        let checks = "\(current) playbook check\(current == 1 ? "" : "s") broken"
        let incidents = current == 0 ? "" : " in \(incidentsWithFindings) incident\(incidentsWithFindings == 1 ? "" : "s")"
        return "\(checks)\(incidents) (\(previous) the period before); docs/playbook-rules.md lists the rules."
    }
}
