import LedgerModel

/// Which CSV column (or columns, joined) a mapping key names, resolved against a file's header.
public struct ColumnSelection: Sendable, Hashable {
    /// Several columns are read as one value, joined with this.
    public static let joiner = " / "

    /// The header names, as the mapping gives them.
    public let names: [String]
    /// The mapping key, for messages (`columns.status`).
    public let key: String

    public init(names: [String], key: String) {
        self.names = names
        self.key = key
    }

    /// Reads `columns.<key>`: a column name or a list of them. nil when the key is absent.
    static func optional(_ columns: MappingObject, _ key: String) throws(MappingError) -> ColumnSelection? {
        guard let names = try columns.optionalStrings(key) else { return nil }
        for name in names where name.isEmpty { throw MappingError("\(columns.name(key)) names an empty column") }
        return ColumnSelection(names: names, key: columns.name(key))
    }

    static func required(_ columns: MappingObject, _ key: String) throws(MappingError) -> ColumnSelection {
        guard let selection = try optional(columns, key) else { throw MappingError("\(columns.name(key)) is missing") }
        return selection
    }

    /// The column indices in a table, or an error naming the missing column and the header.
    public func resolve(in table: CSVTable) throws(MappingError) -> Resolved {
        var indices = [Int]()
        for name in names {
            guard let index = table.column(named: name) else {
                throw MappingError("\(key) names the column \(MessageText.quoted(name)), which the file's header does not have (it has: \(MessageText.list(table.header)))")
            }
            indices.append(index)
        }
        return Resolved(indices: indices)
    }

    /// Column indices in one table.
    public struct Resolved: Sendable {
        let indices: [Int]

        /// The value in a record, trimmed of surrounding spaces; several columns are joined.
        public func value(in record: CSVTable.Record) -> String {
            if indices.count == 1 { return Self.trimmed(record[indices[0]]) }
            return indices.map { Self.trimmed(record[$0]) }.joined(separator: ColumnSelection.joiner)
        }

        /// True when every column is empty in the record.
        public func isEmpty(in record: CSVTable.Record) -> Bool {
            indices.allSatisfy { Self.trimmed(record[$0]).isEmpty }
        }

        static func trimmed(_ text: String) -> String {
            guard let first = text.first, let last = text.last, first == " " || last == " " || first == "\t" || last == "\t" else { return text }
            return String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        }
    }
}
