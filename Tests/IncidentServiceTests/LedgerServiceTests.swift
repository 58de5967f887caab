import Foundation
import IncidentEvents
import IncidentMetrics
import IncidentProjections
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// The service's use cases over a real ledger: envelope defaults, refusals, and reads that never write.
@Suite struct LedgerServiceTests {
    static let declared = IncidentDeclared(
        title: "Checkout errors", severity: .sev2, impactStartedAt: SampleEvents.epoch, detectedAt: SampleEvents.epoch.adding(seconds: 60))

    static func draft(_ event: IncidentEvent, stream: String = "INC-1", id: UUID? = nil, at: Timestamp? = nil, actor: Actor? = nil) -> EventDraft {
        let proposed = Catalog.proposed(event, occurredAt: SampleEvents.epoch, actor: Actor(kind: .tool, id: "unused"), source: "test")
        return EventDraft(
            stream: stream, type: proposed.type, schemaVersion: proposed.schemaVersion, payload: proposed.payload, id: id, occurredAt: at,
            actor: actor, source: "test")
    }

    /// A service whose clock, ids and actor are fixed, so every default it fills in is known.
    static func service(_ ledger: Ledger, actor: Actor? = Actor(kind: .person, id: "jane")) -> LedgerService {
        let clock = SampleEvents.fixedClock(offsetSeconds: 600)
        return LedgerService(ledger: ledger, defaults: RecordingDefaults(clock: clock, newID: { SampleEvents.uuid(77) }, actor: actor))
    }

    @Test func theEnvelopeIsCompletedFromThePassedInDefaults() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 3600))
        let service = Self.service(ledger)
        let results = try await service.record(Self.draft(.declared(Self.declared)))
        let recorded = try #require(try ledger.read { try $0.event(at: results[0].positions.lowerBound) })
        #expect(recorded.id == SampleEvents.uuid(77))
        #expect(recorded.occurredAt == SampleEvents.fixedClock(offsetSeconds: 600)())
        #expect(recorded.actor == Actor(kind: .person, id: "jane"))
        // A draft's own actor and time win over the defaults.
        let noted = Self.draft(.noteAdded(InternalNoteAdded(text: "paged")), id: SampleEvents.uuid(78), at: SampleEvents.epoch.adding(seconds: 120), actor: Actor(kind: .tool, id: "pager"))
        let second = try await service.record(noted)
        let event = try #require(try ledger.read { try $0.event(at: second[0].positions.lowerBound) })
        #expect(event.actor == Actor(kind: .tool, id: "pager"))
        #expect(event.occurredAt == SampleEvents.epoch.adding(seconds: 120))
        // A retry of that id with no time is exact: it takes the time first recorded, writing nothing.
        let retry = try await service.record(Self.draft(.noteAdded(InternalNoteAdded(text: "paged")), id: SampleEvents.uuid(78), actor: Actor(kind: .tool, id: "pager")))
        #expect(retry[0].alreadyRecorded)
        #expect(try ledger.read { try $0.head() }.position == 2)
    }

    @Test func anEventWithNoActorIsRefusedAndNothingIsWritten() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let service = Self.service(ledger, actor: nil)
        await #expect(throws: ServiceError(.noActor, "who records the event is not known")) {
            try await service.record(Self.draft(.declared(Self.declared)))
        }
        #expect(try ledger.read { try $0.head() } == .empty)
        // With an actor of its own, the same event is recorded.
        _ = try await service.record(Self.draft(.declared(Self.declared), actor: Actor(kind: .system, id: "monitor")))
        #expect(try ledger.read { try $0.head() }.position == 1)
    }

    @Test func writesCatchTheStoredProjectionsUpAndReadsNeverWrite() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let service = Self.service(ledger)
        _ = try await service.record(Self.draft(.declared(Self.declared)))
        let stored = ProjectionRunner(ledger: ledger)
        #expect(try stored.status(IncidentStateProjection.self).isCurrent, "a write leaves the stored projection current")
        // Another writer appends straight to the store, past the service: the stored projection is behind.
        let other = Catalog.proposed(.declared(Self.declared), id: SampleEvents.uuid(90), occurredAt: SampleEvents.epoch, actor: Actor(kind: .tool, id: "t"), source: "test")
        _ = try await ledger.append([other], to: "INC-2")
        let before = try stored.status(IncidentStateProjection.self)
        #expect(before.checkpoint?.position == 1 && before.head == 2)
        // Reads see INC-2 (declared first), folded in memory, and leave the stored projection as it was.
        #expect(try service.incidents(matching: IncidentQuery()).map(\.incident) == ["INC-2", "INC-1"])
        #expect(try service.detail(of: "INC-2", asOf: SampleEvents.epoch)?.summary.title == "Checkout errors")
        #expect(try service.metricFacts().facts.count == 2)
        #expect(try service.postmortem(of: "INC-2", asOf: SampleEvents.epoch) != nil)
        let after = try stored.status(IncidentStateProjection.self)
        #expect(after.checkpoint == before.checkpoint)
        #expect(try stored.status(IncidentMetricsProjection.self).checkpoint?.position == 1)
        // The next write through the service stores the catch-up.
        _ = try await service.record(Self.draft(.noteAdded(InternalNoteAdded(text: "x")), stream: "INC-2", id: SampleEvents.uuid(91)))
        #expect(try stored.status(IncidentStateProjection.self).isCurrent)
    }

    @Test func theListQueryFiltersAndOrders() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let service = Self.service(ledger)
        for (number, severity) in [(3, Severity.sev1), (1, .sev2), (2, .sev1)] {
            var declared = Self.declared
            declared.severity = severity
            let at = SampleEvents.epoch.adding(seconds: Int64(number) * 60)
            _ = try await service.record(Self.draft(.declared(declared), stream: "INC-\(number)", id: SampleEvents.uuid(number), at: at))
        }
        #expect(try service.incidents(matching: IncidentQuery()).map(\.incident) == ["INC-1", "INC-2", "INC-3"])
        #expect(try service.incidents(matching: IncidentQuery(severity: .sev1)).map(\.incident) == ["INC-2", "INC-3"])
        #expect(try service.incidents(matching: IncidentQuery(since: SampleEvents.epoch.adding(seconds: 120))).map(\.incident) == ["INC-2", "INC-3"])
        #expect(try service.incidents(matching: IncidentQuery(phase: .phase(.resolved))).isEmpty)
    }
}
