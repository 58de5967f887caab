public import LedgerModel

/// Where a value stands in a JSON document: `$` for the value itself, else its keys separated by dots,
/// a segment of digits indexing an array (`affected_products.0.title`); a leading `$.` may be written.
/// A key that holds a dot cannot be named.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    let segments: [String]
    /// As written in the mapping.
    public let description: String

    /// Reads a path; `key` names the mapping key for the message when it is not one.
    public init(_ text: String, key: String) throws(MappingError) {
        description = text
        if text == "$" {
            segments = []
            return
        }
        let body = text.hasPrefix("$.") ? String(text.dropFirst(2)) : text
        let parts = body.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !body.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw MappingError("\(key) is the path \(MessageText.quoted(text)), which has an empty segment (write keys separated by single dots, e.g. updates.0.text, or $ for the value itself)")
        }
        segments = parts
    }

    /// The value the path leads to, or nil when a key or index on the way is not there.
    public func value(in root: JSONValue) -> JSONValue? {
        var current = root
        for segment in segments {
            switch current {
            case .object(let members):
                guard let next = members[segment] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(segment), index >= 0, index < items.count else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }
}
