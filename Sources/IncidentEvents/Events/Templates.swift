public import LedgerModel

extension LedgerStream {
    /// The library of prepared messages: `template.defined`, `template.revised` and
    /// `template.retired`, and nothing else. Every version stays in the log, so an update can name
    /// the template and version it came from (`templateId`, `templateVersion`).
    public static let templates = "ledger.templates"
}

/// One channel's text of a template, with `{placeholders}`.
public struct TemplateText: PayloadObject {
    public var channel: UpdateChannel
    public var text: String

    public init(channel: UpdateChannel, text: String) {
        self.channel = channel
        self.text = text
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        channel = try r.value("channel", "The channel this text is for.")
        text = try r.string("text", "The text, with placeholders in braces: {service}, {regions}, {next_update}, {eta} … (docs/playbook-rules.md).", maxLength: 10_000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("channel", channel)
        w.set("text", text)
    }
}

/// The fields every version of a template has; `template.defined` and `template.revised` carry them whole.
public struct TemplateContent: Sendable, Hashable {
    public var templateId: String
    public var kind: String
    public var language: String
    public var status: PublicStatus
    public var texts: [TemplateText]

    public init(templateId: String, kind: String, language: String, status: PublicStatus, texts: [TemplateText]) {
        self.templateId = templateId
        self.kind = kind
        self.language = language
        self.status = status
        self.texts = texts
    }

    static func read(_ r: inout PayloadReader) throws(EventInputError) -> TemplateContent {
        TemplateContent(
            templateId: try r.string("templateId", "The template's name, its id: lower-case letters, digits and hyphens, such as investigating-workaround-en.", maxLength: 100),
            kind: try r.string("kind", "The kind of outage or moment it fits, such as acknowledge, investigating, identified, monitoring, resolved, maintenance.", maxLength: 200),
            language: try r.string("language", "The language of its texts, as a BCP 47 tag (en, es).", maxLength: 35),
            status: try r.value("status", "The status an update made from it announces."),
            texts: try r.objects("texts", "One text per channel; a channel at most once.", minItems: 1))
    }

    func write(to w: inout PayloadWriter) {
        w.set("templateId", templateId)
        w.set("kind", kind)
        w.set("language", language)
        w.set("status", status)
        w.set("texts", texts)
    }

    func validate() throws(EventInputError) {
        guard !templateId.isEmpty, templateId.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw EventInputError(field: "payload.templateId", reason: "\(MessageText.quoted(templateId)) is not a template name: use lower-case letters, digits and hyphens")
        }
        guard Set(texts.map(\.channel)).count == texts.count else {
            throw EventInputError(field: "payload.texts", reason: "gives a channel twice; give each channel one text")
        }
        for (index, text) in texts.enumerated() {
            do throws(TemplatePlaceholderError) {
                _ = try TemplatePlaceholders.names(in: text.text)
            } catch {
                throw EventInputError(field: "payload.texts[\(index)].text", reason: error.reason)
            }
        }
    }

    /// The text for `channel`, if the template has one.
    public func text(for channel: UpdateChannel) -> String? { texts.first { $0.channel == channel }?.text }
}

/// An event that carries one whole version of a template: `template.defined` and `template.revised`.
public protocol TemplateVersionPayload: EventPayload {
    var content: TemplateContent { get }
    init(_ content: TemplateContent)
}

extension TemplateVersionPayload {
    public init(from r: inout PayloadReader) throws(EventInputError) { self.init(try TemplateContent.read(&r)) }
    public func write(to w: inout PayloadWriter) { content.write(to: &w) }
    public func validate() throws(EventInputError) { try content.validate() }
}

/// A prepared message was added to the library, at version 1.
public struct TemplateDefined: TemplateVersionPayload {
    public static let type = "template.defined"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A prepared status update was added to the template library (version 1): a name, the outage it fits, a text per channel. The event goes in the stream ledger.templates."

    public var content: TemplateContent

    public init(_ content: TemplateContent) { self.content = content }
    public static let examples = [
        TemplateDefined(
            TemplateContent(
                templateId: "investigating-en", kind: "investigating", language: "en", status: .investigating,
                texts: [
                    TemplateText(channel: .statusPage, text: "We are investigating problems with {service} in {regions}. Next update by {next_update}."),
                    TemplateText(channel: .socialMedia, text: "We're looking into problems with {service}. Updates: {status_page_url}"),
                ]))
    ]
}

