// TEMPORARY stand-in for the access use cases being built on branch h-access; removed at its merge.
public import LedgerModel

public enum AccessRole: String, CaseIterable, Sendable, Codable { case responder, reviewer, auditor, admin
    public func allows(_ permission: Permission) -> Bool {
        switch self {
        case .admin: true
        case .responder: [.readIncidents, .recordIncidentEvents].contains(permission)
        case .reviewer: [.readIncidents, .readLog, .recordPostmortemEvents].contains(permission)
        case .auditor: [.readIncidents, .readLog, .audit].contains(permission)
        }
    }
    public func mayRecord(eventType: String) -> Bool {
        switch self {
        case .responder: !eventType.hasPrefix("postmortem.") && !eventType.hasPrefix("access.")
        case .reviewer: eventType.hasPrefix("postmortem.")
        default: false
        }
    }
}
public enum Permission: Sendable { case readIncidents, readLog, recordIncidentEvents, recordPostmortemEvents, audit, manageTokens }
public struct AccessToken: Sendable, Equatable {
    public var id: String
    public var holder: Actor
    public var role: AccessRole
}
public struct IssuedToken: Sendable {
    public var token: AccessToken
    public var secret: String
}
extension LedgerService {
    public func createToken(holder: Actor, role: AccessRole, expiresAt: Timestamp?) async throws -> IssuedToken {
        IssuedToken(token: AccessToken(id: "t", holder: holder, role: role), secret: "stub.\(role.rawValue).\(holder.kind.name).\(holder.id)")
    }
    public func authenticate(secret: String) throws -> AccessToken {
        let parts = secret.split(separator: ".", maxSplits: 3).map(String.init)
        guard parts.count == 4, parts[0] == "stub", let role = AccessRole(rawValue: parts[1]), let kind = Actor.Kind(name: parts[2]) else {
            throw ServiceFailure(.unauthenticated, "no such token")
        }
        return AccessToken(id: "t", holder: Actor(kind: kind, id: parts[3]), role: role)
    }
}
