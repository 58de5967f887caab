import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import IncidentEvents

/// The template library's events: where they go, what may follow what, placeholders, and the starter library.
@Suite struct TemplateLibraryTests {
    static let content = TemplateContent(
        templateId: "acknowledge-en", kind: "acknowledge", language: "en", status: .investigating,
        texts: [TemplateText(channel: .statusPage, text: "We are looking into {service}.")])
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func refusal(_ event: IncidentEvent, after earlier: [IncidentEvent] = [], stream: String = LedgerStream.templates) -> EventInputError? {
        var facts = IncidentFacts()
        for event in earlier {
            facts.apply(event, id: UUID(), type: type(of: event.payload).type, schemaVersion: 1, payload: Payload(event.payload.json), occurredAt: SampleEvents.epoch)
        }
        do {
            try IncidentRules.check(event, occurredAt: SampleEvents.epoch, stream: stream, facts: facts, now: SampleEvents.epoch)
            return nil
        } catch {
            return error
        }
    }

    @Test func templatesAreDefinedOnceRevisedWhileOfferedAndRetiredOnce() {
        var revised = Self.content
        revised.texts[0].text = "We are investigating {service}."
        let defined = IncidentEvent.templateDefined(TemplateDefined(Self.content))
        #expect(Self.refusal(defined) == nil)
        #expect(Self.refusal(.templateRevised(TemplateRevised(revised)), after: [defined]) == nil)
        #expect(Self.refusal(defined, after: [defined])?.reason.contains("is already defined; record template.revised") == true)
        #expect(Self.refusal(.templateRevised(TemplateRevised(revised)))?.reason.contains("no template 'acknowledge-en' is defined") == true)
        let retired = IncidentEvent.templateRetired(TemplateRetired(templateId: "acknowledge-en", reason: "replaced"))
        #expect(Self.refusal(retired, after: [defined]) == nil)
        #expect(Self.refusal(retired, after: [defined, retired])?.reason.contains("is retired") == true)
        #expect(Self.refusal(defined, after: [defined, retired])?.reason.contains("was retired; choose another name") == true)
        // Template events stay in their stream, and incident events out of it.
        #expect(Self.refusal(defined, stream: "INC-1")?.reason.contains("template.defined belongs in the ledger's templates stream ledger.templates, not in an incident") == true)
        #expect(Self.refusal(defined, stream: LedgerStream.access)?.field == "stream")
        #expect(Self.refusal(.noteAdded(InternalNoteAdded(text: "x")))?.reason.contains("holds template.defined and template.revised and template.retired only") == true)
        #expect(LedgerStream.isReserved(LedgerStream.templates))
    }

    @Test func theLibraryKeepsEveryVersion() {
        var library = TemplateLibrary()
        var second = Self.content
        second.texts.append(TemplateText(channel: .sms, text: "{service}: investigating."))
        library.apply(.templateDefined(TemplateDefined(Self.content)), occurredAt: SampleEvents.epoch)
        library.apply(.templateRevised(TemplateRevised(second)), occurredAt: SampleEvents.epoch.adding(seconds: 60))
        let template = try! #require(library.byID["acknowledge-en"])
        #expect(template.version == 2 && template.versions == [Self.content, second] && template.current == second)
        #expect(template.revisedAt == SampleEvents.epoch.adding(seconds: 60) && !template.isRetired)
    }

    @Test func placeholdersAreNamesInBraces() throws {
        #expect(try TemplatePlaceholders.names(in: "{service} in {regions}; {service} again, {{literal}}") == ["service", "regions"])
        #expect(try TemplatePlaceholders.fill("{a} and {{b}}") { $0.uppercased() } == "A and {b}")
        for bad in ["{Service}", "{ service }", "{open", "close}", "{}"] {
            #expect(throws: TemplatePlaceholderError.self, "\(bad)") { try TemplatePlaceholders.names(in: bad) }
        }
        var malformed = Self.content
        malformed.texts[0].text = "We are looking into {Service}."
        #expect(throws: EventInputError.self) { try TemplateDefined.decode(TemplateDefined(malformed).json) }
        var twice = Self.content
        twice.texts.append(twice.texts[0])
        #expect(throws: EventInputError.self) { try TemplateDefined.decode(TemplateDefined(twice).json) }
        var badName = Self.content
        badName.templateId = "Acknowledge EN"
        #expect(throws: EventInputError.self) { try TemplateDefined.decode(TemplateDefined(badName).json) }
    }

    /// The starter library in docs/examples: six templates in English and six in Spanish, every
    /// channel, each a valid template.defined payload.
    @Test(arguments: ["en", "es"]) func theStarterLibraryLoads(language: String) throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/examples/templates-\(language).json"), encoding: .utf8)
        let library = try TemplateContent.library(fromJSON: text)
        #expect(library.map(\.kind) == ["acknowledge", "investigating", "identified", "monitoring", "resolved", "maintenance"])
        #expect(library.allSatisfy { $0.language == language && $0.templateId.hasSuffix("-\(language)") })
        #expect(library.allSatisfy { Set($0.texts.map(\.channel)) == Set(UpdateChannel.allCases) })
        #expect(library.first { $0.kind == "investigating" }.map { try! TemplatePlaceholders.names(in: $0.text(for: .sms)!) }?.contains("workaround") == true)
        #expect(throws: EventInputError.self) { try TemplateContent.library(fromJSON: "[\(text.dropFirst().dropLast(2)), \(text.dropFirst().dropLast(2))]") }
    }
}
