import Foundation
import IncidentEvents
import IncidentProjections

/// Every metric the ledger computes. docs/metrics.md gives the same definitions; a test checks that
/// it names every metric with its version.
///
/// Common rules: an incident without an `incident.declared` is in no metric (it is counted as
/// excluded, "not declared"). Every clock reads ``ResponseFigures``' moments, after corrections and
/// retractions. Durations are whole seconds on the chosen clock (calendar time unless a business-
/// hours calendar is chosen). A missing start or stop excludes the observation with its reason, and so
/// does a time the source never recorded (`unknownTimes` of the declaration, set by importers): a
/// back-filled incident is in no clock, one whose start conflicts with its end in none that runs from
/// the start. "Now" (promises not yet due, overdue action items) is the time the report is made.
public enum MetricCatalog {
    public static let all: [MetricDefinition] = [
        // Response times.
        duration("time_to_detect", "Time to detect", "impact started (`impactStartedAt`) → detected (`detectedAt`), both from the declaration. Unplanned incidents only. Excluded when the source never recorded the times (back-filled).", version: 3) { f, c in unplanned(f) { known(f, .any) {
            between(f.impactStarted, "impact start not recorded", f.detected, "detection not recorded", c)
        } } },
        duration("time_to_acknowledge", "Time to acknowledge", "detected (or, when not recorded, declared) → the earliest `incident.acknowledged`. Unplanned incidents only. Excluded when the source never recorded the times (back-filled) or its start conflicts with its end.", version: 3) { f, c in unplanned(f) { known(f, .start) {
            between(f.detected ?? f.declared, "not declared", f.acknowledged, "not acknowledged", c)
        } } },
        duration("time_to_first_public_update", "Time to first public update", "impact started → the earliest public `status_update.published` (audience public or affected customers) by the time it was posted: its `postedAt` when the source says it went out at another time than it shows (a back-dated post), else its `occurredAt`. Unplanned incidents only. Excluded when the source never recorded the times (back-filled).", version: 4) { f, c in unplanned(f) { known(f, .any) {
            between(f.impactStarted, "impact start not recorded", f.firstPublicUpdate, "no public update", c)
        } } },
        duration("time_to_first_public_update_from_declaration", "Time to first public update (from declaration)", "declared → the earliest public status update by the time it was posted, as above. Unplanned incidents only. Excluded when the source never recorded the times (back-filled) or its start conflicts with its end.", version: 4) { f, c in unplanned(f) { known(f, .start) {
            between(f.declared, "not declared", f.firstPublicUpdate, "no public update", c)
        } } },
        duration("time_to_first_reply", "Time to first reply", "each `customer.message_received` → the earliest `customer.reply_sent` whose `inReplyTo` is that message. One observation per message; breaks down by tier and channel.", version: 2) { f, c in
            f.messages.map { message in
                guard let reply = message.firstReply else { return .excluded("unanswered") }
                return .sample(Sample(c.seconds(from: message.received, to: reply), messageDimensions(message)))
            }
        },
        duration("time_to_first_reply_per_customer", "Time to first reply (first message of each customer)", "for each customer who wrote in, their earliest message in the incident → its first reply.", version: 2) { f, c in
            var first = [String: IncidentMetricFacts.Message]()
            for message in f.messages where first[message.customer].map({ message.received < $0.received }) ?? true { first[message.customer] = message }
            return first.keys.sorted().map { customer in
                let message = first[customer]!
                guard let reply = message.firstReply else { return .excluded("unanswered") }
                return .sample(Sample(c.seconds(from: message.received, to: reply), messageDimensions(message)))
            }
        },
        duration("time_to_escalate", "Time to escalate", "declared → the earliest `escalation.raised`. Unplanned incidents only. Excluded when the source never recorded the times (back-filled) or its start conflicts with its end.", version: 3) { f, c in unplanned(f) { known(f, .start) {
            between(f.declared, "not declared", f.firstEscalation, "not escalated", c)
        } } },
        duration("time_at_escalation_level", "Time at each escalation level", "for each escalation, each stretch at one level: from `escalation.raised` (or `escalation.deescalated` to that level) to the next move, `escalation.closed`, or the incident's resolution. Breaks down by level and reason.", version: 2) { f, c in
            f.levelSpells.map { spell in
                guard let to = spell.to else { return .excluded("still open") }
                return .sample(Sample(c.seconds(from: spell.from, to: to), [.level: spell.level.rawValue, .reason: spell.reason.rawValue]))
            }
        },
        duration("time_to_mitigate", "Time to mitigate", "impact started → the earliest `mitigated` status (or, when none, the first resolution). Unplanned incidents only. Excluded when the source never recorded the times (back-filled).", version: 3) { f, c in unplanned(f) { known(f, .any) {
            between(f.impactStarted, "impact start not recorded", f.mitigated, "still open", c)
        } } },
        duration("time_to_mitigate_from_declaration", "Time to mitigate (from declaration)", "declared → mitigated, as above. Unplanned incidents only. Excluded when the source never recorded the times (back-filled) or its start conflicts with its end.", version: 3) { f, c in unplanned(f) { known(f, .start) {
            between(f.declared, "not declared", f.mitigated, "still open", c)
        } } },
        duration("time_to_resolve", "Time to resolve", "impact started → the standing `incident.resolved` (the latest, unless reopened after it). Unplanned incidents only. Excluded when the source never recorded the times (back-filled).", version: 3) { f, c in unplanned(f) { known(f, .any) {
            between(f.impactStarted, "impact start not recorded", f.resolved, "still open", c)
        } } },
        duration("time_to_resolve_from_declaration", "Time to resolve (from declaration)", "declared → the standing resolution. Unplanned incidents only. Excluded when the source never recorded the times (back-filled) or its start conflicts with its end.", version: 3) { f, c in unplanned(f) { known(f, .start) {
            between(f.declared, "not declared", f.resolved, "still open", c)
        } } },
        // Communication.
        count("public_updates", "Public updates", "public status updates per incident (audience public or affected customers), wherever they fall in time.", version: 2) { f, _ in
            [.sample(Sample(Int64(f.publicUpdates)))]
        },
        duration("longest_update_gap", "Longest silence between public updates", "the longest gap after a public update published while the incident was open, to the next public update or the end of that open period (a resolution or closure; a resolution dated before the declaration ends it at once). Resolved, unplanned incidents only. Excluded when the source never recorded the times (back-filled).", version: 3) { f, c in unplanned(f) { known(f, .any) {
            guard f.isResolved else { return [.excluded("still open")] }
            guard !f.gaps.isEmpty else { return [.excluded("no public update while open")] }
            return [.sample(Sample(f.gaps.map { c.seconds(from: $0.from, to: $0.to) }.max()!))]
        } } },
        share("update_promises_kept", "Promised updates on time", "each public update that promised a next update by a time (`nextUpdateBy`): kept when the next public status update or the resolution came by then. A promise nothing has fulfilled yet is missed once the time the report is made (`--as-of`, else the wall clock) is past it, and left out as not yet due before. Updates for an internal audience neither make nor keep a promise.", version: 3) { f, c in
            guard f.promisesMade > 0 else { return [] }
            let overdue = f.pendingPromiseDue.map { $0 < c.asOf } ?? false
            return Array(repeating: .sample(Sample(1)), count: f.promisesKept) + Array(repeating: .sample(Sample(0)), count: f.promisesMissed)
                + Array(repeating: overdue ? .sample(Sample(0)) : .excluded("not yet due"), count: f.promisesPending)
        },
        duration("eta_error", "ETA against resolution", "resolution minus the last ETA given in a public update (`etaAt`): positive when resolved later than promised. Always calendar time. Unplanned incidents only. Excluded when the source never recorded the times (back-filled).", version: 3, usesClock: false) { f, c in unplanned(f) { known(f, .any) {
            guard let late = f.etaLateBySeconds else { return [.excluded(f.isResolved ? "no ETA given" : "still open")] }
            return [.sample(Sample(late))]
        } } },
        // Volume.
        count("customer_messages", "Customer messages", "`customer.message_received` events per incident.", version: 2) { f, _ in
            [.sample(Sample(Int64(f.messages.count)))]
        },
        rate("customer_messages_per_hour", "Customer messages per hour", "customer messages per hour of incident time (impact started, or declared, → resolved), over all incidents of a group: Σ messages × 3600 / Σ seconds. Resolved incidents only. Excluded when the source never recorded the times (back-filled) or its start conflicts with its end.", version: 2) { f, _ in known(f, .start) {
            guard let resolved = f.resolved, let start = f.impactStarted ?? f.declared else { return [.excluded("still open")] }
            return [.sample(Sample(Int64(f.messages.count), weight: max(0, (resolved - start) / 1_000_000)))]
        } },
        count("customers_affected", "Customers affected", "`customersAffected` of the latest scope change that gave it (in the order things happened); otherwise the number of distinct customers who wrote in. Excluded as not recorded when neither gives a number.", version: 3) { f, _ in
            guard let affected = f.customersAffected else { return [.excluded("not recorded")] }
            return [.sample(Sample(affected))]
        },
        tally("escalations", "Escalations", "`escalation.raised` events; breaks down by the level raised to and the reason.") { f, _ in
            f.escalations.map { .sample(Sample(1, [.level: $0.level.rawValue, .reason: $0.reason.rawValue])) }
        },
        tally("executive_escalations", "Executive escalations", "`escalation.raised` to level executive.") { f, _ in
            f.escalations.filter { $0.level == .executive }.map { .sample(Sample(1, [.level: $0.level.rawValue, .reason: $0.reason.rawValue])) }
        },
        duration("time_to_executive_contact", "Time from a threat to leave to an executive's contact", "for each customer who threatened to leave in the incident, their earliest threat (a `customer.message_received` with `threatensToLeave`, or an `escalation.raised` with reason `threat_to_cancel` naming them) → the earliest executive contact with them at or after it: an `escalation.acknowledged` of an escalation standing at the executive level and naming them, or a `customer.sponsorship_enrolled` of them. The ledger records no call as such; these are what counts as contact.") { f, c in
            f.executiveContacts.map { contact in
                guard let contacted = contact.contacted else { return .excluded("no executive contact recorded") }
                return .sample(Sample(c.seconds(from: contact.threatened, to: contacted)))
            }
        },
        // Service levels.
        share("sla_first_response", "SLA first response met", "for each SLA policy with a first-response target for the incident's severity, and each customer message it covers (all, or the policy's customer's): met when the first reply came within the target on the policy's clock. An unanswered message is missed when the incident was resolved after its deadline, else left out.", version: 2) { f, c in
            slaFirstResponse(f, c)
        },
        share("sla_update_cadence", "SLA update cadence met", "for each policy with an update-cadence target: met when the longest gap between public updates while open (on the policy's clock) is within the target; with no public update at all, the whole open time counts as the gap. Resolved, unplanned incidents only. Excluded when the source never recorded the times (back-filled).", version: 3) { f, c in
            unplanned(f) { known(f, .any) { slaCadence(f, c) } }
        },
        share("sla_resolution", "SLA resolution met", "for each policy with a resolution target: met when declared → resolved (on the policy's clock) is within the target. Unplanned incidents only. Excluded when the source never recorded the times (back-filled) or its start conflicts with its end.", version: 3) { f, c in
            unplanned(f) { known(f, .start) { slaResolution(f, c) } }
        },
        // Scheduled maintenance.
        share("maintenance_window_kept", "Maintenance windows kept", "each scheduled maintenance with an announced window (`plannedStart`, `plannedEnd`): kept when the work started (`impactStartedAt`, or when not recorded the first public update with status `in_progress`) inside the window and lasted (to the resolution) no longer than the window; a miss reports the overrun in seconds. Always calendar time. Excluded when the source never recorded the times (back-filled).", version: 3) { f, _ in
            guard f.kind == .scheduledMaintenance else { return [] }
            if f.unknownTimes == .all { return [.excluded(UnknownTimes.all.reason)] }
            guard let plannedStart = f.plannedStart, let plannedEnd = f.plannedEnd else { return [.excluded("window not announced")] }
            guard let start = f.impactStarted ?? f.maintenanceStarted else { return [.excluded("start not recorded")] }
            guard let end = f.resolved else { return [.excluded("still open")] }
            let overrun = max(0, (end - start) - (plannedEnd - plannedStart)) / 1_000_000
            let startedInWindow = plannedStart <= start && start < plannedEnd
            let kept = startedInWindow && overrun == 0
            return [.sample(Sample(kept ? 1 : 0, missedBy: kept ? nil : overrun))]
        },
        // Satisfaction.
        share("survey_response_rate", "Survey response rate", "each `survey.sent`: answered (`survey.answered`) or not.") { f, _ in
            f.surveys.map { .sample(Sample($0.score == nil ? 0 : 1)) }
        },
        share("csat", "CSAT", "each answer on the 1–5 scale: satisfied when 4 or 5.") { f, _ in
            f.surveys.compactMap { survey in survey.scale == .csat ? survey.score.map { .sample(Sample(SurveyScoring.isSatisfied($0) ? 1 : 0)) } : nil }
        },
        average("csat_score", "Average CSAT score", "the mean of answers on the 1–5 scale.", version: 2) { f, _ in
            f.surveys.compactMap { survey in survey.scale == .csat ? survey.score.map { .sample(Sample($0)) } : nil }
        },
        nps("nps", "NPS", "answers on the 0–10 scale: % promoters (9–10) minus % detractors (0–6).") { f, _ in
            f.surveys.compactMap { survey in survey.scale == .nps ? survey.score.map { .sample(Sample($0)) } : nil }
        },
        // Postmortems.
        duration("time_to_postmortem", "Time to postmortem", "the standing resolution → the earliest `postmortem.published`. Excluded when the source never recorded the times (back-filled).", version: 3) { f, c in known(f, .any) {
            guard let resolved = f.resolved else { return [.excluded("still open")] }
            guard let published = f.postmortemPublished else { return [.excluded("no postmortem published")] }
            return [.sample(Sample(c.seconds(from: resolved, to: published)))]
        } },
        tally("action_items_opened", "Action items opened", "`postmortem.action_item_opened` events.") { f, _ in
            f.actionItems.map { _ in .sample(Sample(1)) }
        },
        tally("action_items_completed", "Action items completed", "action items with a `postmortem.action_item_completed`.") { f, _ in
            f.actionItems.filter { $0.completed != nil }.map { _ in .sample(Sample(1)) }
        },
        tally("action_items_overdue", "Action items overdue", "action items not completed whose due time is before the time the report is made (`--as-of`, else the wall clock).", version: 2) { f, c in
            f.actionItems.filter { ResponseFigures.ActionItemOutcome.isOverdue(dueAt: $0.due, completedAt: $0.completed, asOf: c.asOf) }.map { _ in .sample(Sample(1)) }
        },
    ]

