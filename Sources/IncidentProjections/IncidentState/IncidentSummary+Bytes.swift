import IncidentEvents
import LedgerModel

/// The stored form of an incident's summary: ``StateWriter``'s compact bytes. `list` reads every
/// summary and a rebuild writes every one; JSON took 15% of a rebuild and most of a `list`.
extension IncidentSummary {
    static let formatVersion: UInt8 = 1

    public func encoded() -> [UInt8] {
        var w = StateWriter()
        w.bytes.append(Self.formatVersion)
        w.string(incident)
        w.optional(title)
        w.optional(kind)
        w.optional(severity)
        w.enumeration(phase)
        w.strings(services)
        w.strings(regions)
        w.strings(customerSegments)
        w.optional(customersAffected)
        for moment in [
            plannedStart, plannedEnd, impactStartedAt, detectedAt, declaredAt, acknowledgedAt, firstPublicUpdateAt, firstEscalatedAt,
            mitigatedAt, resolvedAt, closedAt,
        ] { w.optional(moment) }
        w.count(reopenCount)
        w.array(responders) { w, responder in
            w.string(responder.person)
            w.enumeration(responder.role)
        }
        w.count(escalationCount)
        w.count(executiveEscalationCount)
        w.optional(highestEscalationLevel)
        w.array(openEscalations) { w, escalation in
            w.string(escalation.id)
            w.enumeration(escalation.level)
            w.enumeration(escalation.reason)
            w.optional(escalation.customer)
            w.timestamp(escalation.raisedAt)
            w.bool(escalation.acknowledged)
        }
        w.strings(customers)
        w.count(messageCount)
        w.array(awaitingReply) { w, message in
            w.string(message.messageId)
            w.string(message.customer)
            w.enumeration(message.channel)
            w.timestamp(message.receivedAt)
        }
        w.count(publicUpdateCount)
        w.optional(lastPublicUpdateAt)
        w.optional(lastPublicStatus)
        w.optional(nextUpdatePromisedBy)
        w.optional(etaAt)
        w.strings(slaPolicies)
        w.array(surveys) { w, survey in
            w.string(survey.surveyId)
            w.string(survey.customer)
            w.enumeration(survey.scale)
            w.optional(survey.score)
            w.bool(survey.expired)
        }
        w.enumeration(postmortem)
        w.optional(rootCause)
        w.array(actionItems) { w, item in
            w.string(item.id)
            w.string(item.title)
            w.string(item.owner)
            w.timestamp(item.dueAt)
            w.optional(item.completedAt)
        }
        w.strings(links)
        w.optional(mergedInto)
        w.count(eventCount)
        w.count(correctionCount)
        w.count(retractionCount)
        w.int(Int64(bitPattern: lastPosition))
        w.optional(phaseSetAt)
        return w.bytes
    }

    public init(encoded bytes: UnsafeRawBufferPointer) throws(StateBytesError) {
        var r = StateReader(bytes)
        guard try r.byte() == Self.formatVersion else { throw StateBytesError() }
        self.init(incident: try r.string())
        title = try r.optionalString()
        kind = try r.optional(IncidentKind.self)
        severity = try r.optional(Severity.self)
        phase = try r.enumeration(IncidentPhase.self)
        services = try r.strings()
        regions = try r.strings()
        customerSegments = try r.strings()
        customersAffected = try r.optionalInt()
        plannedStart = try r.optionalTimestamp()
        plannedEnd = try r.optionalTimestamp()
        impactStartedAt = try r.optionalTimestamp()
        detectedAt = try r.optionalTimestamp()
        declaredAt = try r.optionalTimestamp()
        acknowledgedAt = try r.optionalTimestamp()
        firstPublicUpdateAt = try r.optionalTimestamp()
        firstEscalatedAt = try r.optionalTimestamp()
        mitigatedAt = try r.optionalTimestamp()
        resolvedAt = try r.optionalTimestamp()
        closedAt = try r.optionalTimestamp()
        reopenCount = try r.count()
        responders = try r.array { (r: inout StateReader) throws(StateBytesError) in
            Responder(person: try r.string(), role: try r.enumeration(ResponderRole.self))
        }
        escalationCount = try r.count()
        executiveEscalationCount = try r.count()
        highestEscalationLevel = try r.optional(EscalationLevel.self)
        openEscalations = try r.array { (r: inout StateReader) throws(StateBytesError) in
            OpenEscalation(
                id: try r.string(), level: try r.enumeration(EscalationLevel.self), reason: try r.enumeration(EscalationReason.self),
                customer: try r.optionalString(), raisedAt: try r.timestamp(), acknowledged: try r.bool())
        }
        customers = try r.strings()
        messageCount = try r.count()
        awaitingReply = try r.array { (r: inout StateReader) throws(StateBytesError) in
            AwaitingReply(messageId: try r.string(), customer: try r.string(), channel: try r.enumeration(MessageChannel.self), receivedAt: try r.timestamp())
        }
        publicUpdateCount = try r.count()
        lastPublicUpdateAt = try r.optionalTimestamp()
        lastPublicStatus = try r.optional(PublicStatus.self)
        nextUpdatePromisedBy = try r.optionalTimestamp()
        etaAt = try r.optionalTimestamp()
        slaPolicies = try r.strings()
        surveys = try r.array { (r: inout StateReader) throws(StateBytesError) in
            SurveyResult(surveyId: try r.string(), customer: try r.string(), scale: try r.enumeration(SurveyScale.self), score: try r.optionalInt(), expired: try r.bool())
        }
        postmortem = try r.enumeration(PostmortemState.self)
        rootCause = try r.optionalString()
        actionItems = try r.array { (r: inout StateReader) throws(StateBytesError) in
            ActionItem(id: try r.string(), title: try r.string(), owner: try r.string(), dueAt: try r.timestamp(), completedAt: try r.optionalTimestamp())
        }
        links = try r.strings()
        mergedInto = try r.optionalString()
        eventCount = try r.count()
        correctionCount = try r.count()
        retractionCount = try r.count()
        lastPosition = UInt64(bitPattern: try r.int())
        phaseSetAt = try r.optionalTimestamp()
        guard r.isAtEnd else { throw StateBytesError() }
    }
}
