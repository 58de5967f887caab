import Foundation
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// The template library through the service, on a real ledger: adding, filling for an incident on
/// every channel, recording with the template's id and version, refusing a text over a channel's limit.
@Suite struct TemplateServiceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let now = SampleEvents.epoch.adding(seconds: 600)
    static let declared = IncidentDeclared(
        title: "Payments failing", severity: .sev1, services: ["checkout-api"], regions: ["eu-west-1", "eu-central-1"])

    static func service(_ directory: TemporaryDirectory) throws -> LedgerService {
        let ledger = try Ledger.create(at: directory.path, clock: SampleEvents.fixedClock(offsetSeconds: 600))
        return LedgerService(ledger: ledger, defaults: RecordingDefaults(clock: { now }, newID: { UUID() }, actor: Actor(kind: .person, id: "jane")))
    }

    static func starter(_ language: String) throws -> [TemplateContent] {
        try TemplateContent.library(fromJSON: String(contentsOf: root.appendingPathComponent("docs/examples/templates-\(language).json"), encoding: .utf8))
    }

    static func declare(_ service: LedgerService, _ declared: IncidentDeclared = declared, stream: String = "INC-1") async throws {
        let event = IncidentEvent.declared(declared)
        _ = try await service.record(
            EventDraft(stream: stream, type: IncidentDeclared.type, schemaVersion: event.payload.writtenSchemaVersion, payload: Payload(event.payload.json), occurredAt: SampleEvents.epoch, source: "test"))
    }

    /// The payload fields of an update promising the next one half an hour on.
    static let fields: [String: JSONValue] = ["nextUpdateBy": .string(now.adding(seconds: 1800).rfc3339)]

    @Test func addingALibraryDefinesThenRevisesOnlyWhatChanged() async throws {
        let directory = TemporaryDirectory()
        let service = try Self.service(directory)
        let library = try Self.starter("en")
        for content in library { #expect(try await service.addTemplate(content) == .defined) }
        for content in library { #expect(try await service.addTemplate(content) == .unchanged) }
        var changed = library[0]
        changed.texts[0].text += " Thank you."
        #expect(try await service.addTemplate(changed) == .revised)
        #expect(try service.template(changed.templateId).version == 2)
        try await service.retireTemplate(changed.templateId, reason: "replaced")
        await #expect(throws: LedgerError.self) { try await service.addTemplate(library[0]) }
        #expect(try service.templateLibrary().all.count == 6)
        #expect(throws: ServiceError.self) { try service.template("nope") }
        // The library is no incident: it is not listed.
        #expect(try service.incidents(matching: IncidentQuery()).isEmpty)
    }

    /// Every template of both starter libraries, filled for an incident on every channel, keeps the
    /// standard policy's channel limits and, on an incident at the matching stage, every rule.
    @Test(arguments: ["en", "es"]) func theStarterLibraryFitsEveryChannel(language: String) async throws {
        let directory = TemporaryDirectory()
        let service = try Self.service(directory)
        for content in try Self.starter(language) { _ = try await service.addTemplate(content) }
        try await Self.declare(service)
        let maintenance = IncidentDeclared(
            title: "Reporting upgrade", kind: .scheduledMaintenance, severity: .sev4, services: ["reporting"],
            plannedStart: SampleEvents.epoch.adding(seconds: 86_400 * 5), plannedEnd: SampleEvents.epoch.adding(seconds: 86_400 * 5 + 1200))
        try await Self.declare(service, maintenance, stream: "MNT-1")
        let values = ["workaround": language == "en" ? "pay by bank transfer from the orders page" : "pagar por transferencia desde la página de pedidos"]
        for template in try service.templateLibrary().all {
            let incident = template.current.kind == "maintenance" ? "MNT-1" : "INC-1"
            let filled = try service.fillTemplate(template.current.templateId, for: incident, fields: Self.fields, values: values, at: Self.now)
            #expect(filled.templateVersion == 1)
            #expect(Set(filled.updates.flatMap(\.channels)) == Set(UpdateChannel.allCases))
            for update in filled.updates {
                #expect(!update.text.contains("{") && update.templateId == template.current.templateId && update.templateVersion == 1)
                let limit = update.channels.contains(.sms) ? 160 : update.channels.contains(.socialMedia) ? 280 : 10_000
                #expect(update.text.count <= limit, "\(template.current.templateId) \(update.channels): \(update.text.count)")
            }
        }
        let sms = try service.fillTemplate("acknowledge-\(language)", for: "INC-1", fields: Self.fields, values: [:], at: Self.now).updates.first { $0.channels == [.sms] }
        #expect(sms?.text.contains("checkout-api") == true && sms?.text.contains("eu-west-1, eu-central-1") == true && sms?.text.contains("09:40 UTC") == true)
    }

    @Test func aTemplatedUpdateIsRecordedWithItsTemplateAndVersion() async throws {
        let directory = TemporaryDirectory()
        let service = try Self.service(directory)
        for content in try Self.starter("en") { _ = try await service.addTemplate(content) }
        try await Self.declare(service)
        var fields = Self.fields
        fields["channels"] = ["status_page", "sms"]
        let filled = try service.fillTemplate("acknowledge-en", for: "INC-1", fields: fields, values: [:], at: Self.now)
        #expect(filled.updates.map(\.channels) == [[.statusPage], [.sms]])
        let draft = EventDraft(stream: "INC-1", type: StatusUpdatePublished.type, schemaVersion: 4, payload: Payload([:]), source: "test")
        let recordings = try await service.recordTemplatedUpdate(filled, draft: draft)
        #expect(recordings.count == 2)
        let events = try #require(try service.history(of: "INC-1")).events.filter { $0.type == StatusUpdatePublished.type }
        #expect(events.map(\.schemaVersion) == [4, 4])
        let decoded = try events.map { try Catalog.decode($0) }
        #expect(decoded == filled.updates.map { .statusUpdatePublished($0) })
        #expect(filled.updates.allSatisfy { $0.templateId == "acknowledge-en" && $0.templateVersion == 1 && $0.status == .investigating })
    }

    /// Two distinct texts are two events in one append (one commit): a crash between them cannot leave
    /// half a templated update. Each recording still names its own event.
    @Test func aTemplatedUpdateIsOneAppend() async throws {
        let directory = TemporaryDirectory()
        let service = try Self.service(directory)
        for content in try Self.starter("en") { _ = try await service.addTemplate(content) }
        try await Self.declare(service)
        var fields = Self.fields
        fields["channels"] = ["status_page", "email", "sms"]
        let filled = try service.fillTemplate("acknowledge-en", for: "INC-1", fields: fields, values: ["regions": "Europe"], at: Self.now)
        #expect(filled.updates.count == 3)
        let head = try service.ledger.read { try $0.head() }
        let before = service.ledger.commitTotals
        let draft = EventDraft(stream: "INC-1", type: StatusUpdatePublished.type, schemaVersion: 4, payload: Payload([:]), source: "test")
        let recordings = try await service.recordTemplatedUpdate(filled, draft: draft)
        let after = service.ledger.commitTotals
        #expect(after.appends == before.appends + 1 && after.commits == before.commits + 1, "\(before) → \(after)")
        let first = head.position + 1
        #expect(recordings.map { $0.results.map(\.positions) } == [[first...first], [first + 1...first + 1], [first + 2...first + 2]])
        #expect(recordings.map { $0.results.map(\.streamVersion) } == [[2], [3], [4]])
        #expect(recordings.allSatisfy { $0.results.allSatisfy { $0.stream == "INC-1" && !$0.alreadyRecorded } })
        let events = try #require(try service.history(of: "INC-1")).events.filter { $0.type == StatusUpdatePublished.type }
        #expect(events.map(\.position) == [first, first + 1, first + 2])
    }

    @Test func aTemplateThatCannotBeFilledOrIsTooLongWritesNothing() async throws {
        let directory = TemporaryDirectory()
        let service = try Self.service(directory)
        for content in try Self.starter("en") { _ = try await service.addTemplate(content) }
        try await Self.declare(service)
        let before = try service.ledger.read { try $0.head() }
        // No workaround given, no next update promised, a text given as well, a channel the template lacks.
        #expect(throws: ServiceError.self) { try service.fillTemplate("investigating-workaround-en", for: "INC-1", fields: Self.fields, values: [:], at: Self.now) }
        #expect(throws: ServiceError.self) { try service.fillTemplate("acknowledge-en", for: "INC-1", fields: [:], values: [:], at: Self.now) }
        #expect(throws: ServiceError.self) { try service.fillTemplate("acknowledge-en", for: "INC-1", fields: ["text": "hi"], values: [:], at: Self.now) }
        #expect(throws: ServiceError.self) { try service.fillTemplate("acknowledge-en", for: "INC-9", fields: Self.fields, values: [:], at: Self.now) }
        // A workaround long enough to take the SMS over 160 characters: refused whatever the policy, nothing written.
        let long = ["workaround": String(repeating: "pay by bank transfer ", count: 5)]
        var fields = Self.fields
        fields["channels"] = ["status_page", "sms"]
        let filled = try service.fillTemplate("investigating-workaround-en", for: "INC-1", fields: fields, values: long, at: Self.now)
        let draft = EventDraft(stream: "INC-1", type: StatusUpdatePublished.type, schemaVersion: 4, payload: Payload([:]), source: "test")
        await #expect {
            try await service.recordTemplatedUpdate(filled, draft: draft)
        } throws: { error in
            (error as? LedgerError)?.description.contains("update-sms-too-long") == true
        }
        #expect(try service.ledger.read { try $0.head() } == before)
    }
}
