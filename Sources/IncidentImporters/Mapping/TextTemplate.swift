import LedgerModel

/// A text with `{Column name}` placeholders filled from a record, such as an incident's title
/// `Service request {SR Number} ({Product})`. `{{` and `}}` stand for braces.
public struct TextTemplate: Sendable {
    enum Part: Sendable {
        case text(String)
        case column(String)
    }

    let parts: [Part]
    let key: String

    public init(_ template: String, key: String) throws(MappingError) {
        var parts = [Part]()
        var text = ""
        var rest = Substring(template)
        while let character = rest.first {
            rest = rest.dropFirst()
            if character == "{", rest.first == "{" {
                text.append("{")
                rest = rest.dropFirst()
            } else if character == "}", rest.first == "}" {
                text.append("}")
                rest = rest.dropFirst()
            } else if character == "{" {
                guard let end = rest.firstIndex(of: "}") else { throw MappingError("\(key): '{' without a closing '}'") }
                let name = String(rest[..<end])
                guard !name.isEmpty else { throw MappingError("\(key): '{}' names no column") }
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.column(name))
                rest = rest[rest.index(after: end)...]
            } else if character == "}" {
                throw MappingError("\(key): '}' without an opening '{' (write '}}' for a brace)")
            } else {
                text.append(character)
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
        self.key = key
    }

    /// The template with its columns resolved against a table's header.
    public func resolve(in table: CSVTable) throws(MappingError) -> Resolved {
        var resolved = [Resolved.Part]()
        for part in parts {
            switch part {
            case .text(let text): resolved.append(.text(text))
            case .column(let name):
                guard let index = table.column(named: name) else {
                    throw MappingError("\(key) names the column \(MessageText.quoted(name)), which the file's header does not have (it has: \(MessageText.list(table.header)))")
                }
                resolved.append(.column(index))
            }
        }
        return Resolved(parts: resolved)
    }

    public struct Resolved: Sendable {
        enum Part: Sendable {
            case text(String)
            case column(Int)
        }

        let parts: [Part]

        public func render(_ record: CSVTable.Record) -> String {
            var out = ""
            for part in parts {
                switch part {
                case .text(let text): out += text
                case .column(let index): out += ColumnSelection.Resolved.trimmed(record[index])
                }
            }
            return out
        }
    }
}
