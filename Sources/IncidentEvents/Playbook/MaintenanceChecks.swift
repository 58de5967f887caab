public import LedgerModel

/// Planned maintenance against the policy's window: its day and hours, its length, the notice given.
public enum MaintenanceChecks {
    /// The rules a scheduled maintenance declared at `occurredAt` breaks.
    public static func findings(for declared: IncidentDeclared, occurredAt: Timestamp, policy: PlaybookPolicy.Maintenance) -> [PlaybookFinding] {
        []
    }
}

extension PlaybookRule {
    /// The rules of planned maintenance.
    public static let maintenanceRules: [PlaybookRule] = []
}
