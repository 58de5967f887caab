public import IncidentEvents
public import LedgerModel

/// One line of plain language for an event, as timelines, replays and reports print it.
public enum EventDescription {
    /// Which part of the response an event belongs to, for filtering timelines.
    public enum Category: String, CaseIterable, Codable, Sendable {
        /// Declaration, status, severity, scope, responders and hand-offs, resolution.
        case status
        /// Messages from customers and replies to them.
        case customer
        /// Public status updates.
        case `public`
        /// Internal notes, stakeholder notices, SLA policies, postmortem, surveys.
        case `internal`
        /// Escalations and executive sponsorship.
        case escalation
        /// Corrections and retractions of earlier events.
        case correction
    }

    public static func category(of event: IncidentEvent?) -> Category {
        switch event {
        case nil: .internal
        case .declared?, .acknowledged?, .statusChanged?, .severityChanged?, .scopeChanged?, .responderAssigned?, .responderReleased?,
            .resolved?, .reopened?, .closed?, .linked?, .merged?, .handedOff?:
            .status
        case .messageReceived?, .replySent?: .customer
        case .statusUpdatePublished?: .public
        case .escalationRaised?, .escalationAcknowledged?, .escalationDeescalated?, .escalationClosed?, .sponsorshipEnrolled?, .sponsorshipEnded?:
            .escalation
        case .corrected?, .retracted?: .correction
        case .noteAdded?, .stakeholdersNotified?, .slaPolicyAttached?, .surveySent?, .surveyAnswered?, .surveyExpired?, .postmortemStarted?,
            .rootCauseRecorded?, .contributingFactorRecorded?, .actionItemOpened?, .actionItemCompleted?, .postmortemPublished?, .findingRecorded?,
            .accessGranted?, .accessRevoked?, .policySet?, .templateDefined?, .templateRevised?, .templateRetired?:
            .internal
        }
    }

    /// A sentence for the event; `positions` maps event ids to positions, to name corrected events.
    public static func text(_ event: IncidentEvent?, type: String, positions: [String: UInt64] = [:]) -> String {
        sentence(event, type: type, positions: positions).plain
    }

