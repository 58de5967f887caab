/// Writes rows of comma-separated values (RFC 4180): the one CSV writer of every report and export.
///
/// A quoted field is wrapped in `"` with every `"` inside doubled. By default a field is quoted only
/// when it holds a comma, a quote or a line break, and rows end with CRLF, as RFC 4180 says; a format
/// that was published otherwise (the audit bundle's `events.csv`: every field quoted, rows ending in
/// `\n`) says so once, where its writer is made.
public struct CSVWriter: Sendable {
    /// Which fields are quoted.
    public enum Quoting: Sendable {
        /// Only a field holding a comma, a quote, a carriage return or a line feed.
        case whenNeeded
        /// Every field.
        case always
    }

    public let quoting: Quoting
    /// The bytes after every row.
    public let rowEnd: [UInt8]

    public init(quoting: Quoting = .whenNeeded, rowEnd: String = "\r\n") {
        self.quoting = quoting
        self.rowEnd = Array(rowEnd.utf8)
    }

    /// One row as text, with its row end.
    public func row(_ fields: [String]) -> String {
        var out = [UInt8]()
        append(row: fields.map(\.utf8), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Rows as text, each with its row end.
    public func rows(_ rows: [[String]]) -> String {
        var out = [UInt8]()
        for fields in rows { append(row: fields.map(\.utf8), to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one row of UTF-8 fields and its row end to `out`.
    public func append<Field: Collection<UInt8>>(row fields: [Field], to out: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(Self.comma) }
            guard quoting == .always || field.contains(where: Self.needsQuotes) else {
                out.append(contentsOf: field)
                continue
            }
            out.append(Self.quote)
            for byte in field {
                if byte == Self.quote { out.append(byte) }
                out.append(byte)
            }
            out.append(Self.quote)
        }
        out.append(contentsOf: rowEnd)
    }

    static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")

    static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == comma || byte == quote || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
