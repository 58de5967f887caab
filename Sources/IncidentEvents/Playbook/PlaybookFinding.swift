public import LedgerModel

/// One rule of the playbook, by a stable name: what the review counts and the docs list.
public struct PlaybookRule: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The stable name, such as `update-no-next-update`.
    public let rawValue: String
    /// A hard limit (the characters a channel takes): refused even when recording is not strict.
    public let refusesAlways: Bool
    /// A fact to count, never a reason to refuse, even when recording is strict: refusing it would
    /// only keep an honest update (a slipped ETA) from being told.
    public let warnsOnly: Bool
    /// What the rule asks, in one line.
    public let summary: String

    public init(_ name: String, summary: String, refusesAlways: Bool = false, warnsOnly: Bool = false) {
        rawValue = name
        self.summary = summary
        self.refusesAlways = refusesAlways
        self.warnsOnly = warnsOnly && !refusesAlways
    }

    /// The rule of this name, when the playbook has one.
    public init?(rawValue: String) {
        guard let rule = Self.all.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = rule
    }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        self = PlaybookRule(rawValue: name) ?? PlaybookRule(name, summary: "a rule this build does not know")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func == (lhs: PlaybookRule, rhs: PlaybookRule) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
    public var description: String { rawValue }

    /// Every rule, in the order the docs and the review list them.
    public static var all: [PlaybookRule] { updateRules + maintenanceRules }
}

/// One rule broken by one event: what recording warns about (or refuses), and what the review counts.
public struct PlaybookFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    public var rule: PlaybookRule
    /// The payload field it is about (`payload.text`), so a form can show it beside the field.
    public var field: String?
    /// What is wrong and what to do, in one sentence.
    public var message: String

    public init(rule: PlaybookRule, field: String? = nil, message: String) {
        self.rule = rule
        self.field = field
        self.message = message
    }

    public var description: String { "\(message) (\(rule.rawValue))" }

    /// The finding as the CLI's `--json` and the API say it: its rule, the field it is about, the sentence.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["rule": .string(rule.rawValue), "message": .string(message)]
        if let field { object["field"] = .string(field) }
        return .object(object)
    }

    /// The finding as a refusal of its event.
    public var refusal: EventInputError {
        EventInputError(field: field ?? "", reason: "\(message) (\(rule.rawValue))", isRuleRefusal: true)
    }
}
