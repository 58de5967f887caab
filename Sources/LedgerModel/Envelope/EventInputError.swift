/// Why an event offered to the ledger was refused: which event, which field, which rule.
public struct EventInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based number of the event in its batch or input file, when there is one.
    public var index: Int?
    /// The field at fault, as a JSON path such as `payload.title`; empty for the event as a whole.
    public var field: String
    /// The rule that was broken, for a person to read.
    public var reason: String
    /// True when the event is well formed but the rules of its incident's life refuse it (an HTTP
    /// server answers 422 then, and 400 for a malformed event).
    public var isRuleRefusal: Bool

    public init(index: Int? = nil, field: String, reason: String, isRuleRefusal: Bool = false) {
        self.index = index
        self.field = field
        self.reason = reason
        self.isRuleRefusal = isRuleRefusal
    }

    public var description: String {
        var text = ""
        if let index { text += "event \(index): " }
        if !field.isEmpty { text += "\(field): " }
        return text + reason
    }

    /// The same error, said of the event with this 1-based number.
    public func at(index: Int) -> EventInputError {
        var copy = self
        copy.index = index
        return copy
    }
}
