/// Who recorded a fact: a person, a tool, or the ledger itself.
public struct Actor: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: UInt8, Sendable, Hashable, CaseIterable {
        case person = 1
        case tool = 2
        case system = 3

        public var name: String {
            switch self {
            case .person: "person"
            case .tool: "tool"
            case .system: "system"
            }
        }

        public init?(name: String) {
            guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = kind
        }
    }

    public var kind: Kind
    /// The person's handle or e-mail address, the tool's name, or the system component.
    public var id: String

    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }

    /// `kind:id`, the form the command line accepts and prints.
    public var description: String { "\(kind.name):\(id)" }

    /// Parses `kind:id`, for example `person:jane@example.com` or `tool:pagerduty`.
    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":"), let kind = Kind(name: String(text[..<colon])) else { return nil }
        let id = String(text[text.index(after: colon)...])
        guard !id.isEmpty else { return nil }
        self.init(kind: kind, id: id)
    }
}
