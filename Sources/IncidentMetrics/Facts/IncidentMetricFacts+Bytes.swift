import IncidentEvents
import IncidentProjections

/// The stored form of the facts: `StateWriter`'s compact bytes. A review reads every incident's
/// facts, so they are decoded in bulk; JSON took most of a warm review's time.
extension IncidentMetricFacts {
    static let formatVersion: UInt8 = 4

    /// The bytes of the facts, field by field, for writing and reading alike.
    static func code<Coder: StateCoder>(_ c: inout Coder, _ f: inout IncidentMetricFacts) throws(Coder.Failure) {
        try c.version(formatVersion)
        try c.string(&f.incident)
        try c.optional(&f.title)
        try c.optional(&f.kind)
        try c.optional(&f.severity)
        try c.strings(&f.services)
        try c.strings(&f.customerSegments)
        try c.optional(&f.declared)
        try c.optional(&f.impactStarted)
        try c.optional(&f.detected)
        try c.optional(&f.acknowledged)
        try c.optional(&f.firstPublicUpdate)
        try c.optional(&f.firstEscalation)
        try c.optional(&f.mitigated)
        try c.optional(&f.resolved)
        try c.count(&f.publicUpdates)
        try c.count(&f.promisesMade)
        try c.count(&f.promisesKept)
        try c.count(&f.promisesPending)
        try c.count(&f.promisesMissed)
        try c.array(&f.gaps, blank: Gap(from: 0, to: 0)) { (c, gap) throws(Coder.Failure) in
            try c.int(&gap.from)
            try c.int(&gap.to)
        }
        try c.optional(&f.etaLateBySeconds)
        try c.optional(&f.pendingPromiseDue)
        try c.optional(&f.unknownTimes)
        // Customers and tiers once per incident, in order of first appearance; messages refer to
        // them by index (a tier by its place plus one, 0 for none).
        var customers = NameTable(f.messages.map(\.customer))
        try c.strings(&customers.names)
        var tiers = NameTable(f.messages.compactMap(\.tier))
        try c.strings(&tiers.names)
        try c.array(&f.messages, blank: Message(customer: "", channel: .email, threatensToLeave: false, received: 0)) {
            (c, message) throws(Coder.Failure) in
            var customer = customers.index[message.customer] ?? 0
            try c.count(&customer)
            try c.enumeration(&message.channel)
            var tier = message.tier.map { tiers.index[$0]! + 1 } ?? 0
            try c.count(&tier)
            try c.check(customer < customers.names.count && tier <= tiers.names.count)
            message.customer = customers.names[customer]
            message.tier = tier == 0 ? nil : tiers.names[tier - 1]
            try c.bool(&message.threatensToLeave)
            try c.int(&message.received)
            try c.optional(&message.firstReply)
        }
        try c.optional(&f.customersAffected)
        try c.array(&f.escalations, blank: Escalation(level: .support, reason: .severity, at: 0)) { (c, escalation) throws(Coder.Failure) in
            try c.enumeration(&escalation.level)
            try c.enumeration(&escalation.reason)
            try c.optional(&escalation.customer)
            try c.int(&escalation.at)
        }
        try c.array(&f.levelSpells, blank: LevelSpell(level: .support, reason: .severity, from: 0)) { (c, spell) throws(Coder.Failure) in
            try c.enumeration(&spell.level)
            try c.enumeration(&spell.reason)
            try c.int(&spell.from)
            try c.optional(&spell.to)
        }
        try c.array(&f.policies, blank: Policy(policyId: "", name: "", clock: .calendar)) { (c, policy) throws(Coder.Failure) in
            try c.string(&policy.policyId)
            try c.string(&policy.name)
            try c.optional(&policy.customer)
            try c.enumeration(&policy.clock)
            try c.optional(&policy.calendar)
            try c.optional(&policy.firstResponseMinutes)
            try c.optional(&policy.updateCadenceMinutes)
            try c.optional(&policy.resolutionMinutes)
        }
        try c.optional(&f.plannedStart)
        try c.optional(&f.plannedEnd)
        try c.optional(&f.maintenanceStarted)
        try c.array(&f.surveys, blank: Survey(scale: .csat, expired: false)) { (c, survey) throws(Coder.Failure) in
            try c.enumeration(&survey.scale)
            try c.optional(&survey.score)
            try c.bool(&survey.expired)
            try c.string(&survey.customer)
        }
        try c.optional(&f.postmortemPublished)
        try c.array(&f.actionItems, blank: ActionItem(due: 0)) { (c, item) throws(Coder.Failure) in
            try c.int(&item.due)
            try c.optional(&item.completed)
        }
        try c.optional(&f.sourceSLA)
        try c.array(&f.sponsorshipChanges, blank: SponsorshipChange(customer: "", sponsor: nil, at: 0, position: 0)) { (c, change) throws(Coder.Failure) in
            try c.string(&change.customer)
            try c.optional(&change.sponsor)
            try c.int(&change.at)
            try c.int(&change.position)
        }
        try c.strings(&f.regions)
        try c.array(&f.executiveContacts, blank: ExecutiveContact(customer: "", threatened: 0)) { (c, contact) throws(Coder.Failure) in
            try c.string(&contact.customer)
            try c.int(&contact.threatened)
            try c.optional(&contact.contacted)
        }
    }

    public func encoded() -> [UInt8] {
        var writer = StateWriter()
        var facts = self
        Self.code(&writer, &facts)
        return writer.bytes
    }

    public init(encoded bytes: UnsafeRawBufferPointer) throws {
        var reader = StateReader(bytes)
        self.init(incident: "")
        try Self.code(&reader, &self)
        guard reader.isAtEnd else { throw StateBytesError() }
    }
}

/// Names in order of first appearance, each with its place; read back, only `names` is filled.
private struct NameTable {
    var names = [String]()
    var index = [String: Int]()

    init(_ all: [String]) {
        for name in all where index[name] == nil {
            index[name] = names.count
            names.append(name)
        }
    }
}
