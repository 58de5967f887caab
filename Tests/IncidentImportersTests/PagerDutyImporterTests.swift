import Foundation
import IncidentEvents
import IncidentImporters
import LedgerModel
import Testing

/// The PagerDuty webhook (v3) deliveries under Fixtures/PagerDuty, one per event type, all about incident #1234.
enum PagerDutyFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/PagerDuty")

    static func body(_ type: String) -> [UInt8] {
        Array(try! Data(contentsOf: folder.appendingPathComponent("\(type).json")))
    }
}

@Suite struct PagerDutyImporterTests {
    static func typed(_ event: StreamEvent) throws -> IncidentEvent {
        try Catalog.decode(type: event.event.type, schemaVersion: event.event.schemaVersion, payload: try event.event.payload.decoded().objectValue ?? [:])
    }

    static func mapped(_ type: String, known: Bool = true) throws -> PagerDutyImport {
        let event = try PagerDutyImporter.read(PagerDutyFixtures.body(type))
        return PagerDutyImporter.map(event, stream: event.stream(prefix: "PD-")!, incidentKnown: known)
    }

    @Test func aTriggerDeclaresTheIncidentNamedByItsNumber() throws {
        let result = try Self.mapped("incident.triggered", known: false)
        #expect(result.warnings.isEmpty)
        let incident = try #require(result.incident)
        #expect(incident.stream == "PD-1234")
        #expect(incident.sourceID == "Q2M7NWTX4E0JXC")
        #expect(incident.events.count == 1)
        let event = incident.events[0].event
        #expect(event.id == PagerDutyImporter.declarationID(incident: "Q2M7NWTX4E0JXC"))
        #expect(event.occurredAt == (try Timestamp(rfc3339: "2026-03-14T23:09:41Z")))
        #expect(event.actor == Actor(kind: .tool, id: "pagerduty"))
        #expect(event.source == "webhook:pagerduty")
        guard case .declared(let declared) = try Self.typed(incident.events[0]) else { Issue.record("not a declaration"); return }
        #expect(declared.title == "Checkout API returning 502s in eu-west-1")
        #expect(declared.severity == .sev2)  // priority P2
        #expect(declared.services == ["checkout-api"])
        #expect(declared.detectedBy == .monitoring)  // triggered by the service's integration, not a person
        #expect(declared.unknownTimes == nil)
    }

    @Test(arguments: [
        ("incident.acknowledged", "incident.acknowledged"), ("incident.escalated", "incident.responder_assigned"),
        ("incident.priority_updated", "incident.severity_changed"), ("incident.annotated", "incident.note_added"),
        ("incident.resolved", "incident.resolved"), ("incident.reopened", "incident.reopened"),
    ])
    func eachEventTypeMapsToItsCatalogEvent(delivery: String, catalogType: String) throws {
        let result = try Self.mapped(delivery)
        #expect(result.warnings.isEmpty)
        let events = try #require(result.incident).events
        #expect(events.map(\.event.type) == [catalogType])
        let event = try PagerDutyImporter.read(PagerDutyFixtures.body(delivery))
        #expect(events[0].event.id == PagerDutyImporter.eventID(event: event.id, part: delivery == "incident.escalated" ? "assignee/1" : nil))
        #expect(events[0].event.occurredAt == event.occurredAt)
        #expect(events[0].event.sourceRecordedAt == event.occurredAt)
    }

