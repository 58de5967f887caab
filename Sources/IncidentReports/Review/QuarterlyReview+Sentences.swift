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
    /// The days of ``messagesByHourOfWeek``, in its order.
    public static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// `Quietest: Sat 03:00–04:00 UTC, 0 messages (of 412).`; nil when no message came in the period.
    public var quietestHourOfWeek: String? {
        let total = messagesByHourOfWeek.reduce(0, +)
        guard total > 0, let fewest = messagesByHourOfWeek.min(), let hour = messagesByHourOfWeek.firstIndex(of: fewest) else { return nil }
        func clock(_ hour: Int) -> String { hour < 10 ? "0\(hour):00" : "\(hour):00" }
        return "Quietest: \(Self.weekdays[hour / 24]) \(clock(hour % 24))–\(clock(hour % 24 + 1)) UTC, \(fewest) message\(fewest == 1 ? "" : "s") (of \(total))."
    }
}
