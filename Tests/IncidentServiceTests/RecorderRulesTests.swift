import Foundation
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing
import IncidentEvents
@testable import IncidentService

/// Validation on the way in: invalid events and broken rules of an incident's life are refused
/// with the event's number, the field and the rule, and nothing of the batch is written.
@Suite struct RecorderRulesTests {
    static func event(_ event: IncidentEvent, stream: String = "INC-1", at minutes: Int64 = 0, id: UUID = .version7()) -> StreamEvent {
        StreamEvent(
            stream: stream,
            event: Catalog.proposed(event, id: id, occurredAt: SampleEvents.epoch.adding(seconds: minutes * 60), actor: Actor(kind: .person, id: "p"), source: "test"))
    }

    static func raw(_ type: String, _ payload: [String: JSONValue], stream: String = "INC-1", at minutes: Int64 = 1) -> StreamEvent {
        StreamEvent(
            stream: stream,
            event: ProposedEvent(
                type: type, schemaVersion: Catalog.currentVersion(of: type), occurredAt: SampleEvents.epoch.adding(seconds: minutes * 60),
                actor: Actor(kind: .person, id: "p"), source: "test", payload: Payload(payload)))
    }

    static let declared = IncidentDeclared(
        title: "Checkout errors", severity: .sev1, impactStartedAt: SampleEvents.epoch, detectedAt: SampleEvents.epoch.adding(seconds: 120))

    /// A ledger with INC-1 declared and a message, an escalation, a survey and an action item in it.
    static func ledger() async throws -> (TemporaryDirectory, Ledger, EventRecorder) {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let recorder = EventRecorder(ledger: ledger, clock: SampleEvents.fixedClock(offsetSeconds: 86_400))
        _ = try await recorder.record([
            event(.declared(declared), id: SampleEvents.uuid(1)),
            event(.messageReceived(CustomerMessageReceived(messageId: "m-1", channel: .email, customer: "acme")), at: 5),
            event(.escalationRaised(EscalationRaised(escalationId: "esc-1", fromLevel: .support, toLevel: .engineering, reason: .severity)), at: 6),
            event(.surveySent(SurveySent(surveyId: "s-1", customer: "acme", channel: .email, scale: .csat)), at: 7),
            event(.actionItemOpened(ActionItemOpened(actionItemId: "ai-1", title: "Fix", owner: "o", dueAt: SampleEvents.epoch)), at: 8),
        ])
        return (directory, ledger, recorder)
    }

    static let refusals: [(String, StreamEvent, String, String)] = [
        ("an unknown type", raw("incident.exploded", [:]), "type", "is not an event type"),
        ("a missing field", raw("incident.severity_changed", ["severity": "sev2"]), "payload.reason", "is required"),
        ("a wrong type", raw("incident.scope_changed", ["customersAffected": "many"]), "payload.customersAffected", "must be a whole number"),
        ("a value outside its enumeration", raw("incident.status_changed", ["status": "panicking"]), "payload.status", "must be one of investigating"),
        ("a malformed timestamp", raw("postmortem.started", ["owner": "o", "dueAt": "next week"]), "payload.dueAt", "is not an RFC 3339 timestamp"),
        ("an empty title", raw("incident.declared", ["title": "  ", "kind": "unplanned", "severity": "sev1"], stream: "INC-2"), "payload.title", "must not be empty"),
        ("a title of Unicode spaces", raw("incident.declared", ["title": "\u{2003}\t\u{3000}", "kind": "unplanned", "severity": "sev1"], stream: "INC-2"), "payload.title", "must not be empty"),
        ("a negative time to detect",
         raw("incident.declared", ["title": "t", "kind": "unplanned", "severity": "sev1", "impactStartedAt": "2026-03-14T10:00:00Z", "detectedAt": "2026-03-14T09:00:00Z"], stream: "INC-2"),
         "payload.detectedAt", "cannot be negative"),
        ("a score outside its scale", raw("survey.answered", ["surveyId": "s-1", "score": 9]), "payload.score", "outside the survey's scale csat_1_5"),
        ("an event for an undeclared incident", raw("incident.acknowledged", ["by": "x"], stream: "INC-9"), "stream", "has not been declared"),
        ("a second declaration", raw("incident.declared", ["title": "t", "kind": "unplanned", "severity": "sev1"]), "type", "already declared"),
        ("a reply to an unknown message", raw("customer.reply_sent", ["inReplyTo": "m-404", "channel": "email", "customer": "acme"]), "payload.inReplyTo", "no customer message 'm-404'"),
        ("a next update promised in the past",
         raw("status_update.published", ["status": "investigating", "audience": "public", "channels": ["email"], "text": "t", "nextUpdateBy": "2026-03-14T08:00:00Z"], at: 30),
         "payload.nextUpdateBy", "cannot be promised in the past"),
        ("an occurredAt far in the future", raw("incident.acknowledged", ["by": "x"], at: 60 * 24 * 30), "occurredAt", "in the future"),
        ("a correction of an unknown event", raw("event.corrected", ["target": "5a000000-0000-4000-8000-00000000ffff", "fields": ["severity": "sev2"], "reason": "r"]), "payload.target", "no event"),
        ("a correction that makes its target invalid",
         raw("event.corrected", ["target": .string(SampleEvents.uuid(1).uuidString), "fields": ["severity": "sev9"], "reason": "r"]),
         "payload.fields", "would be invalid"),
        ("de-escalating upwards", raw("escalation.deescalated", ["escalationId": "esc-1", "toLevel": "executive", "reason": "r"]), "payload.toLevel", "below"),
        ("escalating downwards", raw("escalation.raised", ["escalationId": "esc-2", "fromLevel": "executive", "toLevel": "support", "reason": "other"]), "payload.toLevel", "must be above"),
        ("completing an unknown action item", raw("postmortem.action_item_completed", ["actionItemId": "ai-9"]), "payload.actionItemId", "no open action item"),
        ("a reopen of an open incident", raw("incident.reopened", ["reason": "r"]), "type", "nothing to reopen"),
        ("a resolution before the incident began", raw("incident.resolved", ["summary": "s"], at: -10), "occurredAt", "before the incident began"),
        ("an unknown payload field", raw("incident.acknowledged", ["by": "x", "when": "now"]), "payload.when", "is not a field"),
    ]

