import IncidentEvents
import LedgerModel

/// The stored form of an incident's summary: ``StateWriter``'s compact bytes. `list` reads every
/// summary and a rebuild writes every one; JSON took 15% of a rebuild and most of a `list`.
extension IncidentSummary {
    static let formatVersion: UInt8 = 1

    /// The bytes of a summary, field by field, for writing and reading alike.
    static func code<Coder: StateCoder>(_ c: inout Coder, _ s: inout IncidentSummary) throws(Coder.Failure) {
        let zero = Timestamp(microsecondsSinceEpoch: 0)
        try c.version(formatVersion)
        try c.string(&s.incident)
        try c.optional(&s.title)
        try c.optional(&s.kind)
        try c.optional(&s.severity)
        try c.enumeration(&s.phase)
        try c.strings(&s.services)
        try c.strings(&s.regions)
        try c.strings(&s.customerSegments)
        try c.optional(&s.customersAffected)
        try c.optional(&s.plannedStart)
        try c.optional(&s.plannedEnd)
        try c.optional(&s.impactStartedAt)
        try c.optional(&s.detectedAt)
        try c.optional(&s.declaredAt)
        try c.optional(&s.acknowledgedAt)
        try c.optional(&s.firstPublicUpdateAt)
        try c.optional(&s.firstEscalatedAt)
        try c.optional(&s.mitigatedAt)
        try c.optional(&s.resolvedAt)
        try c.optional(&s.closedAt)
        try c.count(&s.reopenCount)
        try c.array(&s.responders, blank: Responder(person: "", role: .incidentCommander)) { (c, responder) throws(Coder.Failure) in
            try c.string(&responder.person)
            try c.enumeration(&responder.role)
        }
        try c.count(&s.escalationCount)
        try c.count(&s.executiveEscalationCount)
        try c.optional(&s.highestEscalationLevel)
        let escalation = OpenEscalation(id: "", level: .support, reason: .severity, customer: nil, raisedAt: zero, acknowledged: false)
        try c.array(&s.openEscalations, blank: escalation) { (c, escalation) throws(Coder.Failure) in
            try c.string(&escalation.id)
            try c.enumeration(&escalation.level)
            try c.enumeration(&escalation.reason)
            try c.optional(&escalation.customer)
            try c.timestamp(&escalation.raisedAt)
            try c.bool(&escalation.acknowledged)
        }
        try c.strings(&s.customers)
        try c.count(&s.messageCount)
        try c.array(&s.awaitingReply, blank: AwaitingReply(messageId: "", customer: "", channel: .email, receivedAt: zero)) {
            (c, message) throws(Coder.Failure) in
            try c.string(&message.messageId)
            try c.string(&message.customer)
            try c.enumeration(&message.channel)
            try c.timestamp(&message.receivedAt)
            try c.optional(&message.tier)
        }
        try c.count(&s.publicUpdateCount)
        try c.optional(&s.lastPublicUpdateAt)
        try c.optional(&s.lastPublicStatus)
        try c.optional(&s.nextUpdatePromisedBy)
        try c.optional(&s.etaAt)
        try c.strings(&s.slaPolicies)
        try c.array(&s.surveys, blank: SurveyResult(surveyId: "", customer: "", scale: .csat, score: nil, expired: false)) {
            (c, survey) throws(Coder.Failure) in
            try c.string(&survey.surveyId)
            try c.string(&survey.customer)
            try c.enumeration(&survey.scale)
            try c.optional(&survey.score)
            try c.bool(&survey.expired)
        }
        try c.enumeration(&s.postmortem)
        try c.optional(&s.rootCause)
        try c.array(&s.actionItems, blank: ActionItem(id: "", title: "", owner: "", dueAt: zero, completedAt: nil)) {
            (c, item) throws(Coder.Failure) in
            try c.string(&item.id)
            try c.string(&item.title)
            try c.string(&item.owner)
            try c.timestamp(&item.dueAt)
            try c.optional(&item.completedAt)
        }
        try c.strings(&s.links)
        try c.optional(&s.mergedInto)
        try c.count(&s.eventCount)
        try c.count(&s.correctionCount)
        try c.count(&s.retractionCount)
        var lastPosition = Int64(bitPattern: s.lastPosition)
        try c.int(&lastPosition)
        s.lastPosition = UInt64(bitPattern: lastPosition)
        try c.optional(&s.phaseSetAt)
    }

    public func encoded() -> [UInt8] {
        var writer = StateWriter()
        var summary = self
        Self.code(&writer, &summary)
        return writer.bytes
    }

    public init(encoded bytes: UnsafeRawBufferPointer) throws(StateBytesError) {
        var reader = StateReader(bytes)
        self.init(incident: "")
        try Self.code(&reader, &self)
        guard reader.isAtEnd else { throw StateBytesError() }
    }
}
