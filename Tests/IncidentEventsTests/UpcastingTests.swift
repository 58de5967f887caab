import Foundation
import LedgerModel
import LedgerStore
import LedgerTestSupport
import IncidentService
import Testing
@testable import IncidentEvents

/// The versioning mechanism at work: status_update.published has a version 2; events stored as
/// version 1 are read as version 2, and a ledger written with version 1 reads correctly.
@Suite struct UpcastingTests {
    static let version1: [String: JSONValue] = [
        "status": "identified", "channel": "email", "text": "We found the cause.", "nextUpdateBy": "2026-03-14T10:00:00Z",
    ]

    @Test func aVersion1PayloadIsReadAsVersion2() throws {
        let event = try Catalog.decode(type: StatusUpdatePublished.type, schemaVersion: 1, payload: Self.version1)
        guard case .statusUpdatePublished(let update) = event else {
            Issue.record("decoded as \(event)")
            return
        }
        #expect(update.channels == [.email])
        #expect(update.audience == .public)
        #expect(update.text == "We found the cause.")
        #expect(update.nextUpdateBy == (try Timestamp(rfc3339: "2026-03-14T10:00:00Z")))
    }

    @Test func aVersion2PayloadIsReadAsVersion3WithoutAPostingTime() throws {
        let version2: [String: JSONValue] = ["status": "identified", "audience": "public", "channels": ["email"], "text": "We found the cause."]
        let event = try Catalog.decode(type: StatusUpdatePublished.type, schemaVersion: 2, payload: version2)
        #expect(event == .statusUpdatePublished(StatusUpdatePublished(status: .identified, channels: [.email], text: "We found the cause.")))
        // postedAt is a version 3 field: a version 2 payload that holds it is refused by version 2's rules.
        var posted = version2
        posted["postedAt"] = "2026-03-14T10:00:00Z"
        #expect(throws: EventInputError.self) { try Catalog.decode(type: StatusUpdatePublished.type, schemaVersion: 2, payload: posted) }
        let current = try Catalog.decode(type: StatusUpdatePublished.type, schemaVersion: 3, payload: posted)
        guard case .statusUpdatePublished(let update) = current else {
            Issue.record("decoded as \(current)")
            return
        }
        #expect(update.postedAt == (try Timestamp(rfc3339: "2026-03-14T10:00:00Z")))
    }

    @Test func aVersion1PayloadIsCheckedByVersion1Rules() {
        var bad = Self.version1
        bad["channels"] = ["email"]  // a version 2 field in a version 1 event
        #expect(throws: EventInputError.self) { try Catalog.decode(type: StatusUpdatePublished.type, schemaVersion: 1, payload: bad) }
        #expect(throws: EventInputError.self) { try Catalog.decode(type: StatusUpdatePublished.type, schemaVersion: StatusUpdatePublished.schemaVersion, payload: Self.version1) }
        #expect(throws: EventInputError.self) { try Catalog.decode(type: StatusUpdatePublished.type, schemaVersion: StatusUpdatePublished.schemaVersion + 1, payload: Self.version1) }
    }

    @Test func anOldLedgerReadsCorrectlyAndIsNeverRewritten() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let recorder = EventRecorder(ledger: ledger)
        let declared = Catalog.proposed(
            .declared(IncidentDeclared.examples[0]), occurredAt: SampleEvents.epoch, actor: Actor(kind: .person, id: "a"), source: "test")
        // A version 1 event, as an older tool would have written it.
        let old = ProposedEvent(
            type: StatusUpdatePublished.type, schemaVersion: 1, occurredAt: SampleEvents.epoch.adding(seconds: 60),
            actor: Actor(kind: .tool, id: "old-tool"), source: "statuspage", payload: Payload(Self.version1))
        _ = try await recorder.record([StreamEvent(stream: "INC-1", event: declared), StreamEvent(stream: "INC-1", event: old)])
        let stored = try ledger.read { try $0.event(at: 2) }
        let recorded = try #require(stored)
        #expect(recorded.schemaVersion == 1)
        #expect(try recorded.payload.decoded() == .object(Self.version1))
        guard case .statusUpdatePublished(let update) = try Catalog.decode(recorded) else {
            Issue.record("not a status update")
            return
        }
        #expect(update.channels == [.email])
        #expect(try ledger.verify().isIntact)
    }
}