/// A template's texts or fields changed: the next version, whole.
public struct TemplateRevised: TemplateVersionPayload {
    public static let type = "template.revised"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A template of the library was revised: its next version, given whole. Earlier versions stay in the log. The event goes in the stream ledger.templates."

    public var content: TemplateContent

    public init(_ content: TemplateContent) { self.content = content }
    public static let examples = [
        TemplateRevised(
            TemplateContent(
                templateId: "investigating-en", kind: "investigating", language: "en", status: .investigating,
                texts: [TemplateText(channel: .statusPage, text: "We are investigating errors with {service} in {regions}. Next update by {next_update}.")]))
    ]
}

/// A template is no longer offered.
public struct TemplateRetired: EventPayload {
    public static let type = "template.retired"
    public static let schemaVersion: UInt16 = 1
    public static let summary = "A template of the library is retired: no longer used for new updates. Its versions stay in the log. The event goes in the stream ledger.templates."

    public var templateId: String
    public var reason: String

    public init(templateId: String, reason: String) {
        self.templateId = templateId
        self.reason = reason
    }
    public init(from r: inout PayloadReader) throws(EventInputError) {
        templateId = try r.string("templateId", "The template retired.", maxLength: 100)
        reason = try r.string("reason", "Why it is no longer used.", maxLength: 2000)
    }
    public func write(to w: inout PayloadWriter) {
        w.set("templateId", templateId)
        w.set("reason", reason)
    }
    public static let examples = [TemplateRetired(templateId: "investigating-en", reason: "Replaced by investigating-workaround-en")]
}

/// A placeholder that is not well formed.
public struct TemplatePlaceholderError: Error, Sendable {
    public var reason: String

    public init(reason: String) { self.reason = reason }
}

/// The `{placeholders}` of a template's text: a name of lower-case letters, digits and underscores
/// in braces; `{{` and `}}` stand for a brace.
public enum TemplatePlaceholders {
    /// The placeholders in `text`, in order, each once.
    public static func names(in text: String) throws(TemplatePlaceholderError) -> [String] {
        var names = [String]()
        _ = try fill(text) { name in
            if !names.contains(name) { names.append(name) }
            return ""
        }
        return names
    }

    /// `text` with every placeholder replaced by `value(name)`.
    public static func fill(_ text: String, _ value: (String) throws(TemplatePlaceholderError) -> String) throws(TemplatePlaceholderError) -> String {
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "{", next < text.endIndex, text[next] == "{" {
                out.append("{")
                index = text.index(after: next)
            } else if character == "}" {
                guard next < text.endIndex, text[next] == "}" else { throw TemplatePlaceholderError(reason: "has a lone }; write }} for a brace") }
                out.append("}")
                index = text.index(after: next)
            } else if character == "{" {
                guard let close = text[next...].firstIndex(of: "}") else { throw TemplatePlaceholderError(reason: "has a { that is never closed; write {{ for a brace") }
                let name = String(text[next..<close])
                guard !name.isEmpty, name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else {
                    throw TemplatePlaceholderError(reason: "has the placeholder {\(name)}: a placeholder is lower-case letters, digits and underscores")
                }
                out += try value(name)
                index = text.index(after: close)
            } else {
                out.append(character)
                index = next
            }
        }
        return out
    }
}

extension TemplateContent {
    /// The templates of a library file: one template object, or an array of them, each in the form of
    /// a `template.defined` payload (docs/examples/templates-en.json).
    public static func library(fromJSON text: String) throws(EventInputError) -> [TemplateContent] {
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(text)
        } catch {
            throw EventInputError(field: "templates", reason: "not JSON: \(error)")
        }
        let objects: [JSONValue]
        switch parsed {
        case .array(let items): objects = items
        case .object: objects = [parsed]
        default: throw EventInputError(field: "templates", reason: "must be a template object or an array of them")
        }
        var templates = [TemplateContent]()
        for (index, object) in objects.enumerated() {
            guard let members = object.objectValue else {
                throw EventInputError(field: "templates[\(index)]", reason: "must be an object with templateId, kind, language, status and texts")
            }
            do throws(EventInputError) {
                templates.append(try TemplateDefined.decode(members).content)
            } catch {
                let field = error.field.hasPrefix("payload.") ? String(error.field.dropFirst(8)) : error.field
                throw EventInputError(field: "templates[\(index)].\(field)", reason: error.reason)
            }
        }
        guard Set(templates.map(\.templateId)).count == templates.count else {
            throw EventInputError(field: "templates", reason: "names a template twice; give each templateId once")
        }
        return templates
    }
}
