import Foundation
import LedgerModel

/// How a mapping says its CSV file is written: the separator, the text encoding, and the values
/// that stand for "no value". Shared by every CSV mapping (keys `delimiter`, `encoding`, `missing`).
public struct CSVFormat: Sendable, Hashable {
    /// The text encodings a CSV file may be in.
    public enum Encoding: String, Sendable, Hashable, CaseIterable {
        case utf8 = "utf-8"
        /// What spreadsheets on Windows save as "CSV" in western languages.
        case windows1252 = "windows-1252"
    }

    /// The field separator; nil: `;` when the header row has a `;` and no `,`, else `,`.
    public var delimiter: UInt8?
    public var encoding: Encoding
    /// Values (compared after trimming spaces) read as empty: `?`, `N/A`.
    public var missing: Set<String>

    public init(delimiter: UInt8? = nil, encoding: Encoding = .utf8, missing: Set<String> = []) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.missing = missing
    }

    /// The mapping keys this reads.
    static let keys: Set<String> = ["delimiter", "encoding", "missing"]

    init(_ root: MappingObject) throws(MappingError) {
        self.init()
        if let text = try root.optionalString("delimiter") {
            guard text.utf8.count == 1, let byte = text.utf8.first, byte != UInt8(ascii: "\""), byte != 0x0A, byte != 0x0D else {
                throw MappingError("delimiter is \(MessageText.quoted(text)); give one character such as \",\", \";\" or \"\\t\" (not a quote or line break)")
            }
            delimiter = byte
        }
        if let name = try root.optionalString("encoding") {
            guard let encoding = Encoding(rawValue: name.lowercased()) else {
                throw MappingError("encoding is \(MessageText.quoted(name)), not one of \(Encoding.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.encoding = encoding
        }
        missing = Set(try root.optionalStrings("missing") ?? [])
    }

    /// Reads a CSV file written this way: decoded, split, and with missing-value markers emptied.
    public func table(_ bytes: [UInt8]) throws(CSVTable.Error) -> CSVTable {
        var text = bytes
        switch encoding {
        case .utf8:
            if let bad = Self.firstInvalidUTF8(bytes) {
                let line = bytes[..<bad].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
                throw CSVTable.Error(description: String(format: "line %d: byte 0x%02X is not UTF-8; a spreadsheet on Windows saves Windows-1252 — set \"encoding\": \"windows-1252\" in the mapping", line, bytes[bad]))
            }
        case .windows1252:
            text = Self.utf8(fromWindows1252: bytes)
        }
        var table = try CSVTable(parsing: text, separator: delimiter ?? Self.detectedDelimiter(text))
        guard !missing.isEmpty else { return table }
        for index in table.records.indices {
            for column in table.records[index].fields.indices where missing.contains(ColumnSelection.Resolved.trimmed(table.records[index].fields[column])) {
                table.records[index].fields[column] = ""
            }
        }
        return table
    }

    /// `;` when the first line has one and no `,` (as spreadsheets save CSV where `,` is the decimal mark).
    static func detectedDelimiter(_ bytes: [UInt8]) -> UInt8 {
        let header = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
        return !header.contains(UInt8(ascii: ",")) && header.contains(UInt8(ascii: ";")) ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// The offset of the first byte that does not begin or continue a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 { index += 1; continue }
            let length: Int, minimum: UInt32
            switch byte {
            case 0xC2...0xDF: length = 2; minimum = 0x80
            case 0xE0...0xEF: length = 3; minimum = 0x800
            case 0xF0...0xF4: length = 4; minimum = 0x10000
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            var scalar = UInt32(byte) & (0xFF >> (length + 1))
            for offset in 1..<length {
                let next = bytes[index + offset]
                guard next & 0xC0 == 0x80 else { return index }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return index }
            index += length
        }
        return nil
    }

    /// Windows-1252 bytes as UTF-8; the five bytes it leaves undefined stand for the C1 controls of the same number (as WHATWG decodes them).
    static func utf8(fromWindows1252 bytes: [UInt8]) -> [UInt8] {
        let high: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
            0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
        ]
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 { out.append(byte); continue }
            let scalar = (0x80...0x9F).contains(byte) ? high[Int(byte - 0x80)] : UInt32(byte)
            out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
        }
        return out
    }
}

/// A mapping of a CSV file: says how the file is written.
public protocol CSVMapping: Sendable {
    var format: CSVFormat { get }
}

extension EventLogMapping: CSVMapping {}
extension SurveyMapping: CSVMapping {}
