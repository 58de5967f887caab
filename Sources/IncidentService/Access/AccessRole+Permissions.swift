public import IncidentEvents

/// Something a holder of an access token may be allowed to do.
public enum Permission: Sendable, Hashable, CaseIterable {
    /// Incidents: the list, one incident, its timeline, replay and postmortem report; metrics and the review.
    case readIncidents
    /// The event log, with its filters, and the live tail.
    case readLog
    /// Incident, communication and escalation events: every event type but postmortem.* and access.*.
    case recordIncidentEvents
    /// The postmortem.* events.
    case recordPostmortemEvents
    /// Checkpoints and export bundles.
    case audit
    /// Access tokens: create, list, revoke.
    case manageTokens
    /// The outage playbook's policy: set it (anyone who reads incidents reads it).
    case setPolicy
    /// The template library of prepared status updates: add and retire templates (anyone who reads incidents reads it).
    case manageTemplates

    /// The permission needed to record an event of `eventType`; nil for a type nobody records this
    /// way (the access events, and types the catalog does not know).
    public static func recording(_ eventType: String) -> Permission? {
        guard let entry = Catalog.entry(for: eventType), Catalog.entries.contains(where: { $0.type == entry.type }) else { return nil }
        return entry.type.hasPrefix("postmortem.") ? .recordPostmortemEvents : .recordIncidentEvents
    }
}

extension AccessRole {
    /// What each role may do: the one table of permissions (docs/server.md, "Roles").
    public var permissions: Set<Permission> {
        switch self {
        case .responder: [.readIncidents, .recordIncidentEvents, .manageTemplates]
        case .reviewer: [.readIncidents, .readLog, .recordPostmortemEvents]
        case .auditor: [.readIncidents, .readLog, .audit]
        case .admin: [.readIncidents, .readLog, .audit, .manageTokens, .setPolicy, .manageTemplates]
        }
    }

    /// Whether the role grants `permission`.
    public func allows(_ permission: Permission) -> Bool { permissions.contains(permission) }

    /// Whether the role may record an event of `eventType` (never an access event: those are
    /// recorded by creating and revoking tokens).
    public func mayRecord(eventType: String) -> Bool {
        Permission.recording(eventType).map(allows) ?? false
    }
}