    public static func named(_ name: String) -> MetricDefinition? { all.first { $0.name == name } }

    /// The table of definitions in docs/metrics.md, between its `metrics:begin` and `metrics:end` marks.
    public static func markdownTable() -> String {
        var out = "| metric | version | kind | definition |\n|---|---|---|---|\n"
        for metric in all {
            out += "| `\(metric.name)` — \(metric.title) | \(metric.version) | \(metric.kind.rawValue) | \(metric.definition.replacingOccurrences(of: "|", with: "\\|")) |\n"
        }
        return out
    }

    // MARK: Building definitions

    typealias Observe = @Sendable (borrowing IncidentMetricFacts, MetricContext) -> [Observation]

    static func duration(_ name: String, _ title: String, _ definition: String, version: Int = 1, usesClock: Bool = true, _ observe: @escaping Observe) -> MetricDefinition {
        MetricDefinition(name: name, version: version, kind: .duration, title: title, definition: definition, usesClock: usesClock, observe: observe)
    }
    static func count(_ name: String, _ title: String, _ definition: String, version: Int = 1, _ observe: @escaping Observe) -> MetricDefinition { define(.count, name, title, definition, version: version, observe) }
    static func tally(_ name: String, _ title: String, _ definition: String, version: Int = 1, _ observe: @escaping Observe) -> MetricDefinition { define(.tally, name, title, definition, version: version, observe) }
    static func share(_ name: String, _ title: String, _ definition: String, version: Int = 1, _ observe: @escaping Observe) -> MetricDefinition { define(.share, name, title, definition, version: version, observe) }
    static func rate(_ name: String, _ title: String, _ definition: String, version: Int = 1, _ observe: @escaping Observe) -> MetricDefinition { define(.rate, name, title, definition, version: version, observe) }
    static func average(_ name: String, _ title: String, _ definition: String, version: Int = 1, _ observe: @escaping Observe) -> MetricDefinition { define(.average, name, title, definition, version: version, observe) }
    static func nps(_ name: String, _ title: String, _ definition: String, _ observe: @escaping Observe) -> MetricDefinition { define(.nps, name, title, definition, observe) }