    @Test func theMappedPayloadsSayWhatPagerDutySaid() throws {
        guard case .acknowledged(let ack) = try Self.typed(try #require(try Self.mapped("incident.acknowledged").incident).events[0]) else { Issue.record(); return }
        #expect(ack.by == "Dana Whitfield")
        guard case .responderAssigned(let assigned) = try Self.typed(try #require(try Self.mapped("incident.escalated").incident).events[0]) else { Issue.record(); return }
        #expect(assigned == ResponderAssigned(person: "Omar Haddad", role: .engineer))
        guard case .severityChanged(let changed) = try Self.typed(try #require(try Self.mapped("incident.priority_updated").incident).events[0]) else { Issue.record(); return }
        #expect(changed.severity == .sev1)
        #expect(changed.reason == "PagerDuty priority P1, set by Omar Haddad")
        guard case .noteAdded(let note) = try Self.typed(try #require(try Self.mapped("incident.annotated").incident).events[0]) else { Issue.record(); return }
        #expect(note.text == "Rolling back the gateway pool change from 22:58; ETA 15 minutes.")
        guard case .resolved(let resolved) = try Self.typed(try #require(try Self.mapped("incident.resolved").incident).events[0]) else { Issue.record(); return }
        #expect(resolved.summary == "Resolved in PagerDuty by Omar Haddad: Checkout API returning 502s in eu-west-1")
    }

    /// An acknowledgement before any trigger (the receiver configured mid-incident): the incident is
    /// declared first from the delivery's incident data, under the id its trigger would have used.
    @Test func aDeliveryForAnUnknownIncidentDeclaresItFirst() throws {
        let result = try Self.mapped("incident.acknowledged", known: false)
        #expect(result.warnings.map(\.kind) == [.undeclaredIncident])
        let events = try #require(result.incident).events
        #expect(events.map(\.event.type) == ["incident.declared", "incident.acknowledged"])
        #expect(events[0].event.id == PagerDutyImporter.declarationID(incident: "Q2M7NWTX4E0JXC"))
        #expect(events[0].event.occurredAt == (try Timestamp(rfc3339: "2026-03-14T23:09:41Z")))
        guard case .declared(let declared) = try Self.typed(events[0]) else { Issue.record(); return }
        #expect(declared.detectedBy == nil)
        #expect(declared.unknownTimes == nil)
    }

    /// A note carries only a reference to its incident: declared from it, the incident has the
    /// reference's title, the note's time and its start marked unknown, so no clock runs from a guess.
    @Test func aNoteForAnUnknownIncidentDeclaresItWithItsStartUnknown() throws {
        let event = try PagerDutyImporter.read(PagerDutyFixtures.body("incident.annotated"))
        #expect(event.stream(prefix: "PD-") == "PD-Q2M7NWTX4E0JXC")  // a note's reference has no number
        let result = PagerDutyImporter.map(event, stream: "PD-1234", incidentKnown: false)
        #expect(Set(result.warnings.map(\.kind)) == [.undeclaredIncident, .missingField])
        let events = try #require(result.incident).events
        #expect(events.map(\.event.type) == ["incident.declared", "incident.note_added"])
        #expect(events[0].event.occurredAt == event.occurredAt)
        guard case .declared(let declared) = try Self.typed(events[0]) else { Issue.record(); return }
        #expect(declared.title == "Checkout API returning 502s in eu-west-1")
        #expect(declared.unknownTimes == .start)
    }

    @Test func aRedeliveryMapsToTheSameEventsByteForByte() throws {
        for type in ["incident.triggered", "incident.escalated", "incident.annotated"] {
            #expect(try Self.mapped(type, known: false).incident == (try Self.mapped(type, known: false).incident))
        }
    }

    @Test(arguments: [
        ("P1", nil, Severity.sev1), ("p3", "low", .sev3), ("P5", "high", .sev4), ("SEV-2", nil, .sev2), ("Sev1", nil, .sev1),
        ("Critical", "high", .sev2), (nil, "high", .sev2), (nil, "low", .sev3), (nil, nil, .sev3),
    ] as [(String?, String?, Severity)])
    func severityComesFromPriorityThenUrgency(priority: String?, urgency: String?, severity: Severity) {
        #expect(PagerDutyImporter.severity(priority: priority, urgency: urgency).severity == severity)
    }

    @Test func typesTheLedgerDoesNotMapAreAnsweredWithAWarning() throws {
        var body = try JSONParser.parse(PagerDutyFixtures.body("incident.acknowledged")).objectValue!
        var event = body["event"]!.objectValue!
        event["event_type"] = "incident.unacknowledged"
        body["event"] = .object(event)
        let read = try PagerDutyImporter.read(JSONValue.object(body).canonicalBytes)
        let result = PagerDutyImporter.map(read, stream: "PD-1234", incidentKnown: true)
        #expect(result.incident == nil)
        #expect(result.warnings.map(\.kind) == [.unknownValue])
    }

    @Test(arguments: ["", "[]", #"{"messages": []}"#, #"{"event": {"id": "x", "event_type": "incident.triggered"}}"#])
    func aBodyThatIsNotADeliveryIsRefused(text: String) {
        #expect(throws: PagerDutyImportError.self) { try PagerDutyImporter.read(Array(text.utf8)) }
    }
}
