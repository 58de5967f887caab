import Foundation
import IncidentEvents
import LedgerModel

extension IncidentSummary {
    /// The summary as readable lines, for `show` and `replay`.
    public var text: String {
        var lines = [String]()
        func add(_ label: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            lines.append(label.padding(toLength: 22, withPad: " ", startingAt: 0) + value)
        }
        func time(_ value: Timestamp?) -> String? { value?.rfc3339 }
        add("incident", incident)
        add("title", title)
        add("kind", kind?.rawValue)
        add("severity", severity?.rawValue)
        add("phase", phase.rawValue)
        add("services", services.joined(separator: ", "))
        add("regions", regions.joined(separator: ", "))
        add("customer segments", customerSegments.joined(separator: ", "))
        add("customers affected", customersAffected.map(String.init))
        add("planned window", plannedStart.flatMap { start in plannedEnd.map { "\(start.rfc3339) – \($0.rfc3339)" } })
        add("impact started", time(impactStartedAt))
        add("detected", time(detectedAt))
        add("declared", time(declaredAt))
        add("acknowledged", time(acknowledgedAt))
        add("first public update", time(firstPublicUpdateAt))
        add("first escalation", time(firstEscalatedAt))
        add("mitigated", time(mitigatedAt))
        add("resolved", time(resolvedAt))
        add("closed", time(closedAt))
        if reopenCount > 0 { add("reopened", "\(reopenCount) time\(reopenCount == 1 ? "" : "s")") }
        add("responders", responders.map { "\($0.person) (\($0.role.rawValue))" }.joined(separator: ", "))
        if escalationCount > 0 {
            add("escalations", "\(escalationCount), highest \(highestEscalationLevel?.rawValue ?? "—"), \(executiveEscalationCount) executive")
        }
        add("open escalations", openEscalations.map { "\($0.id) at \($0.level.rawValue) (\($0.reason.rawValue))" }.joined(separator: ", "))
        if messageCount > 0 { add("customer messages", "\(messageCount) from \(customers.count) customer\(customers.count == 1 ? "" : "s")") }
        add("awaiting reply", awaitingReply.map { "\($0.messageId) from \($0.customer) since \($0.receivedAt.rfc3339)" }.joined(separator: "; "))
        if publicUpdateCount > 0 {
            add("public updates", "\(publicUpdateCount), last \(lastPublicUpdateAt?.rfc3339 ?? "—") (\(lastPublicStatus?.rawValue ?? "—"))")
        }
        add("next update promised", time(nextUpdatePromisedBy))
        add("ETA promised", time(etaAt))
        add("SLA policies", slaPolicies.joined(separator: ", "))
        add("surveys", surveys.map { "\($0.surveyId): \($0.score.map(String.init) ?? ($0.expired ? "expired" : "waiting")) (\($0.scale.rawValue))" }.joined(separator: ", "))
        if postmortem != .none { add("postmortem", postmortem.rawValue) }
        add("root cause", rootCause)
        add("open action items", openActionItems.map { "\($0.id) (\($0.owner), due \($0.dueAt.rfc3339))" }.joined(separator: "; "))
        add("links", links.joined(separator: ", "))
        add("merged into", mergedInto)
        add("events", "\(eventCount)\(correctionCount > 0 ? ", \(correctionCount) correction\(correctionCount == 1 ? "" : "s")" : "")\(retractionCount > 0 ? ", \(retractionCount) retracted" : "")")
        return lines.joined(separator: "\n") + "\n"
    }
}
