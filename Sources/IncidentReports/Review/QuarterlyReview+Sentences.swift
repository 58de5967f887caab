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

extension QuarterlyReview.PlaybookCounts {
    /// `14 playbook checks broken in 5 incidents (9 the period before); docs/playbook-rules.md lists the rules.`
    public var sentence: String {
        guard current > 0 || previous > 0 else { return "No playbook check was broken, this period or the one before (docs/playbook-rules.md lists the rules)." }
        let checks = "\(current) playbook check\(current == 1 ? "" : "s") broken"
        let incidents = current == 0 ? "" : " in \(incidentsWithFindings) incident\(incidentsWithFindings == 1 ? "" : "s")"
        return "\(checks)\(incidents) (\(previous) the period before); docs/playbook-rules.md lists the rules."
    }
}