    @Test(arguments: refusals)
    func aBrokenRuleIsRefusedWithNothingWritten(label: String, bad: StreamEvent, field: String, reason: String) async throws {
        let (_, ledger, recorder) = try await Self.ledger()
        let before = try ledger.read { try $0.head() }
        // The bad event is the third of a batch, after two good ones.
        let good = [
            Self.raw("incident.note_added", ["text": "first"]), Self.raw("incident.note_added", ["text": "second"]),
        ]
        await #expect {
            _ = try await recorder.record(good + [bad])
        } throws: { error in
            guard let error = error as? LedgerError, error.code == .invalidInput else { return false }
            let ok = error.message.hasPrefix("event 3: \(field): ") && error.message.contains(reason) && error.message.hasSuffix("nothing was written")
            if !ok { Issue.record("\(label): \(error.message)") }
            return ok
        }
        #expect(try ledger.read { try $0.head() } == before, "\(label)")
    }

    @Test func aClosedIncidentMustBeReopenedBeforeItChanges() async throws {
        let (_, ledger, recorder) = try await Self.ledger()
        _ = try await recorder.record([
            Self.event(.resolved(IncidentResolved(summary: "fixed")), at: 20), Self.event(.closed(IncidentClosed()), at: 30),
        ])
        await #expect { _ = try await recorder.record([Self.event(.statusChanged(IncidentStatusChanged(status: .monitoring)), at: 40)]) } throws: {
            ($0 as? LedgerError)?.message.contains("is closed; record incident.reopened") == true
        }
        _ = try await recorder.record([
            Self.event(.reopened(IncidentReopened(reason: "back")), at: 41),
            Self.event(.statusChanged(IncidentStatusChanged(status: .monitoring)), at: 42),
        ])
        #expect(try ledger.read { try $0.version(ofStream: "INC-1") } == 9)
    }

    @Test func validEventsOfEveryKindAreRecordedInOneBatch() async throws {
        let (_, ledger, recorder) = try await Self.ledger()
        let results = try await recorder.record([
            Self.event(.acknowledged(IncidentAcknowledged(by: "oncall")), at: 9),
            Self.event(.replySent(CustomerReplySent(inReplyTo: "m-1", channel: .email, customer: "acme")), at: 10),
            Self.event(.escalationAcknowledged(EscalationAcknowledged(escalationId: "esc-1", by: "eng")), at: 11),
            Self.event(.corrected(EventCorrected(target: SampleEvents.uuid(1).uuidString, fields: ["severity": "sev2"], reason: "typo")), at: 12),
            Self.event(.surveyAnswered(SurveyAnswered(surveyId: "s-1", score: 5)), at: 13),
            Self.event(.actionItemCompleted(ActionItemCompleted(actionItemId: "ai-1")), at: 14),
            Self.event(.declared(Self.declared), stream: "INC-2", at: 15),
        ])
        #expect(results.map(\.stream) == ["INC-1", "INC-2"])
        #expect(try ledger.read { try $0.eventCount() } == 12)
        // The correction is applied to what the rules know; the original stays in the log.
        let (facts, _) = try ledger.read { try EventRecorder.facts(of: "INC-1", in: $0) }
        #expect(facts.declaration?.severity == .sev2)
        #expect(try ledger.read { try $0.event(id: SampleEvents.uuid(1)) }.map { try $0.payload.decoded()["severity"] } == "sev1")
    }

    @Test func concurrentRecordersOnOneIncidentAreAllCheckedAndCommitted() async throws {
        let (_, ledger, recorder) = try await Self.ledger()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<20 {
                group.addTask {
                    _ = try await recorder.record([Self.event(.noteAdded(InternalNoteAdded(text: "note \(number)")), at: 9)])
                }
            }
            try await group.waitForAll()
        }
        #expect(try ledger.read { try $0.version(ofStream: "INC-1") } == 25)
        #expect(try ledger.verify().isIntact)
    }

    @Test func aRetryOfRecordedEventsSucceedsWithoutWriting() async throws {
        let (_, ledger, recorder) = try await Self.ledger()
        let batch = [Self.event(.messageReceived(CustomerMessageReceived(messageId: "m-2", channel: .chat, customer: "c")), at: 9)]
        _ = try await recorder.record(batch)
        let again = try await recorder.record(batch)
        #expect(again[0].alreadyRecorded)
        #expect(try ledger.read { try $0.eventCount() } == 6)
    }
}
