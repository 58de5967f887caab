import Foundation
import IncidentEvents
import LedgerModel
import LedgerStore
import LedgerTestSupport
import IncidentService
import Testing
@testable import IncidentProjections

/// "Late" and "as known at" measured by when a fact became known: its source's record time
/// (`sourceRecordedAt`) when it has one, else the ledger's.
@Suite struct KnownTimeTests {
    func at(_ minutes: Int64) -> Timestamp { SampleEvents.epoch.adding(seconds: minutes * 60) }

    /// An incident imported a day after it happened: declared at 0, an update at 10 that its
    /// source posted at 30, a status change at 20 posted at 21, and a note typed into the ledger
    /// itself (no source time) at the import.
    func ledger() async throws -> (TemporaryDirectory, Ledger) {
        let directory = TemporaryDirectory()
        let importTime = at(24 * 60)
        let ledger = try Ledger.create(at: directory.path, clock: { importTime })
        let recorder = EventRecorder(ledger: ledger, clock: { importTime })
        let tool = Actor(kind: .tool, id: "import")
        func event(_ payload: IncidentEvent, _ occurred: Timestamp, _ known: Timestamp?) -> StreamEvent {
            StreamEvent(stream: "SP-1", event: Catalog.proposed(payload, occurredAt: occurred, sourceRecordedAt: known, actor: tool, source: "statuspage"))
        }
        _ = try await recorder.record([
            event(.declared(IncidentDeclared(title: "t", severity: .sev2)), at(0), at(0)),
            event(.statusUpdatePublished(StatusUpdatePublished(status: .investigating, channels: [.statusPage], text: "Looking")), at(10), at(30)),
            event(.statusChanged(IncidentStatusChanged(status: .identified)), at(20), at(21)),
            event(.noteAdded(InternalNoteAdded(text: "imported")), at(22), nil),
        ])
        return (directory, ledger)
    }

    @Test func theTimelineMarksLateOnlyWhatWasLateAtItsSource() async throws {
        let (_, ledger) = try await ledger()
        let timeline = try #require(try ledger.read { try Timeline.build("SP-1", in: $0) })
        let late = Dictionary(uniqueKeysWithValues: timeline.entries.map { ($0.type, $0.isLate) })
        #expect(late == [
            "incident.declared": false, "status_update.published": true, "incident.status_changed": false, "incident.note_added": true,
        ])
        let update = try #require(timeline.entries.first { $0.type == "status_update.published" })
        #expect(update.knownAt == at(30))
        #expect(update.recordedAt == at(24 * 60))
    }

    @Test func asKnownTakesEachEventFromWhenItBecameKnown() async throws {
        let (_, ledger) = try await ledger()
        try ledger.read { reader throws in
            let at15 = try #require(try Replay.asKnown("SP-1", at: at(15), in: reader))
            #expect(at15.publicUpdateCount == 0, "the update happened at 10 but was posted at 30")
            #expect(at15.phase == .investigating)
            let at25 = try #require(try Replay.asKnown("SP-1", at: at(25), in: reader))
            #expect(at25.phase == .identified, "known at 21, although recorded before the update known at 30")
            #expect(at25.publicUpdateCount == 0)
            let at35 = try #require(try Replay.asKnown("SP-1", at: at(35), in: reader))
            #expect(at35.publicUpdateCount == 1)
            #expect(at35.eventCount == 3, "the note is known only from the import")
            #expect(try Replay.asKnown("SP-1", at: at(-1), in: reader) == nil)
        }
    }
}
