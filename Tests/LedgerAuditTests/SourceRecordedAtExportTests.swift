import LedgerAudit
import Foundation
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// Export bundles of a ledger that holds both record formats: `ExportVerifier` and
/// Tools/verify-export.py rebuild and hash format 2 records too, and refuse a changed source time.
@Suite struct SourceRecordedAtExportTests {
    /// The fixture's 40 format 1 events, then imported ones (format 2) between more format 1 ones.
    static func mixedFixture() async throws -> AuditFixture {
        let fixture = try await AuditFixture.make()
        for number in 41...46 {
            var event = SampleEvents.event(number)
            if number % 2 == 1 { event.sourceRecordedAt = SampleEvents.epoch.adding(seconds: Int64(number) * 60) }
            _ = try await fixture.ledger.append([event], to: "INC-\(number % 3)")
        }
        return fixture
    }

    @Test func bothVerifiersAcceptBundlesOfMixedFormats() async throws {
        let fixture = try await Self.mixedFixture()
        #expect(try fixture.ledger.info().formatVersion == 2)
        let full = try fixture.export("full", csv: true)
        let lines = try AuditFixture.lines(full, ExportBundle.events)
        #expect(lines.filter { $0.contains(#""sourceRecordedAt":"#) }.count == 3)
        #expect(fixture.refusal(full) == nil)
        let filtered = try fixture.export("filtered", query: EventQuery(incident: "INC-2"), csv: true)
        #expect(fixture.refusal(filtered) == nil)
        let earlier = try SignedCheckpoint(contentsOf: full + "/" + ExportBundle.checkpoint)
        for number in 47...48 {
            var event = SampleEvents.event(number)
            event.sourceRecordedAt = SampleEvents.epoch
            _ = try await fixture.ledger.append([event], to: "INC-1")
        }
        #expect(fixture.refusal(try fixture.export("incremental", after: earlier)) == nil)
    }

    @Test func aChangedOrRemovedSourceTimeIsRefused() async throws {
        let fixture = try await Self.mixedFixture()
        // Line 41 holds event 41, imported; line 42 links to its hash.
        let changed = try fixture.export("changed")
        try AuditFixture.edit(changed, ExportBundle.events) { lines in
            lines[40] = lines[40].replacingOccurrences(of: #""sourceRecordedAt":"2026-03-14T09:41:00Z""#, with: #""sourceRecordedAt":"2026-03-14T09:40:00Z""#)
        }
        try fixture.expectRefusedAlike(changed, "events.jsonl line 42: the previousHash of position 42 is not the hash of the line before it (that line or this one was altered)")
        let removed = try fixture.export("removed")
        try AuditFixture.edit(removed, ExportBundle.events) { lines in
            lines[40] = lines[40].replacingOccurrences(of: #","sourceRecordedAt":"2026-03-14T09:41:00Z""#, with: "")
        }
        try fixture.expectRefusedAlike(removed, "events.jsonl line 42: the previousHash of position 42 is not the hash of the line before it (that line or this one was altered)")
        let respelled = try fixture.export("respelled")
        try AuditFixture.edit(respelled, ExportBundle.events) { lines in
            lines[40] = lines[40].replacingOccurrences(of: "2026-03-14T09:41:00Z", with: "2026-03-14T10:41:00+01:00")
        }
        #expect(fixture.refusal(respelled)?.contains("line 41") == true)
    }
}
