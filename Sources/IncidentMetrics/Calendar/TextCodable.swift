/// A value whose JSON form is its text (`2026-12-25`, `09:00-17:30`): decoded by parsing the
/// string, encoded as its description. One implementation of that Codable pair for every such type.
protocol TextCodable: Codable, CustomStringConvertible {
    init(_ text: String) throws(BusinessCalendarError)
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