    /// A metric whose observations are not durations on the chosen clock.
    static func define(_ kind: MetricKind, _ name: String, _ title: String, _ definition: String, version: Int = 1, _ observe: @escaping Observe) -> MetricDefinition {
        MetricDefinition(name: name, version: version, kind: kind, title: title, definition: definition, usesClock: false, observe: observe)
    }

    /// Response clocks measure unplanned incidents; scheduled maintenance is left out of them, with that reason
    /// (it is measured by `maintenance_window_kept`).
    static func unplanned(_ facts: IncidentMetricFacts, _ observe: () -> [Observation]) -> [Observation] {
        facts.kind == .scheduledMaintenance ? [.excluded("scheduled maintenance")] : observe()
    }

    /// Which of the source's times a clock needs: its start (the declaration or the impact start), or any.
    enum NeededTimes { case start, any }

    /// The observations, unless the source never recorded the times they need: then one exclusion
    /// with the reason (a back-filled incident lacks every time, a conflicting one its start).
    static func known(_ facts: IncidentMetricFacts, _ needs: NeededTimes, _ observe: () -> [Observation]) -> [Observation] {
        guard let unknown = facts.unknownTimes, unknown == .all || needs == .start else { return observe() }
        return [.excluded(unknown.reason)]
    }

    /// One duration from `start` to `stop`, or the reason one is missing.
    static func between(_ start: Int64?, _ noStart: String, _ stop: Int64?, _ noStop: String, _ context: MetricContext) -> [Observation] {
        guard let start else { return [.excluded(noStart)] }
        guard let stop else { return [.excluded(noStop)] }
        return [.sample(Sample(context.seconds(from: start, to: stop)))]
    }

