import Foundation

/// A CSV document (RFC 4180): a header row naming the columns, then records.
///
/// Reads UTF-8 with or without a byte-order mark, `\n`, `\r\n` or `\r` line ends (a file saved on
/// Windows or by an old Mac spreadsheet reads as one saved on Linux), and quoted fields that hold
/// commas, quotes (doubled) or line breaks, which stay in the field as they are. Every record
/// remembers the line it begins on, so a warning can point at it.
public struct CSVTable: Sendable {
    /// One record: its fields, and the line of the file it begins on (the header is line 1).
    public struct Record: Sendable, Hashable {
        public var fields: [String]
        public var line: Int

        /// The field in a column, or "" when the record is shorter than the header.
        public subscript(column: Int) -> String { column < fields.count ? fields[column] : "" }
    }

    /// Why a document could not be read as CSV at all.
    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public var header: [String]
    public var records: [Record]

    /// The index of a column by its header name.
    public func column(named name: String) -> Int? { header.firstIndex(of: name) }

    /// Parses a whole document. Blank lines between records are skipped.
    public init(parsing bytes: [UInt8], separator: UInt8 = UInt8(ascii: ",")) throws(Error) {
        var parser = Parser(bytes: bytes, separator: separator)
        guard let first = try parser.next() else { throw Error(description: "the file is empty: expected a header row naming the columns") }
        header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var records = [Record]()
        while let record = try parser.next() {
            if record.fields.count == 1, record.fields[0].isEmpty { continue }
            records.append(record)
        }
        self.records = records
    }

    /// A byte-level reader of records.
    private struct Parser {
        let bytes: [UInt8]
        let separator: UInt8
        var index = 0
        var line = 1

        init(bytes: [UInt8], separator: UInt8) {
            self.bytes = bytes
            self.separator = separator
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        mutating func next() throws(Error) -> Record? {
            guard index < bytes.count else { return nil }
            let startLine = line
            var fields = [String]()
            var field = [UInt8]()
            let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
            while true {
                // At the start of a field.
                if index < bytes.count, bytes[index] == quote {
                    index += 1
                    var closed = false
                    while index < bytes.count {
                        let byte = bytes[index]
                        if byte == quote {
                            if index + 1 < bytes.count, bytes[index + 1] == quote {
                                field.append(quote)
                                index += 2
                                continue
                            }
                            index += 1
                            closed = true
                            break
                        }
                        // A line break inside quotes is data, kept as it is (CR, LF or both).
                        if byte == lf || (byte == cr && (index + 1 >= bytes.count || bytes[index + 1] != lf)) { line += 1 }
                        field.append(byte)
                        index += 1
                    }
                    guard closed else {
                        throw Error(description: "line \(startLine): a quoted field is not closed before the end of the file")
                    }
                    // Anything up to the next separator or line end after the closing quote is kept as text.
                    while index < bytes.count, bytes[index] != separator, bytes[index] != lf, bytes[index] != cr {
                        field.append(bytes[index])
                        index += 1
                    }
                } else {
                    while index < bytes.count, bytes[index] != separator, bytes[index] != lf, bytes[index] != cr {
                        field.append(bytes[index])
                        index += 1
                    }
                }
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                if index >= bytes.count { return Record(fields: fields, line: startLine) }
                let byte = bytes[index]
                index += 1
                if byte == separator { continue }
                if byte == cr, index < bytes.count, bytes[index] == lf { index += 1 }
                line += 1
                return Record(fields: fields, line: startLine)
            }
        }
    }
}
