import Foundation
import IncidentEvents
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing
@testable import IncidentGenerator

@Suite struct HistoryGeneratorTests {
    @Test func theSameSeedGivesTheSameBytes() {
        var first = HistoryGenerator(.init(incidents: 40, seed: 7))
        var second = HistoryGenerator(.init(incidents: 40, seed: 7))
        var other = HistoryGenerator(.init(incidents: 40, seed: 8))
        let a = first.events().map(\.jsonLine)
        #expect(a == second.events().map(\.jsonLine))
        #expect(a != other.events().map(\.jsonLine))
    }

    /// Every generated event keeps the catalog's schemas and the rules of an incident's life.
    @Test func generatedHistoriesPassEveryRule() async throws {
        var generator = HistoryGenerator(.init(incidents: 60, seed: 3))
        let events = generator.events()
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let recorder = EventRecorder(ledger: ledger)
        var start = 0
        while start < events.count {
            let end = min(events.count, start + 997)
            _ = try await recorder.record(Array(events[start..<end]))
            start = end
        }
        #expect(try ledger.read { try $0.eventCount() } == events.count)
        #expect(try ledger.verify().isIntact)
    }

    @Test func theHistoryLooksLikeRealIncidents() {
        var generator = HistoryGenerator(.init(incidents: 2000, seed: 11))
        let events = generator.events()
        let perIncident = Double(events.count) / 2000
        #expect(perIncident > 60 && perIncident < 160, "about 100 events an incident, not \(perIncident)")
        var types = [String: Int]()
        for event in events { types[event.event.type, default: 0] += 1 }
        for type in ["incident.declared", "customer.message_received", "customer.reply_sent", "status_update.published", "escalation.raised",
                     "survey.answered", "survey.expired", "postmortem.action_item_opened", "event.corrected", "incident.closed"] {
            #expect((types[type] ?? 0) > 0, "\(type) never generated")
        }
        #expect(types["incident.declared"] == 2000)
        // Executive escalations are rare; most incidents are not sev1.
        let executive = events.filter { event in
            if case .escalationRaised(let raised)? = try? Catalog.decode(type: event.event.type, schemaVersion: event.event.schemaVersion, payload: (try? event.event.payload.decoded().objectValue) ?? [:]) {
                return raised.toLevel == .executive
            }
            return false
        }.count
        #expect(executive > 0 && executive < 2000)
    }
}