    static func messageDimensions(_ message: IncidentMetricFacts.Message) -> SampleDimensions {
        [.tier: message.tier ?? MetricDimension.none, .channel: message.channel.rawValue]
    }

    // MARK: Service levels

    /// The policy's clock, or why it cannot be used.
    static func clock(of policy: IncidentMetricFacts.Policy, _ context: MetricContext) -> BusinessCalendar? {
        guard policy.clock == .businessHours else { return .alwaysOpen }
        return policy.calendar.flatMap { context.calendars[$0] }
    }

    /// Met (1) or missed (0, by how many seconds) against a target in minutes.
    static func judge(_ seconds: Int64, targetMinutes: Int64, policy: IncidentMetricFacts.Policy, _ extra: SampleDimensions = [:]) -> Observation {
        let over = seconds - targetMinutes * 60
        var dimensions = extra
        dimensions[.policy] = policy.policyId
        return .sample(Sample(over <= 0 ? 1 : 0, missedBy: over <= 0 ? nil : over, dimensions))
    }

    static func missingCalendar(_ policy: IncidentMetricFacts.Policy) -> Observation {
        .excluded("calendar \(policy.calendar ?? "?") not supplied")
    }

    static func slaFirstResponse(_ f: IncidentMetricFacts, _ c: MetricContext) -> [Observation] {
        var out = [Observation]()
        for policy in f.policies {
            guard let target = policy.firstResponseMinutes else { continue }
            let messages = f.messages.filter { policy.customer == nil || $0.customer == policy.customer }
            guard let calendar = clock(of: policy, c) else {
                out += messages.map { _ in missingCalendar(policy) }
                continue
            }
            for message in messages {
                let dimensions = messageDimensions(message)
                if let reply = message.firstReply {
                    out.append(judge(MetricContext.seconds(from: message.received, to: reply, on: calendar), targetMinutes: target, policy: policy, dimensions))
                } else if let resolved = f.resolved {
                    let waited = MetricContext.seconds(from: message.received, to: resolved, on: calendar)
                    out.append(waited > target * 60 ? judge(waited, targetMinutes: target, policy: policy, dimensions) : .excluded("never answered"))
                } else {
                    out.append(.excluded("still open"))
                }
            }
        }
        return out
    }

    static func slaCadence(_ f: IncidentMetricFacts, _ c: MetricContext) -> [Observation] {
        f.policies.compactMap { policy in
            guard let target = policy.updateCadenceMinutes else { return nil }
            guard let calendar = clock(of: policy, c) else { return missingCalendar(policy) }
            guard let resolved = f.resolved, let declared = f.declared else { return .excluded("still open") }
            let longest = f.gaps.isEmpty
                ? MetricContext.seconds(from: declared, to: resolved, on: calendar)
                : f.gaps.map { MetricContext.seconds(from: $0.from, to: $0.to, on: calendar) }.max()!
            return judge(longest, targetMinutes: target, policy: policy)
        }
    }

    static func slaResolution(_ f: IncidentMetricFacts, _ c: MetricContext) -> [Observation] {
        f.policies.compactMap { policy in
            guard let target = policy.resolutionMinutes else { return nil }
            guard let calendar = clock(of: policy, c) else { return missingCalendar(policy) }
            guard let resolved = f.resolved, let declared = f.declared else { return .excluded("still open") }
            return judge(MetricContext.seconds(from: declared, to: resolved, on: calendar), targetMinutes: target, policy: policy)
        }
    }
}
