public import IncidentEvents
import LedgerModel
import LedgerStore

extension LedgerService {
    /// The template library: every template ever defined, retired ones included, with all its versions.
    public func templateLibrary() throws -> TemplateLibrary {
        try ledger.read { reader in try EventRecorder.facts(of: LedgerStream.templates, in: reader).0 }.templates
    }

    /// The template named `id`, retired or not.
    ///
    /// - Throws: ``ServiceError`` `no-such-template` when the library has none of that name.
    public func template(_ id: String) throws -> TemplateLibrary.Template {
        guard let template = try templateLibrary().byID[id] else {
            throw ServiceError(.noSuchTemplate, "no template \(MessageText.quoted(id)) is in the library — `incidents templates list` shows them")
        }
        return template
    }

    /// What adding a template did.
    public enum TemplateChange: String, Sendable {
        /// New to the library: `template.defined`, version 1.
        case defined
        /// In the library with other content: `template.revised`, the next version.
        case revised
        /// In the library with this very content: nothing recorded.
        case unchanged
    }

    /// Adds `content` to the library: defines a new template, or revises the one of that name when
    /// its content differs (nothing is recorded when it is the same, so loading a library again is
    /// harmless). A retired template is not revised: retired names stay retired.
    ///
    /// - Throws: ``LedgerError`` when the event is refused (a retired name, a malformed placeholder).
    public func addTemplate(_ content: TemplateContent, source: String = "cli") async throws -> TemplateChange {
        let existing = try templateLibrary().byID[content.templateId]
        if let existing, !existing.isRetired, existing.current == content { return .unchanged }
        let event: IncidentEvent = existing == nil ? .templateDefined(TemplateDefined(content)) : .templateRevised(TemplateRevised(content))
        try await recordTemplateEvent(event, source: source)
        return existing == nil ? .defined : .revised
    }

    /// Retires the template `id`: it stays in the log, but no new update is made from it.
    ///
    /// - Throws: ``ServiceError`` `no-such-template`; ``LedgerError`` when it is retired already.
    public func retireTemplate(_ id: String, reason: String, source: String = "cli") async throws {
        _ = try template(id)
        try await recordTemplateEvent(.templateRetired(TemplateRetired(templateId: id, reason: reason)), source: source)
    }

    /// Records one template event in ``LedgerStream/templates``, through the catalog's rules, in the defaults' actor's name.
    private func recordTemplateEvent(_ event: IncidentEvent, source: String) async throws {
        guard let actor = defaults.actor else { throw ServiceError(.noActor, "who changes the template library is not known") }
        _ = try await recordInOwnStream(event, at: defaults.clock(), by: actor, source: source)
    }
}
