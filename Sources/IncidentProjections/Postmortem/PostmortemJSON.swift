import IncidentEvents
public import LedgerModel

/// The postmortem report as JSON: the same content as the Markdown and HTML forms, as data.
///
/// Durations are whole seconds (`…Seconds`), times RFC 3339 in UTC, and a figure that is not
/// recorded is `null` (never 0). Object members are sorted, so the same ledger gives the same bytes.
public enum PostmortemJSON {
    /// The report as a JSON value.
    public static func value(_ report: PostmortemReport) -> JSONValue {
        let summary = report.summary
        let figures = report.figures
        var figureObject = [String: JSONValue]()
        for row in report.figureRows { figureObject[row.key] = figure(row.figure) }
        figureObject["duration"] = figure(figures.duration)
        figureObject["firstReplies"] = .array(figures.firstReplies.map { reply in
            .object([
                "messageId": .string(reply.messageId), "customer": .string(reply.customer), "channel": .string(reply.channel.rawValue),
                "tier": optional(reply.tier), "threatensToLeave": .bool(reply.threatensToLeave), "answered": .bool(reply.isAnswered),
                "figure": figure(reply.figure),
            ])
        })
        figureObject["updateGaps"] = .array(figures.updateGaps.map(gap))
        figureObject["longestUpdateGap"] = figures.longestUpdateGap.map(gap) ?? .null
        let promises = figures.updatePromises
        figureObject["updatePromises"] = .object([
            "made": int(promises.made), "kept": int(promises.kept), "pending": int(promises.pending), "missedCount": int(promises.missed.count),
            "missed": .array(promises.missed.map(missed)),
        ])
        if let eta = figures.eta {
            figureObject["eta"] = .object([
                "eta": time(eta.eta), "promisedIn": int(eta.promisedIn), "promisedAt": time(eta.promisedAt), "etasGiven": int(eta.etasGiven),
                "resolvedAt": eta.resolved.map { time($0.at) } ?? .null, "lateBySeconds": eta.lateBySeconds.map(JSONValue.integer) ?? .null,
            ])
        } else {
            figureObject["eta"] = .null
        }

        var customersAffected = JSONValue.null
        if let affected = report.figures.scope.customersAffected {
            customersAffected = .object(["count": .integer(affected.count), "recordedIn": affected.recordedIn.map(int) ?? .null])
        }
        let impactMoments = PostmortemText.impactMoments(report)
        func impactMoment(_ index: Int) -> JSONValue { impactMoments[index].moment.map(moment) ?? .null }
        let review = report.review
        let source = report.source

        let object: [String: JSONValue] = [
            "reportFormatVersion": int(PostmortemReport.formatVersion),
            "incident": .string(report.incident),
            "summary": .object([
                "title": optional(summary.title), "kind": optional(summary.kind?.rawValue), "severity": optional(report.figures.scope.severity?.rawValue),
                "declaredSeverity": optional(report.declaredSeverity?.rawValue), "phase": .string(report.phase.rawValue),
                "lastPublicStatus": optional(summary.lastPublicStatus?.rawValue), "reopenCount": int(summary.reopenCount),
                "postmortemState": .string(summary.postmortem.rawValue), "durationSeconds": figures.duration.seconds.map(JSONValue.integer) ?? .null,
                "resolutionSummary": optional(report.resolutionSummary),
            ]),
            "impact": .object([
                "impactStarted": impactMoment(0), "detected": impactMoment(1), "detectedBy": optional(report.detectedBy?.rawValue),
                "declared": impactMoment(2), "acknowledged": impactMoment(3), "mitigated": impactMoment(4), "resolved": impactMoment(5),
                "closedAt": summary.closedAt.map(time) ?? .null,
                "plannedStart": summary.plannedStart.map(time) ?? .null, "plannedEnd": summary.plannedEnd.map(time) ?? .null,
                "services": strings(report.figures.scope.services), "regions": strings(report.figures.scope.regions), "customerSegments": strings(report.figures.scope.customerSegments),
                "customersAffected": customersAffected,
                "customerMessages": int(report.messages.count), "customersWhoWroteIn": strings(report.customersWhoWroteIn),
                "distinctCustomersWhoWroteIn": int(report.customersWhoWroteIn.count),
            ]),
            "responseFigures": .object(figureObject),
            "phases": .array(report.phases.map { .object(["phase": .string($0.phase.rawValue), "from": time($0.from), "position": int($0.position)]) }),
            "timeline": .array(report.timeline.entries.map { entry in
                var object: [String: JSONValue] = [
                    "position": int(entry.position), "occurredAt": time(entry.occurredAt), "recordedAt": time(entry.recordedAt),
                    "type": .string(entry.type), "category": .string(entry.category.rawValue), "actor": .string(entry.actor),
                    "text": .string(entry.text), "late": .bool(entry.isLate), "postedAt": entry.postedAt.map(time) ?? .null,
                    "correctedBy": positions(entry.correctedBy),
                    "retractedBy": entry.retractedBy.map(int) ?? .null,
                ]
                if let sourceRecordedAt = entry.sourceRecordedAt { object["sourceRecordedAt"] = time(sourceRecordedAt) }
                return .object(object)
            }),
            "communications": .array(report.updates.map { update in
                var object: [String: JSONValue] = [
                    "number": int(update.number), "position": int(update.position), "at": time(update.at), "recordedAt": time(update.recordedAt),
                    "actor": .string(update.actor), "status": .string(update.status.rawValue), "audience": .string(update.audience.rawValue),
                    "channels": strings(update.channels.map(\.rawValue)), "text": .string(update.text),
                    "nextUpdateBy": update.nextUpdateBy.map(time) ?? .null, "etaAt": update.etaAt.map(time) ?? .null,
                    "postedAt": update.postedAt.map(time) ?? .null, "correctedBy": positions(update.correctedBy), "late": .bool(update.isLate),
                    "missedPromise": update.missedPromise.map(missed) ?? .null, "promise": optional(update.promise?.rawValue),
                ]
                if let sourceRecordedAt = update.sourceRecordedAt { object["sourceRecordedAt"] = time(sourceRecordedAt) }
                return .object(object)
            }),
            "customerMessages": .array(report.messages.map { message in
                .object([
                    "messageId": .string(message.messageId), "position": int(message.position), "at": time(message.at),
                    "customer": .string(message.customer), "tier": optional(message.tier), "channel": .string(message.channel.rawValue),
                    "subject": optional(message.subject), "threatensToLeave": .bool(message.threatensToLeave),
                    "replies": .array(message.replies.map(time)),
                ])
            }),
            "escalations": .array(report.escalations.map { escalation in
                .object([
                    "id": .string(escalation.id), "position": int(escalation.position), "raisedAt": time(escalation.raisedAt),
                    "fromLevel": .string(escalation.fromLevel.rawValue), "toLevel": .string(escalation.toLevel.rawValue),
                    "reason": .string(escalation.reason.rawValue), "customer": optional(escalation.customer), "note": optional(escalation.note),
                    "steps": .array(escalation.steps.map { step in
                        .object([
                            "kind": .string(step.kind.rawValue), "at": time(step.at), "position": int(step.position), "text": .string(step.text),
                            "level": optional(step.level?.rawValue),
                        ])
                    }),
                ])
            }),
            "satisfaction": .object([
                "scores": .array(report.surveyScores.map { score in
                    .object([
                        "scale": .string(score.scale.rawValue), "sent": int(score.sent), "answered": int(score.answered), "expired": int(score.expired),
                        "mean": score.mean.map(JSONValue.number) ?? .null,
                        "netPromoterScore": score.netPromoterScore.map(JSONValue.number) ?? .null,
                    ])
                }),
                "surveys": .array(report.surveys.map { survey in
                    .object([
                        "surveyId": .string(survey.id), "customer": .string(survey.customer), "channel": .string(survey.channel.rawValue),
                        "scale": .string(survey.scale.rawValue), "sentAt": time(survey.sentAt), "score": survey.score.map(JSONValue.integer) ?? .null,
                        "comment": optional(survey.comment), "answeredAt": survey.answeredAt.map(time) ?? .null,
                        "expiredAt": survey.expiredAt.map(time) ?? .null,
                    ])
                }),
            ]),
            "postmortem": .object([
                "owner": optional(review.owner), "startedAt": review.startedAt.map(time) ?? .null, "dueAt": review.dueAt.map(time) ?? .null,
                "rootCause": review.rootCause.map { cause in
                    .object(["category": .string(cause.category.rawValue), "summary": .string(cause.finding.text), "position": int(cause.finding.position),
                             "correctedBy": positions(cause.finding.correctedBy)])
                } ?? .null,
                "contributingFactors": .array(review.contributingFactors.map { factor in
                    .object(["summary": .string(factor.text), "position": int(factor.position), "correctedBy": positions(factor.correctedBy)])
                }),
                "actionItems": .array(review.actionItems.map { item in
                    .object([
                        "id": .string(item.id), "title": .string(item.title), "owner": .string(item.owner), "dueAt": time(item.dueAt),
                        "openedAt": time(item.openedAt), "position": int(item.position), "completedAt": item.completedAt.map(time) ?? .null,
                        "completionNote": optional(item.completionNote), "state": .string(item.state.rawValue),
                    ])
                }),
                "publishedAt": review.publishedAt.map(time) ?? .null, "documentUrl": optional(review.documentUrl),
                "publishedSummary": optional(review.publishedSummary),
            ]),
            // The headings the review fills in; the ledger has nothing for them.
            "reviewFindings": .object(["whatWentWell": .array([]), "whatCouldBeBetter": .array([]), "whereWeGotLucky": .array([])]),
            "source": .object([
                "ledgerPosition": int(source.headPosition), "chainHead": .string(source.headHash.hex), "asOf": time(source.asOf), "lastRecorded": time(source.lastRecorded),
                "incidentLastPosition": int(source.incidentLastPosition), "incidentEvents": int(source.incidentEventCount),
                "corrections": int(source.correctionCount), "retractions": int(source.retractionCount),
            ]),
        ]
        return .object(object)
    }

