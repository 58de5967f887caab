import Foundation
import IncidentEvents
public import LedgerModel

/// The result of mapping one survey-responses file.
public struct SurveyImport: Sendable {
    /// The events of each incident named, in order of first appearance.
    public var incidents: [ImportedIncident]
    public var warnings: [ImportWarning]
    /// Data records read (the header not counted).
    public var rows: Int
    /// Rows that gave no event at all.
    public var skippedRows: Int
    public var events: [StreamEvent] { incidents.flatMap(\.events) }
}

/// Maps satisfaction-survey responses (one row per survey sent) to survey.sent and, when answered,
/// survey.answered, on incidents that must already be in the ledger. Pure: a table in, events out.
///
/// Event ids come from SHA-256 of `survey/<source>/<incident id>/<survey id>/sent|answered`; the
/// survey id is the survey column's value, or `<customer>@<sent time in UTC>` without one.
public enum SurveyImporter {
    public static let actor = Actor(kind: .tool, id: "survey-import")

    public static func map(_ table: CSVTable, mapping: SurveyMapping) throws(MappingError) -> SurveyImport {
        let c = mapping.columns
        let incident = try c.incident.resolve(in: table), customer = try c.customer.resolve(in: table), sent = try c.sent.resolve(in: table)
        let answered = try c.answered?.resolve(in: table), score = try c.score?.resolve(in: table), scale = try c.scale?.resolve(in: table)
        let comment = try c.comment?.resolve(in: table), survey = try c.survey?.resolve(in: table), channel = try c.channel?.resolve(in: table)

        var order = [String]()
        var eventsByIncident = [String: [StreamEvent]]()
        var surveyIDs = [String: Set<String>]()
        var rowsByIncident = [String: [CSVTable.Record]]()
        var warnings = [ImportWarning]()
        var skipped = 0
        for record in table.records {
            let id = incident.value(in: record)
            func warn(_ kind: ImportWarning.Kind, _ message: String) {
                warnings.append(ImportWarning(kind, incidentID: id.isEmpty ? nil : id, row: record.line, message))
            }
            guard !id.isEmpty else { warn(.missingField, "no incident id in \(c.incident.key); row skipped"); skipped += 1; continue }
            let who = customer.value(in: record)
            guard !who.isEmpty else { warn(.missingField, "no customer in \(c.customer.key); row skipped"); skipped += 1; continue }
            let sentText = sent.value(in: record)
            guard !sentText.isEmpty else { warn(.missingField, "no sent time in \(c.sent.key); row skipped (no time is invented)"); skipped += 1; continue }
            guard let sentAt = mapping.time.parse(sentText) else {
                warn(.badTimestamp, "\(MessageText.quoted(sentText)) is not a time in the format \(mapping.time.pattern); row skipped")
                skipped += 1
                continue
            }
            var surveyScale = mapping.scale
            if let scale {
                let text = scale.value(in: record)
                guard let mapped = mapping.scales[text] else {
                    warn(text.isEmpty ? .missingField : .unknownValue, "scale \(MessageText.quoted(text)) is not in the mapping's scales; row skipped")
                    skipped += 1
                    continue
                }
                surveyScale = mapped
            }
            guard let surveyScale else { continue }  // the mapping guarantees one
            var sentOn = mapping.channel
            if let channel, !channel.isEmpty(in: record) {
                let text = channel.value(in: record)
                if let named = MessageChannel(rawValue: text) { sentOn = named } else {
                    warn(.unknownValue, "channel \(MessageText.quoted(text)) is not one of \(MessageChannel.allCases.map(\.rawValue).joined(separator: ", ")); \(mapping.channel.rawValue) is used")
                }
            }
            let surveyID = survey.map { $0.value(in: record) }.flatMap { $0.isEmpty ? nil : $0 } ?? "\(who)@\(sentAt.rfc3339)"
            guard surveyID.count <= 200, who.count <= 200 else {
                warn(.missingField, "the survey id or customer is longer than 200 characters, which the catalog does not allow; row skipped")
                skipped += 1
                continue
            }
            guard surveyIDs[id, default: []].insert(surveyID).inserted else {
                warn(.duplicateSurvey, "survey \(MessageText.quoted(surveyID)) appears more than once for this incident; the later row is skipped")
                skipped += 1
                continue
            }
            let stream = mapping.naming.stream(id)
            // The survey tool recorded the sending and the response when they happened.
            func event(_ payload: IncidentEvent, _ role: String, at time: Timestamp) -> StreamEvent {
                StreamEvent(stream: stream, event: Catalog.proposed(
                    payload, id: SourceEventID.make("survey/\(mapping.naming.source)/\(id)/\(surveyID)/\(role)"), occurredAt: time,
                    sourceRecordedAt: time, actor: actor, source: mapping.naming.source))
            }
            if eventsByIncident[id] == nil { order.append(id) }
            rowsByIncident[id, default: []].append(record)
            eventsByIncident[id, default: []].append(event(.surveySent(SurveySent(surveyId: surveyID, customer: who, channel: sentOn, scale: surveyScale)), "sent", at: sentAt))

            // The answer, when there is one that can stand.
            guard let answered, let score else { continue }
            let answeredText = answered.value(in: record), scoreText = score.value(in: record)
            if answeredText.isEmpty, scoreText.isEmpty { continue }
            guard !answeredText.isEmpty else { warn(.missingField, "a score but no answer time; the answer is skipped (no time is invented)"); continue }
            guard let answeredAt = mapping.time.parse(answeredText) else {
                warn(.badTimestamp, "answer time \(MessageText.quoted(answeredText)) is not in the format \(mapping.time.pattern); the answer is skipped")
                continue
            }
            guard !scoreText.isEmpty else { warn(.missingField, "an answer time but no score; the answer is skipped"); continue }
            guard let value = Int64(scoreText), surveyScale.range.contains(value) else {
                warn(.invalidAnswer, "score \(MessageText.quoted(scoreText)) is not a whole number on the scale \(surveyScale.rawValue); the answer is skipped")
                continue
            }
            guard answeredAt >= sentAt else {
                warn(.invalidAnswer, "answered (\(answeredAt.rfc3339)) before it was sent (\(sentAt.rfc3339)); the answer is skipped")
                continue
            }
            var text = comment.map { $0.value(in: record) }.flatMap { $0.isEmpty ? nil : $0 }
            if let long = text, long.count > 10_000 {
                warn(.truncated, "the comment is longer than 10000 characters; shortened")
                text = String(long.prefix(9_999)) + "…"
            }
            eventsByIncident[id, default: []].append(event(.surveyAnswered(SurveyAnswered(surveyId: surveyID, score: value, comment: text)), "answered", at: answeredAt))
        }
        let incidents = order.map {
            ImportedIncident(
                sourceID: $0, stream: mapping.naming.stream($0), events: eventsByIncident[$0]!, origin: table.sourceRecord(rowsByIncident[$0]!))
        }
        return SurveyImport(incidents: incidents, warnings: warnings, rows: table.records.count, skippedRows: skipped)
    }
}
