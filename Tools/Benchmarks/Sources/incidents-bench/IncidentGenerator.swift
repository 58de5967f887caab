import Foundation
import LedgerModel
import struct IncidentGenerator.SeededRandom

/// The project's SplitMix64, so every run appends the same events.
typealias SeededGenerator = SeededRandom

/// Makes realistic incident histories: many incidents open at overlapping times, each a run of
/// declared → status updates, comments, customer impact, responders, severity changes → resolved,
/// all interleaved in the order they happened.
///
/// Payloads carry titles, status-update text and customer ids, so that a stored record is about
/// 300–500 bytes, as in a real incident tool.
struct IncidentGenerator {
    /// The events on average in one incident (stream).
    static let eventsPerIncident = 100

    private var random: SeededGenerator
    private let correlationID: String?

    init(seed: UInt64, correlationID: String? = nil) {
        random = SeededGenerator(seed: seed)
        self.correlationID = correlationID
    }

    /// `count` events over about `count / 100` incidents, in the order they occurred.
    mutating func events(count: Int) -> [StreamEvent] {
        let incidents = max(1, count / Self.eventsPerIncident)
        let lengths = incidentLengths(total: count, incidents: incidents)
        let streams = (0..<incidents).map { Self.streamID($0) }

        // First when each event happened, as light (time, incident, ordinal) slots sorted by time;
        // then the events themselves, in that order.
        let window: Int64 = 2 * 365 * 86_400 * 1_000_000  // two years of history
        let start = Timestamp(microsecondsSinceEpoch: 1_735_689_600_000_000)  // 2025-01-01T00:00:00Z
        var slots = [Slot]()
        slots.reserveCapacity(count)
        for (incident, length) in lengths.enumerated() {
            var time = start.microsecondsSinceEpoch + Int64.random(in: 0..<window, using: &random)
            for ordinal in 0..<length {
                slots.append(Slot(time: time, incident: Int32(incident), ordinal: Int32(ordinal)))
                // Seconds to hours between the facts of one incident.
                time += Int64.random(in: 5_000_000...7_200_000_000, using: &random)
            }
        }
        slots.sort { $0.time < $1.time }

        var incidentState = [IncidentState](repeating: IncidentState(), count: incidents)
        return slots.map { slot in
            let incident = Int(slot.incident)
            let isLast = Int(slot.ordinal) == lengths[incident] - 1
            let occurredAt = Timestamp(microsecondsSinceEpoch: slot.time)
            return StreamEvent(
                stream: streams[incident],
                event: event(ordinal: Int(slot.ordinal), isLast: isLast, at: occurredAt, state: &incidentState[incident]))
        }
    }

    // MARK: Incidents

    private struct Slot {
        var time: Int64
        var incident: Int32
        var ordinal: Int32
    }

    /// What an incident has become so far, so that its later events follow from its earlier ones.
    private struct IncidentState {
        var severity = 3
        var statusUpdates = 0
        var service = ""
    }

    /// Incident lengths adding up to `total`, varying from about 40% to 160% of the mean.
    private mutating func incidentLengths(total: Int, incidents: Int) -> [Int] {
        var lengths = [Int](repeating: total / incidents, count: incidents)
        for index in 0..<(total % incidents) { lengths[index] += 1 }
        // Move events between pairs of incidents: the total stays exact, the lengths spread.
        for index in stride(from: 0, to: incidents - 1, by: 2) {
            let smaller = min(lengths[index], lengths[index + 1])
            guard smaller > 2 else { continue }
            let shift = Int.random(in: 0...(smaller * 3 / 5), using: &random)
            lengths[index] -= shift
            lengths[index + 1] += shift
        }
        return lengths
    }

