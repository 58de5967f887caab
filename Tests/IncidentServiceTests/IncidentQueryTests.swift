import Foundation
import IncidentEvents
import IncidentMetrics
import IncidentProjections
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// The list's filters by service, text and period, over a real ledger, as every entry point reaches them.
@Suite struct IncidentQueryTests {
    static func at(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }

    /// Four incidents: a scope that changed after declaration, titles in Cyrillic and with accents, a
    /// service name with an umlaut, and declarations on both edges of 2026-Q3.
    static func ledger(_ directory: TemporaryDirectory) async throws -> LedgerService {
        let ledger = try Ledger.create(at: directory.path)
        let clock: @Sendable () -> Timestamp = { Self.at("2026-12-01T00:00:00Z") }
        let service = LedgerService(ledger: ledger, defaults: RecordingDefaults(clock: clock, newID: { UUID() }, actor: Actor(kind: .person, id: "jane")))
        let incidents: [(String, String, [String], String)] = [
            ("INC-1", "Checkout errors", ["checkout-api"], "2026-07-15T10:00:00Z"),
            ("INC-2", "Ошибки оплаты", ["billing"], "2026-06-30T23:59:59Z"),
            ("INC-3", "Atención: pagos lentos", ["Zürich-gateway"], "2026-09-30T23:59:59Z"),
            ("INC-4", "Database upgrade", ["reporting"], "2026-10-01T00:00:00Z"),
        ]
        for (number, (incident, title, services, declared)) in incidents.enumerated() {
            let event = IncidentEvent.declared(IncidentDeclared(title: title, severity: .sev2, services: services))
            _ = try await service.record(LedgerServiceTests.draft(event, stream: incident, id: SampleEvents.uuid(number + 1), at: Self.at(declared)))
        }
        let scope = IncidentEvent.scopeChanged(IncidentScopeChanged(services: ["Payments", "checkout-web"]))
        _ = try await service.record(LedgerServiceTests.draft(scope, stream: "INC-1", id: SampleEvents.uuid(10), at: Self.at("2026-07-15T10:30:00Z")))
        return service
    }

    static func ids(_ service: LedgerService, _ query: IncidentQuery) throws -> [String] {
        try service.incidents(matching: query).map(\.incident)
    }

    @Test func theServiceFilterMatchesTheFinalScopeExactlyInAnyCase() async throws {
        let directory = TemporaryDirectory()
        let service = try await Self.ledger(directory)
        #expect(try Self.ids(service, IncidentQuery(service: "Payments")) == ["INC-1"])
        #expect(try Self.ids(service, IncidentQuery(service: "PAYMENTS")) == ["INC-1"])
        #expect(try Self.ids(service, IncidentQuery(service: "checkout-web")) == ["INC-1"])
        // The scope declared first was replaced; a part of a name is no match.
        #expect(try Self.ids(service, IncidentQuery(service: "checkout-api")).isEmpty)
        #expect(try Self.ids(service, IncidentQuery(service: "pay")).isEmpty)
        #expect(try Self.ids(service, IncidentQuery(service: "checkout")).isEmpty)
        // A name typed with a combining umlaut and in capitals names the same service.
        #expect(try Self.ids(service, IncidentQuery(service: "ZU\u{0308}RICH-GATEWAY")) == ["INC-3"])
        #expect(try Self.ids(service, IncidentQuery(service: "Zurich-gateway")).isEmpty)
        #expect(try Self.ids(service, IncidentQuery(severity: .sev1, service: "billing")).isEmpty)
    }

    @Test func theTextFilterFindsTitlesAndIdsInAnyCaseWithOrWithoutAccents() async throws {
        let directory = TemporaryDirectory()
        let service = try await Self.ledger(directory)
        #expect(try Self.ids(service, IncidentQuery(text: "checkout")) == ["INC-1"])
        #expect(try Self.ids(service, IncidentQuery(text: "ERRORS")) == ["INC-1"])
        // Another script: Cyrillic, in the other case.
        #expect(try Self.ids(service, IncidentQuery(text: "ОПЛАТЫ")) == ["INC-2"])
        #expect(try Self.ids(service, IncidentQuery(text: "ошибки")) == ["INC-2"])
        // Diacritics: without the accent, with it precomposed, and with it combining, in capitals.
        #expect(try Self.ids(service, IncidentQuery(text: "atencion")) == ["INC-3"])
        #expect(try Self.ids(service, IncidentQuery(text: "Atención")) == ["INC-3"])
        #expect(try Self.ids(service, IncidentQuery(text: "ATENCIO\u{0301}N: PAGOS")) == ["INC-3"])
        // The id, in any case.
        #expect(try Self.ids(service, IncidentQuery(text: "inc-4")) == ["INC-4"])
        #expect(try Self.ids(service, IncidentQuery(text: "INC-")) == ["INC-2", "INC-1", "INC-3", "INC-4"])
        #expect(try Self.ids(service, IncidentQuery(text: "")) == ["INC-2", "INC-1", "INC-3", "INC-4"])
        #expect(try Self.ids(service, IncidentQuery(text: "outage")).isEmpty)
        // Text is not the scope: a service's name is found by --service only.
        #expect(try Self.ids(service, IncidentQuery(text: "billing")).isEmpty)
    }

    @Test func thePeriodFilterTakesTheDeclarationsWithinItEndExcluded() async throws {
        let directory = TemporaryDirectory()
        let service = try await Self.ledger(directory)
        let quarter = try #require(CalendarPeriod.parse("2026-Q3"))
        let july = try #require(CalendarPeriod.parse("2026-07"))
        let days = try #require(CalendarPeriod.parse("2026-06-30..2026-07-16"))
        let next = try #require(CalendarPeriod.parse("2026-Q4"))
        #expect(try Self.ids(service, IncidentQuery(period: quarter)) == ["INC-1", "INC-3"])
        #expect(try Self.ids(service, IncidentQuery(period: july)) == ["INC-1"])
        #expect(try Self.ids(service, IncidentQuery(period: days)) == ["INC-2", "INC-1"])
        #expect(try Self.ids(service, IncidentQuery(period: next)) == ["INC-4"])
        // With since and until as well, every filter applies.
        #expect(try Self.ids(service, IncidentQuery(period: quarter, since: Self.at("2026-08-01T00:00:00Z"))) == ["INC-3"])
        #expect(try Self.ids(service, IncidentQuery(text: "pagos", period: quarter, until: Self.at("2026-08-01T00:00:00Z"))).isEmpty)
    }
}
