import IncidentEvents
public import LedgerModel
public import IncidentProjections

/// The facts of every incident the metrics are computed from, kept beside the log and caught up
/// incrementally: a review reads them instead of the log.
public enum IncidentMetricsProjection: DerivedProjection {
    public typealias State = IncidentMetricFacts
    public static let name = "incident-metrics"
    /// 3: the source's unknown times, and the pending promise's due time (judged by each report).
    /// 4: the first public update at the time it was posted (`postedAt`), not the time it shows; scope,
    /// customers affected (nil when not recorded), surveys and action items from ``ResponseFigures``.
    /// 5: the source's SLA verdict.
    /// 6: executive sponsorship (enrolments, departures, threats to leave and executive contact), each survey's customer, the regions.
    public static let version: UInt32 = 6

    /// Every incident; the ledger's own streams (``LedgerStream/access``) are none.
    public static func includes(_ record: RecordView) -> Bool { !LedgerStream.isReserved(record.stream) }

    public static func encode(_ state: IncidentMetricFacts) -> [UInt8] { state.encoded() }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> IncidentMetricFacts { try IncidentMetricFacts(encoded: bytes) }

    public static func derive(stream: String, history: [ProjectedEvent]) -> IncidentMetricFacts {
        var facts = IncidentMetricFacts(incident: stream)
        // No "now" is stored: a promise still outstanding is kept as pending with its due time, and
        // each report judges it against its own time. Only open incidents' gaps would depend on a
        // "now", and the metrics leave those out.
        let figures = ResponseFigures.compute(history: history, asOf: Timestamp(microsecondsSinceEpoch: .min))
        facts.unknownTimes = figures.unknownTimes
        facts.declared = figures.timeToResolveFromDeclaration.start?.at.microsecondsSinceEpoch
        facts.impactStarted = figures.timeToResolveFromImpact.start?.at.microsecondsSinceEpoch
        facts.detected = figures.timeToDetect.stop?.at.microsecondsSinceEpoch
        facts.acknowledged = figures.timeToAcknowledge.stop?.at.microsecondsSinceEpoch
        facts.firstPublicUpdate = figures.timeToFirstPublicUpdateFromDeclaration.stop?.at.microsecondsSinceEpoch
        facts.firstEscalation = figures.timeToEscalate.stop?.at.microsecondsSinceEpoch
        facts.mitigated = figures.timeToMitigateFromDeclaration.stop?.at.microsecondsSinceEpoch
        facts.resolved = figures.timeToResolveFromDeclaration.stop?.at.microsecondsSinceEpoch
        if facts.resolved != nil {
            facts.gaps = figures.updateGaps.map { .init(from: $0.from.microsecondsSinceEpoch, to: $0.to.microsecondsSinceEpoch) }
        }
        facts.promisesMade = figures.updatePromises.made
        facts.promisesKept = figures.updatePromises.kept
        facts.promisesPending = figures.updatePromises.pending
        facts.promisesMissed = figures.updatePromises.missed.count
        facts.pendingPromiseDue = figures.updatePromises.pending > 0 ? figures.updatePromises.outstanding?.microsecondsSinceEpoch : nil
        facts.etaLateBySeconds = figures.eta?.lateBySeconds
        facts.messages = figures.firstReplies.map {
            .init(
                customer: $0.customer, channel: $0.channel, tier: $0.tier, threatensToLeave: $0.threatensToLeave,
                received: $0.figure.start!.at.microsecondsSinceEpoch, firstReply: $0.figure.stop?.at.microsecondsSinceEpoch)
        }

        facts.publicUpdates = figures.publicUpdates
        facts.severity = figures.scope.severity
        facts.services = figures.scope.services
        facts.customerSegments = figures.scope.customerSegments
        facts.regions = figures.scope.regions
        facts.customersAffected = figures.scope.customersAffected?.count
        facts.surveys = figures.surveys.map { .init(scale: $0.scale, score: $0.score, expired: $0.expired, customer: $0.customer) }
        facts.sponsorshipChanges = figures.sponsorshipChanges.map {
            .init(customer: $0.customer, sponsor: $0.sponsor, at: $0.at.microsecondsSinceEpoch, position: Int64($0.position))
        }
        facts.executiveContacts = figures.executiveContacts.map {
            .init(customer: $0.customer, threatened: $0.figure.start!.at.microsecondsSinceEpoch, contacted: $0.figure.stop?.at.microsecondsSinceEpoch)
        }
        facts.actionItems = figures.actionItems.map { .init(due: $0.dueAt.microsecondsSinceEpoch, completed: $0.completedAt?.microsecondsSinceEpoch) }

        let byTime = history.sorted { ($0.recorded.occurredAt, $0.recorded.position) < ($1.recorded.occurredAt, $1.recorded.position) }
        var openSpells = [String: Int]()
        var attached = [SLAPolicyAttached]()
        for projected in byTime {
            let at = projected.recorded.occurredAt.microsecondsSinceEpoch
            switch projected.event {
            case .declared(let declared)?:
                if facts.kind == nil {
                    facts.title = declared.title
                    facts.kind = declared.kind
                    facts.plannedStart = declared.plannedStart?.microsecondsSinceEpoch
                    facts.plannedEnd = declared.plannedEnd?.microsecondsSinceEpoch
                }
            case .resolved(let resolution)?:
                facts.sourceSLA = resolution.sourceSLA
            case .reopened?:
                facts.sourceSLA = nil
            case .statusUpdatePublished(let update)?:
                if update.audience != .internal, update.status == .inProgress, facts.maintenanceStarted == nil { facts.maintenanceStarted = at }
            case .escalationRaised(let raised)?:
                facts.escalations.append(.init(level: raised.toLevel, reason: raised.reason, customer: raised.customer, at: at))
                closeSpell(raised.escalationId, at: at, &facts, &openSpells)
                openSpells[raised.escalationId] = facts.levelSpells.count
                facts.levelSpells.append(.init(level: raised.toLevel, reason: raised.reason, from: at, to: nil))
            case .escalationDeescalated(let down)?:
                if let index = openSpells[down.escalationId] {
                    let reason = facts.levelSpells[index].reason
                    closeSpell(down.escalationId, at: at, &facts, &openSpells)
                    openSpells[down.escalationId] = facts.levelSpells.count
                    facts.levelSpells.append(.init(level: down.toLevel, reason: reason, from: at, to: nil))
                }
            case .escalationClosed(let closed)?:
                closeSpell(closed.escalationId, at: at, &facts, &openSpells)
            case .slaPolicyAttached(let policy)?:
                // A policy attached again (same id and customer) replaces the earlier attachment.
                attached.removeAll { $0.policyId == policy.policyId && $0.customer == policy.customer }
                attached.append(policy)
            case .postmortemPublished?:
                if facts.postmortemPublished == nil { facts.postmortemPublished = at }
            default:
                break
            }
        }
        // Targets are read for the final severity, whatever it was when the policy was attached.
        facts.policies = attached.map { policy in
            let target = policy.targets.first { $0.severity == facts.severity }
            return .init(
                policyId: policy.policyId, name: policy.name, customer: policy.customer, clock: policy.clock, calendar: policy.calendar,
                firstResponseMinutes: target?.firstResponseMinutes, updateCadenceMinutes: target?.updateCadenceMinutes,
                resolutionMinutes: target?.resolutionMinutes)
        }
        // A resolution ends every escalation still open.
        if let resolved = facts.resolved {
            for index in facts.levelSpells.indices where facts.levelSpells[index].to == nil {
                facts.levelSpells[index].to = max(resolved, facts.levelSpells[index].from)
            }
        }
        return facts
    }

    private static func closeSpell(_ id: String, at: Int64, _ facts: inout IncidentMetricFacts, _ open: inout [String: Int]) {
        guard let index = open.removeValue(forKey: id) else { return }
        facts.levelSpells[index].to = max(at, facts.levelSpells[index].from)
    }
}