    static func streamID(_ incident: Int) -> String {
        let digits = String(incident + 1)
        return "INC-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    // MARK: Events

    private mutating func event(ordinal: Int, isLast: Bool, at time: Timestamp, state: inout IncidentState) -> ProposedEvent {
        let type: String
        var fields: [String: JSONValue]
        let actor: Actor
        let source: String
        if ordinal == 0 {
            state.service = pick(Vocabulary.services)
            state.severity = Int.random(in: 1...4, using: &random)
            let customers = (0..<Int.random(in: 2...6, using: &random)).map { _ in customerID() }
            type = "incident.declared"
            fields = [
                "title": .string("\(pick(Vocabulary.symptoms)) in \(state.service) (\(pick(Vocabulary.regions)))"),
                "summary": .string(sentence(length: 90...150)),
                "severity": .string("sev\(state.severity)"),
                "service": .string(state.service),
                "customerIds": .array(customers.map { .string($0) }),
            ]
            actor = person()
            source = "cli"
        } else if isLast {
            type = "incident.resolved"
            fields = [
                "resolution": .string(sentence(length: 110...200)),
                "rootCause": .string(sentence(length: 60...120)),
                "durationMinutes": .integer(Int64.random(in: 10...10_000, using: &random)),
            ]
            actor = person()
            source = "cli"
        } else {
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<50:
                state.statusUpdates += 1
                type = "incident.status_updated"
                fields = [
                    "status": .string(pick(Vocabulary.statuses)),
                    "message": .string(sentence(length: 130...230)),
                    "updateNumber": .integer(Int64(state.statusUpdates)),
                ]
                actor = person()
                source = pick(["cli", "statuspage", "slack"])
            case 50..<70:
                type = "incident.comment_added"
                fields = ["text": .string(sentence(length: 120...240)), "visibility": "internal"]
                actor = person()
                source = pick(["slack", "cli", "email"])
            case 70..<80:
                let affected = (0..<Int.random(in: 3...8, using: &random)).map { _ in customerID() }
                type = "incident.customer_impact_recorded"
                fields = [
                    "customerIds": .array(affected.map { .string($0) }),
                    "impact": .string(pick(["degraded", "partial_outage", "full_outage"])),
                    "region": .string(pick(Vocabulary.regions)),
                    "note": .string(sentence(length: 40...90)),
                ]
                actor = Actor(kind: .tool, id: pick(["support-desk", "statuspage"]))
                source = "support-desk"
            case 80..<90:
                type = "incident.responder_assigned"
                fields = [
                    "responder": .string(pick(Vocabulary.people)),
                    "role": .string(pick(["incident_commander", "communications", "operations", "subject_expert"])),
                    "note": .string(sentence(length: 60...130)),
                ]
                actor = Actor(kind: .tool, id: "pagerduty")
                source = "pagerduty"
            case 90..<95:
                let from = state.severity
                state.severity = max(1, min(4, from + (Bool.random(using: &random) ? 1 : -1)))
                type = "incident.severity_changed"
                fields = [
                    "from": .string("sev\(from)"), "to": .string("sev\(state.severity)"),
                    "reason": .string(sentence(length: 70...140)),
                ]
                actor = person()
                source = "cli"
            default:
                type = "incident.alert_linked"
                fields = [
                    "alertId": .string("alert-\(UInt32.random(in: 0...UInt32.max, using: &random))"),
                    "monitor": .string("\(state.service) \(pick(Vocabulary.symptoms).lowercased())"),
                    "dashboardUrl": .string("https://grafana.example.com/d/\(state.service)?from=\(time.microsecondsSinceEpoch / 1000)"),
                ]
                actor = Actor(kind: .tool, id: "datadog")
                source = "datadog"
            }
        }
        return ProposedEvent(
            id: uuidVersion7(at: time), type: type, occurredAt: time, actor: actor, source: source,
            correlationID: correlationID, payload: Payload(fields))
    }

    /// A version 7 UUID for the time the event occurred, from the seeded generator.
    private mutating func uuidVersion7(at time: Timestamp) -> UUID {
        let milliseconds = UInt64(max(0, time.microsecondsSinceEpoch / 1000))
        let high = random.next()
        let low = random.next()
        // 48 bits of milliseconds, version 7, 12 random bits; variant 10, 62 random bits.
        let first = milliseconds << 16 | 0x7000 | (high & 0x0FFF)
        let second = 0x8000_0000_0000_0000 | (low & 0x3FFF_FFFF_FFFF_FFFF)
        var bytes = (UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0),
                     UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0))
        withUnsafeMutableBytes(of: &bytes) { raw in
            raw.storeBytes(of: first.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: second.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        return UUID(uuid: bytes)
    }

    private mutating func person() -> Actor {
        Actor(kind: .person, id: pick(Vocabulary.people))
    }

    private mutating func customerID() -> String {
        "cus_" + String(UInt32.random(in: 0x1000_0000...UInt32.max, using: &random), radix: 16)
    }

    private mutating func pick<Element>(_ choices: [Element]) -> Element {
        choices[Int.random(in: 0..<choices.count, using: &random)]
    }

    /// Words from the incident vocabulary until the text is about `length` characters long.
    private mutating func sentence(length: ClosedRange<Int>) -> String {
        let target = Int.random(in: length, using: &random)
        var text = pick(Vocabulary.openings)
        while text.utf8.count < target {
            text += " " + pick(Vocabulary.words)
        }
        return text + "."
    }
}

/// The words incident histories are made of.
private enum Vocabulary {
    static let services = [
        "checkout-api", "payments", "search", "auth", "notifications", "billing", "inventory", "web-frontend",
        "mobile-gateway", "reporting", "ingest-pipeline", "dns",
    ]
    static let regions = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-2"]
    static let statuses = ["investigating", "identified", "monitoring", "update"]
    static let symptoms = [
        "Elevated error rates", "Increased latency", "Partial outage", "Failed logins", "Delayed emails",
        "Timeouts", "Stale search results", "Card payments declined",
    ]
    static let openings = [
        "We are investigating", "The team has identified", "Customers report", "We continue to monitor",
        "A fix has been deployed for", "Engineers are rolling back", "Error rates are recovering for",
    ]
    static let words = [
        "elevated", "errors", "on", "the", "checkout", "flow", "for", "some", "customers", "in", "region",
        "after", "a", "configuration", "change", "to", "load", "balancer", "pool", "database", "replica",
        "lag", "caused", "retries", "and", "timeouts", "upstream", "provider", "certificate", "rotation",
        "queue", "backlog", "is", "draining", "we", "will", "post", "an", "update", "within", "30",
        "minutes", "mitigation", "traffic", "shifted", "healthy", "nodes", "cache", "invalidation",
    ]
    static let people: [String] = {
        let first = ["ana", "ben", "chloe", "dev", "emma", "farid", "grace", "hiro", "ines", "jonas", "kofi", "lena"]
        let last = ["garcia", "smith", "novak", "okafor", "tanaka", "muller", "rossi", "nguyen", "kowalski", "silva"]
        return first.flatMap { name in last.map { "\(name).\($0)@example.com" } }
    }()
}
