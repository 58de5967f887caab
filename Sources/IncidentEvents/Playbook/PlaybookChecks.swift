public import LedgerModel

/// The playbook's checks of one event: the one function recording (warnings, or refusals when
/// strict) and the figures (rules broken per quarter, per incident) both use, so they never disagree.
public enum PlaybookChecks {
    /// The rules `event` breaks, given its incident as it stood before it (`facts`) and `policy`.
    public static func findings(for event: IncidentEvent, occurredAt: Timestamp, facts: IncidentFacts, policy: PlaybookPolicy) -> [PlaybookFinding] {
        switch event {
        case .statusUpdatePublished(let update):
            UpdateChecks.findings(for: update, occurredAt: occurredAt, facts: facts, policy: policy)
        case .declared(let declared) where declared.kind == .scheduledMaintenance:
            MaintenanceChecks.findings(for: declared, occurredAt: occurredAt, policy: policy.maintenance)
        default:
            []
        }
    }

    /// Whether `finding` refuses its event: a hard limit always does; a rule that only counts
    /// (``PlaybookRule/warnsOnly``) never does; the rest when recording is strict.
    public static func refuses(_ finding: PlaybookFinding, strict: Bool) -> Bool {
        finding.rule.refusesAlways || (strict && !finding.rule.warnsOnly)
    }
}
