import Foundation
import IncidentEvents
import LedgerModel
import LedgerTestSupport

/// Random but plausible incident histories for property tests: seeded, so a failure can be replayed.
struct HistoryGenerator {
    var random: SeededGenerator

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    /// `incidents` incidents of up to `maximumEvents` events each, interleaved in one log order.
    mutating func history(incidents: Int, maximumEvents: Int) -> [StreamEvent] {
        var perIncident = (0..<incidents).map { incident(number: $0, events: Int.random(in: 1...maximumEvents, using: &random)) }
        var log = [StreamEvent]()
        while !perIncident.allSatisfy(\.isEmpty) {
            let index = Int.random(in: 0..<perIncident.count, using: &random)
            guard !perIncident[index].isEmpty else { continue }
            log.append(perIncident[index].removeFirst())
        }
        return log
    }

    mutating func incident(number: Int, events count: Int) -> [StreamEvent] {
        let stream = "INC-\(number)"
        var time = SampleEvents.epoch.adding(seconds: Int64(number) * 3600)
        var out = [StreamEvent]()
        var messages = [String]()
        var notes = [UUID]()
        func add(_ event: IncidentEvent, id: UUID = UUID.version7()) {
            time = time.adding(seconds: Int64.random(in: 1...900, using: &random))
            out.append(StreamEvent(stream: stream, event: Catalog.proposed(event, id: id, occurredAt: time, actor: Actor(kind: .person, id: "p"), source: "gen")))
        }
        let declarationID = UUID.version7()
        add(.declared(IncidentDeclared(
            title: "Incident \(number)", severity: Severity.allCases.randomElement(using: &random)!, services: ["svc-\(number % 5)"],
            impactStartedAt: time, detectedAt: time.adding(seconds: 60))), id: declarationID)
        for step in 1..<count {
            switch Int.random(in: 0..<12, using: &random) {
            case 0: add(.acknowledged(IncidentAcknowledged(by: "oncall")))
            case 1: add(.statusChanged(IncidentStatusChanged(status: IncidentStatus.allCases.randomElement(using: &random)!)))
            case 2:
                messages.append("m-\(step)")
                add(.messageReceived(CustomerMessageReceived(messageId: "m-\(step)", channel: .email, customer: "c-\(Int.random(in: 0..<4, using: &random))")))
            case 3 where !messages.isEmpty: add(.replySent(CustomerReplySent(inReplyTo: messages.randomElement(using: &random)!, channel: .email, customer: "c")))
            case 4: add(.statusUpdatePublished(StatusUpdatePublished(status: .investigating, channels: [.statusPage], text: "u\(step)", nextUpdateBy: time.adding(seconds: 1800))))
            case 5: add(.escalationRaised(EscalationRaised(escalationId: "e-\(step)", fromLevel: .support, toLevel: EscalationLevel.allCases.dropFirst().randomElement(using: &random)!, reason: .severity)))
            case 6:
                let id = UUID.version7()
                notes.append(id)
                add(.noteAdded(InternalNoteAdded(text: "note \(step)")), id: id)
            case 7: add(.severityChanged(IncidentSeverityChanged(severity: Severity.allCases.randomElement(using: &random)!, reason: "r")))
            case 8: add(.corrected(EventCorrected(target: declarationID.uuidString, fields: ["severity": .string(Severity.allCases.randomElement(using: &random)!.rawValue)], reason: "fix")))
            case 9 where !notes.isEmpty: add(.retracted(EventRetracted(target: notes.removeFirst().uuidString, reason: "mistake")))
            case 10: add(.resolved(IncidentResolved(summary: "fixed \(step)")))
            default: add(.scopeChanged(IncidentScopeChanged(customersAffected: Int64.random(in: 0...500, using: &random))))
            }
        }
        return out
    }
}