    /// The same sentence with the values from the event (titles, notes, names) kept apart from the
    /// words around them, so that HTML can isolate their direction (``MixedText``).
    public static func sentence(_ event: IncidentEvent?, type: String, positions: [String: UInt64] = [:]) -> MixedText {
        func list(_ items: [String]) -> MixedText {
            MixedText(items.enumerated().flatMap { index, item in index == 0 ? [MixedText.Part.value(item)] : [.words(", "), .value(item)] })
        }
        func target(_ id: String) -> MixedText { positions[id.lowercased()].map { "#\($0)" } ?? .value(id) }
        func optional(_ value: String?, _ make: (String) -> MixedText) -> MixedText { value.map(make) ?? "" }
        switch event {
        case nil: return "\(type) (not in this build's catalog)"
        case .declared(let e)?:
            var text: MixedText = "Declared \(e.severity.rawValue) \(e.kind == .scheduledMaintenance ? "scheduled maintenance" : "incident"): \(e.title)"
            if !e.services.isEmpty { text += " — services \(list(e.services))" }
            if !e.regions.isEmpty { text += ", regions \(list(e.regions))" }
            if let start = e.impactStartedAt { text += "; impact since \(start.rfc3339)" }
            if let detected = e.detectedAt { text += "; detected \(detected.rfc3339)\(e.detectedBy.map { " by \($0.rawValue)" } ?? "")" }
            if let start = e.plannedStart, let end = e.plannedEnd { text += "; window \(start.rfc3339) – \(end.rfc3339)" }
            return text
        case .acknowledged(let e)?: return "Acknowledged by \(e.by)"
        case .statusChanged(let e)?: return "Status → \(e.status.rawValue)\(optional(e.note) { ": \($0)" })"
        case .severityChanged(let e)?: return "Severity → \(e.severity.rawValue): \(e.reason)"
        case .scopeChanged(let e)?:
            var parts = [String]()
            if !e.services.isEmpty { parts.append("services \(list(e.services))") }
            if !e.regions.isEmpty { parts.append("regions \(list(e.regions))") }
            if !e.customerSegments.isEmpty { parts.append("segments \(list(e.customerSegments))") }
            if let affected = e.customersAffected { parts.append("\(affected) customers affected") }
            return "Scope → \(parts.joined(separator: "; "))\(optional(e.note) { " (\($0))" })"
        case .responderAssigned(let e)?: return "\(e.person) took the role \(e.role.rawValue)"
        case .responderReleased(let e)?: return "\(e.person) left the role \(e.role.rawValue)"
        case .resolved(let e)?: return "Resolved: \(e.summary)"
        case .reopened(let e)?: return "Reopened: \(e.reason)"
        case .closed(let e)?: return "Closed\(optional(e.note) { ": \($0)" })"
        case .linked(let e)?: return "Linked to \(e.otherIncident) (\(e.relation.rawValue))"
        case .merged(let e)?: return "Merged into \(e.into)"
        case .handedOff(let e)?:
            return "Handed off from \(e.from)\(optional(e.fromShift) { " (\($0))" }) to \(e.to)\(optional(e.toShift) { " (\($0))" }): \(e.summary)"
        case .messageReceived(let e)?:
            return "Customer \(e.customer)\(optional(e.tier) { " (\($0))" }) wrote via \(e.channel.rawValue) [\(e.messageId)]\(optional(e.subject) { ": \($0)" })\(e.threatensToLeave == true ? " — threatens to leave" : "")"
        case .replySent(let e)?: return "Replied to \(e.customer) via \(e.channel.rawValue) [\(e.inReplyTo)]"
        case .statusUpdatePublished(let e)?:
            var text: MixedText = "Public update (\(e.status.rawValue), \(e.audience.rawValue), \(list(e.channels.map(\.rawValue)))): \(e.text)"
            if let next = e.nextUpdateBy { text += " — next update by \(next.rfc3339)" }
            if let eta = e.etaAt { text += " — ETA \(eta.rfc3339)" }
            return text
        case .noteAdded(let e)?: return "Note: \(e.text)"
        case .stakeholdersNotified(let e)?: return "Told \(list(e.groups.map(\.rawValue)))\(e.people.isEmpty ? "" : " (\(list(e.people)))")\(optional(e.note) { ": \($0)" })"
        case .escalationRaised(let e)?:
            return "Escalated \(e.fromLevel.rawValue) → \(e.toLevel.rawValue) (\(e.reason.rawValue)\(optional(e.customer) { ", \($0)" })) [\(e.escalationId)]"
        case .escalationAcknowledged(let e)?: return "Escalation \(e.escalationId) taken on by \(e.by)"
        case .escalationDeescalated(let e)?: return "Escalation \(e.escalationId) back to \(e.toLevel.rawValue): \(e.reason)"
        case .escalationClosed(let e)?: return "Escalation \(e.escalationId) closed: \(e.resolution)"
        case .sponsorshipEnrolled(let e)?: return "\(e.customer) enrolled in executive sponsorship with \(e.sponsor)"
        case .sponsorshipEnded(let e)?: return "\(e.customer) left executive sponsorship\(optional(e.reason) { ": \($0)" })"
        case .slaPolicyAttached(let e)?: return "SLA policy \(e.name) (\(e.clock.rawValue))\(optional(e.customer) { " for \($0)" }) attached"
        case .surveySent(let e)?: return "Survey \(e.surveyId) (\(e.scale.rawValue)) sent to \(e.customer) via \(e.channel.rawValue)"
        case .surveyAnswered(let e)?: return "Survey \(e.surveyId) answered: \(e.score)\(optional(e.comment) { " — \($0)" })"
        case .surveyExpired(let e)?: return "Survey \(e.surveyId) expired unanswered"
        case .postmortemStarted(let e)?: return "Postmortem started by \(e.owner)\(e.dueAt.map { ", due \($0.rfc3339)" } ?? "")"
        case .rootCauseRecorded(let e)?: return "Root cause (\(e.category.rawValue)): \(e.summary)"
        case .contributingFactorRecorded(let e)?: return "Contributing factor: \(e.summary)"
        case .actionItemOpened(let e)?: return "Action item \(e.actionItemId) for \(e.owner), due \(e.dueAt.rfc3339): \(e.title)"
        case .actionItemCompleted(let e)?: return "Action item \(e.actionItemId) done\(optional(e.note) { ": \($0)" })"
        case .postmortemPublished(let e)?: return "Postmortem published\(optional(e.documentUrl) { ": \($0)" })"
        case .findingRecorded(let e)?:
            return "Finding (\(e.kind.rawValue))\(optional(e.author) { " by \($0)" }): \(e.text)"
        case .corrected(let e)?:
            let fields = e.fields.keys.sorted().map { "\($0) = \(e.fields[$0]!.canonicalText)" }.joined(separator: ", ")
            return "Correction of \(target(e.target)): \(fields) — \(e.reason)"
        case .retracted(let e)?: return "Retraction of \(target(e.target)): \(e.reason)"
        case .accessGranted(let e)?:
            return "Token \(e.tokenId) issued to \(e.holder) as \(e.role.rawValue)\(e.expiresAt.map { ", until \($0.rfc3339)" } ?? "")"
        case .accessRevoked(let e)?: return "Token \(e.tokenId) of \(e.holder) (\(e.role.rawValue)) revoked"
        case .policySet?: return "Playbook policy set"
        case .templateDefined(let e)?: return "Template \(e.content.templateId) defined (\(e.content.kind), \(e.content.language))"
        case .templateRevised(let e)?: return "Template \(e.content.templateId) revised"
        case .templateRetired(let e)?: return "Template \(e.templateId) retired: \(e.reason)"
        }
    }
}
