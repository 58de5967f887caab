import IncidentEvents
import IncidentProjections

/// The stored form of the facts: `StateWriter`'s compact bytes. A review reads every incident's
/// facts, so they are decoded in bulk; JSON took most of a warm review's time.
extension IncidentMetricFacts {
    static let formatVersion: UInt8 = 3

    public func encoded() -> [UInt8] {
        var w = StateWriter()
        w.bytes.append(Self.formatVersion)
        w.string(incident)
        w.optional(title)
        w.optional(kind)
        w.optional(severity)
        w.strings(services)
        w.strings(customerSegments)
        for moment in [declared, impactStarted, detected, acknowledged, firstPublicUpdate, firstEscalation, mitigated, resolved] { w.optional(moment) }
        for number in [publicUpdates, promisesMade, promisesKept, promisesPending, promisesMissed] { w.count(number) }
        w.array(gaps) { w, gap in
            w.int(gap.from)
            w.int(gap.to)
        }
        w.optional(etaLateBySeconds)
        w.optional(pendingPromiseDue)
        w.optional(unknownTimes)
        // Customers and tiers once per incident, in order of first appearance; messages refer to
        // them by index.
        func table(_ names: [String]) -> (names: [String], index: [String: Int]) {
            var index = [String: Int]()
            var table = [String]()
            for name in names where index[name] == nil {
                index[name] = table.count
                table.append(name)
            }
            return (table, index)
        }
        let customers = table(messages.map(\.customer))
        w.strings(customers.names)
        let tiers = table(messages.compactMap(\.tier))
        w.strings(tiers.names)
        w.array(messages) { w, message in
            w.count(customers.index[message.customer]!)
            w.enumeration(message.channel)
            w.count(message.tier.map { tiers.index[$0]! + 1 } ?? 0)
            w.bool(message.threatensToLeave)
            w.int(message.received)
            w.optional(message.firstReply)
        }
        w.optional(customersAffected)
        w.array(escalations) { w, escalation in
            w.enumeration(escalation.level)
            w.enumeration(escalation.reason)
            w.optional(escalation.customer)
            w.int(escalation.at)
        }
        w.array(levelSpells) { w, spell in
            w.enumeration(spell.level)
            w.enumeration(spell.reason)
            w.int(spell.from)
            w.optional(spell.to)
        }
        w.array(policies) { w, policy in
            w.string(policy.policyId)
            w.string(policy.name)
            w.optional(policy.customer)
            w.enumeration(policy.clock)
            w.optional(policy.calendar)
            w.optional(policy.firstResponseMinutes)
            w.optional(policy.updateCadenceMinutes)
            w.optional(policy.resolutionMinutes)
        }
        w.optional(plannedStart)
        w.optional(plannedEnd)
        w.optional(maintenanceStarted)
        w.array(surveys) { w, survey in
            w.enumeration(survey.scale)
            w.optional(survey.score)
            w.bool(survey.expired)
        }
        w.optional(postmortemPublished)
        w.array(actionItems) { w, item in
            w.int(item.due)
            w.optional(item.completed)
        }
        w.optional(sourceSLA)
        return w.bytes
    }

    public init(encoded bytes: UnsafeRawBufferPointer) throws {
        var r = StateReader(bytes)
        guard try r.byte() == Self.formatVersion else { throw StateBytesError() }
        self.init(incident: try r.string())
        title = try r.optionalString()
        kind = try r.optional(IncidentKind.self)
        severity = try r.optional(Severity.self)
        services = try r.strings()
        customerSegments = try r.strings()
        declared = try r.optionalInt()
        impactStarted = try r.optionalInt()
        detected = try r.optionalInt()
        acknowledged = try r.optionalInt()
        firstPublicUpdate = try r.optionalInt()
        firstEscalation = try r.optionalInt()
        mitigated = try r.optionalInt()
        resolved = try r.optionalInt()
        publicUpdates = try r.count()
        promisesMade = try r.count()
        promisesKept = try r.count()
        promisesPending = try r.count()
        promisesMissed = try r.count()
        gaps = try r.array { (r: inout StateReader) throws(StateBytesError) in Gap(from: try r.int(), to: try r.int()) }
        etaLateBySeconds = try r.optionalInt()
        pendingPromiseDue = try r.optionalInt()
        unknownTimes = try r.optional(UnknownTimes.self)
        let customers = try r.strings()
        let tiers = try r.strings()
        messages = try r.array { (r: inout StateReader) throws(StateBytesError) in
            let customer = try r.count()
            let channel = try r.enumeration(MessageChannel.self)
            let tier = try r.count()
            guard customer < customers.count, tier <= tiers.count else { throw StateBytesError() }
            return Message(
                customer: customers[customer], channel: channel, tier: tier == 0 ? nil : tiers[tier - 1], threatensToLeave: try r.bool(),
                received: try r.int(), firstReply: try r.optionalInt())
        }
        customersAffected = try r.optionalInt()
        escalations = try r.array { (r: inout StateReader) throws(StateBytesError) in
            Escalation(level: try r.enumeration(EscalationLevel.self), reason: try r.enumeration(EscalationReason.self), customer: try r.optionalString(), at: try r.int())
        }
        levelSpells = try r.array { (r: inout StateReader) throws(StateBytesError) in
            LevelSpell(level: try r.enumeration(EscalationLevel.self), reason: try r.enumeration(EscalationReason.self), from: try r.int(), to: try r.optionalInt())
        }
        policies = try r.array { (r: inout StateReader) throws(StateBytesError) in
            Policy(
                policyId: try r.string(), name: try r.string(), customer: try r.optionalString(), clock: try r.enumeration(ClockBasis.self),
                calendar: try r.optionalString(), firstResponseMinutes: try r.optionalInt(), updateCadenceMinutes: try r.optionalInt(),
                resolutionMinutes: try r.optionalInt())
        }
        plannedStart = try r.optionalInt()
        plannedEnd = try r.optionalInt()
        maintenanceStarted = try r.optionalInt()
        surveys = try r.array { (r: inout StateReader) throws(StateBytesError) in
            Survey(scale: try r.enumeration(SurveyScale.self), score: try r.optionalInt(), expired: try r.bool())
        }
        postmortemPublished = try r.optionalInt()
        actionItems = try r.array { (r: inout StateReader) throws(StateBytesError) in ActionItem(due: try r.int(), completed: try r.optionalInt()) }
        sourceSLA = try r.optional(SLAVerdict.self)
        guard r.isAtEnd else { throw StateBytesError() }
    }
}
