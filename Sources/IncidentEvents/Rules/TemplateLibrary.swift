public import LedgerModel

/// The library of prepared messages: a fold over the stream ``LedgerStream/templates``.
public struct TemplateLibrary: Sendable, Hashable {
    /// One template: its current version and every version before it.
    public struct Template: Sendable, Hashable {
        /// Every version, the first at index 0: version `n` is `versions[n - 1]`.
        public fileprivate(set) var versions: [TemplateContent]
        public private(set) var definedAt: Timestamp
        public fileprivate(set) var revisedAt: Timestamp?
        /// When and why it was retired; nil while it is offered.
        public fileprivate(set) var retired: Retirement?

        /// The current version's content.
        public var current: TemplateContent { versions[versions.count - 1] }
        /// The current version's number, from 1.
        public var version: Int64 { Int64(versions.count) }
        public var isRetired: Bool { retired != nil }

        /// Version `number` (the current one when nil) as JSON: its `template.defined` fields, with
        /// `version`, `versions` (how many there are) and `retired`.
        public func json(version number: Int? = nil) -> JSONValue {
            let number = number ?? versions.count
            var object = TemplateDefined(versions[number - 1]).json
            object["version"] = .integer(Int64(number))
            object["versions"] = .integer(Int64(versions.count))
            object["retired"] = .bool(isRetired)
            return .object(object)
        }
    }

    /// When and why a template was retired.
    public struct Retirement: Sendable, Hashable {
        public var at: Timestamp
        public var reason: String
    }

    /// Every template by name, retired ones included.
    public private(set) var byID = [String: Template]()

    public init() {}

    /// The templates by name, retired ones included.
    public var all: [Template] { byID.values.sorted { $0.current.templateId < $1.current.templateId } }

    /// Whether `event` may follow the library as it stands: a name is defined once, and revised or retired only while offered.
    public func check(_ event: IncidentEvent) throws(EventInputError) {
        switch event {
        case .templateDefined(let defined):
            if let existing = byID[defined.content.templateId] {
                let state = existing.isRetired ? "was retired; choose another name" : "is already defined; record template.revised to change it"
                throw EventInputError(field: "payload.templateId", reason: "template \(MessageText.quoted(defined.content.templateId)) \(state)")
            }
        case .templateRevised(let revised):
            try requireOffered(revised.content.templateId)
        case .templateRetired(let retired):
            try requireOffered(retired.templateId)
        default:
            break
        }
    }

    private func requireOffered(_ id: String) throws(EventInputError) {
        guard let template = byID[id] else {
            throw EventInputError(field: "payload.templateId", reason: "no template \(MessageText.quoted(id)) is defined; `incidents templates list` shows them")
        }
        if template.isRetired { throw EventInputError(field: "payload.templateId", reason: "template \(MessageText.quoted(id)) is retired") }
    }

    /// Folds one more event in.
    public mutating func apply(_ event: IncidentEvent, occurredAt: Timestamp) {
        switch event {
        case .templateDefined(let defined):
            byID[defined.content.templateId] = Template(versions: [defined.content], definedAt: occurredAt, revisedAt: nil, retired: nil)
        case .templateRevised(let revised):
            byID[revised.content.templateId]?.versions.append(revised.content)
            byID[revised.content.templateId]?.revisedAt = occurredAt
        case .templateRetired(let retired):
            byID[retired.templateId]?.retired = Retirement(at: occurredAt, reason: retired.reason)
        default:
            break
        }
    }
}