    /// The report as indented JSON text with sorted members, ending in a newline.
    public static func render(_ report: PostmortemReport) -> String {
        value(report).prettyText
    }

    static func figure(_ figure: ResponseFigures.Figure) -> JSONValue {
        .object([
            "seconds": figure.seconds.map(JSONValue.integer) ?? .null,
            "start": figure.start.map(moment) ?? .null,
            "stop": figure.stop.map(moment) ?? .null,
        ])
    }

    static func moment(_ moment: ResponseFigures.Moment) -> JSONValue {
        var object: [String: JSONValue] = [
            "kind": .string(moment.kind.rawValue), "at": time(moment.at), "position": int(moment.position), "correctedBy": positions(moment.correctedBy),
        ]
        // Only a moment read from a posting time has a time shown beside it.
        if let shown = moment.shownAt { object["shownAt"] = time(shown) }
        return .object(object)
    }

    static func gap(_ gap: ResponseFigures.UpdateGap) -> JSONValue {
        .object(["afterPosition": int(gap.afterPosition), "from": time(gap.from), "to": time(gap.to), "endedBy": .string(gap.endedBy.rawValue), "seconds": .integer(gap.seconds)])
    }

    static func missed(_ missed: Timeline.MissedUpdate) -> JSONValue {
        .object([
            "promisedIn": int(missed.promisedIn), "promisedBy": time(missed.promisedBy), "fulfilledAt": missed.fulfilledAt.map(time) ?? .null,
            "lateBySeconds": .integer(missed.lateBySeconds),
        ])
    }

    static func time(_ timestamp: Timestamp) -> JSONValue { .string(timestamp.rfc3339) }
    static func int(_ value: Int) -> JSONValue { .integer(Int64(value)) }
    static func int(_ value: UInt64) -> JSONValue { .integer(Int64(value)) }
    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    static func strings(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }
    static func positions(_ items: [UInt64]) -> JSONValue { .array(items.map { .integer(Int64($0)) }) }
}
