import LedgerModel

extension CSVTable {
    /// Records as a rejects file holds them: `{"lines": [2, 5], "rows": [{"Column": "value", …}, …]}`,
    /// each row keyed by the header (fields past the header's end under `#N`).
    public func sourceRecord(_ records: [Record]) -> SourceRecord {
        let rows: [JSONValue] = records.map { record in
            var object = [String: JSONValue]()
            for (column, field) in record.fields.enumerated() {
                object[column < header.count ? header[column] : "#\(column + 1)"] = .string(field)
            }
            return .object(object)
        }
        let content: JSONValue = .object(["lines": .array(records.map { .integer(Int64($0.line)) }), "rows": .array(rows)])
        return SourceRecord(index: records.first?.line ?? 0, unit: .line, content: content)
    }
}
