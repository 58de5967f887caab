public import IncidentEvents

/// The playbook's policy in words, one line per part: what `incidents policy show` prints.
public enum PolicyText {
    /// The lines describing `policy`; `origin` says where it came from (set when and by whom, or the standard one).
    public static func lines(_ policy: PlaybookPolicy, origin: String) -> [String] {
        let severities = Severity.allCases
        let cadence = severities.compactMap { severity in policy.updates.cadenceMinutes[severity.rawValue].map { "\(severity.rawValue) \(minutes($0))" } }
        let tiers = policy.responses.firstReplyMinutesByTier.sorted { $0.key < $1.key }.map { "\($0.key) \(minutes($0.value))" }
        let postmortems = severities.compactMap { severity in policy.responses.postmortemWithinDays[severity.rawValue].map { "\(severity.rawValue) \($0) d" } }
        let window = policy.maintenance
        return [
            "Policy: \(origin)",
            "Checks: " + (policy.strict ? "refuse an update or declaration that breaks one" : "warn (a recording command's --strict refuses)"),
            "Next update promised within: " + cadence.joined(separator: ", "),
            "Character limits: social media \(policy.updates.socialMediaCharacters), SMS \(policy.updates.smsCharacters) (always refused over)",
            "Flagged words: " + (policy.updates.flaggedWords.isEmpty ? "none" : policy.updates.flaggedWords.joined(separator: ", ")),
            "First reply within: \(minutes(policy.responses.firstReplyMinutes))" + (tiers.isEmpty ? "" : " (" + tiers.joined(separator: ", ") + ")"),
            "Escalations acknowledged within: \(minutes(policy.responses.escalationAcknowledgeMinutes))",
            "Survey sent within: \(policy.responses.surveyWithinHours) h of the resolution",
            "Postmortem started within: " + (postmortems.isEmpty ? "not required" : postmortems.joined(separator: ", ") + " of the resolution"),
            "Resolution announced publicly within: \(minutes(policy.responses.resolutionAnnouncedWithinMinutes)) of the resolution",
            "Due soon means within: \(minutes(policy.responses.dueWindowMinutes))",
            "Planned maintenance: opens on \(window.days.joined(separator: ", ")) between \(window.opens) and \(window.closes) \(window.timeZone), at most "
                + "\(minutes(window.maximumMinutes)), announced \(window.noticeHours) h ahead; outside it: "
                + (window.alwaysRefuse ? "refused" : "a warning") + ", and counted as an unplanned outage",
        ]
    }

    static func minutes(_ value: Int) -> String {
        value % 60 == 0 && value >= 60 ? "\(value / 60) h" : "\(value) min"
    }
}
