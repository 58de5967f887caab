public import LedgerModel

/// The rules of a good public status update that a program can judge (docs/playbook.md).
public enum UpdateChecks {
    /// The rules `update` breaks.
    public static func findings(for update: StatusUpdatePublished, occurredAt: Timestamp, facts: IncidentFacts, policy: PlaybookPolicy) -> [PlaybookFinding] {
        []
    }
}

extension PlaybookRule {
    /// The rules of status updates.
    public static let updateRules: [PlaybookRule] = []
}
