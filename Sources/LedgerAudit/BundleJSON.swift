import LedgerModel

/// The strict reading of a bundle's JSON documents (`manifest.json`, `consistency.json`), the same
/// as Tools/verify-export.py's, step for step and message for message (see docs/audit.md):
///
/// 1. every number is a whole number in canonical form (`0` or digits without a leading zero; no
///    sign, fraction or exponent), since these files hold only counts;
/// 2. strict JSON (``JSONParser``: a repeated member, bad UTF-8 or trailing text is refused);
/// 3. exactly the members of the file's ``Shape``, each of its type (unknown, missing and mistyped
///    members are named, the first in byte order of their names);
/// 4. after the caller's checks of the values, ``checkExactForm(_:_:file:)``: the bytes are exactly
///    what the exporter writes (`prettyText`), so no changed byte of the file goes unnoticed.
enum BundleJSON {
    /// What a member must hold.
    indirect enum Shape: Sendable {
        case count, optionalCount, string, optionalString, strings
        /// An object with exactly these members.
        case object([String: Shape])
        /// An object with any member names, each value of this shape.
        case map(Shape)

        var description: String {
            switch self {
            case .count: "a whole number"
            case .optionalCount: "a whole number or null"
            case .string: "a string"
            case .optionalString: "a string or null"
            case .strings: "a list of strings"
            case .object, .map: "an object"
            }
        }
    }

    /// Reads `bytes` as the document `file` and checks it has `shape`.
    static func read(_ bytes: [UInt8], file: String, shape: Shape) throws(AuditError) -> JSONValue {
        try checkNumbers(bytes, file: file)
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw AuditError.failed("\(file): \(error)")
        }
        guard case .object = value else { throw AuditError.failed("\(file): must be a JSON object") }
        try check(value, shape, file: file, path: "")
        return value
    }

    /// Refuses the first number outside strings that is not a whole number in canonical form.
    static func checkNumbers(_ bytes: [UInt8], file: String) throws(AuditError) {
        var index = 0
        var line = 1
        var lineStart = 0
        var inString = false
        func isNumberByte(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
                if byte == 0x0A {
                    line += 1
                    lineStart = index + 1
                }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == 0x0A {
                line += 1
                lineStart = index + 1
            } else if isNumberByte(byte) && byte != UInt8(ascii: "e") && byte != UInt8(ascii: "E") {
                var end = index
                while end < bytes.count, isNumberByte(bytes[end]) { end += 1 }
                let token = bytes[index..<end]
                let digits = token.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                guard digits, token.first != UInt8(ascii: "0") || token.count == 1 else {
                    throw AuditError.failed(
                        "\(file): the number \(String(decoding: token, as: UTF8.self)) at line \(line), column \(index - lineStart + 1) is not a whole number in canonical form")
                }
                index = end
                continue
            }
            index += 1
        }
    }

    /// Checks the members of `value` against `shape`, in byte order of their names.
    private static func check(_ value: JSONValue, _ shape: Shape, file: String, path: String) throws(AuditError) {
        let fits: Bool
        switch (shape, value) {
        case (.count, .integer(let number)), (.optionalCount, .integer(let number)): fits = number >= 0
        case (.optionalCount, .null), (.string, .string), (.optionalString, .string), (.optionalString, .null): fits = true
        case (.strings, .array(let items)): fits = items.allSatisfy { if case .string = $0 { true } else { false } }
        case (.object(let members), .object(let fields)):
            for name in Set(members.keys).union(fields.keys).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let place = path.isEmpty ? name : "\(path).\(name)"
                guard let memberShape = members[name] else { throw AuditError.failed("\(file): unknown member \"\(place)\"") }
                guard let field = fields[name] else { throw AuditError.failed("\(file): missing member \"\(place)\"") }
                try check(field, memberShape, file: file, path: place)
            }
            return
        case (.map(let entry), .object(let fields)):
            for name in fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                try check(fields[name]!, entry, file: file, path: path.isEmpty ? name : "\(path).\(name)")
            }
            return
        default: fits = false
        }
        guard fits else { throw AuditError.failed("\(file): member \"\(path)\" must be \(shape.description)") }
    }

    /// Refuses a document whose bytes are not exactly the exporter's text of `value`.
    static func checkExactForm(_ bytes: [UInt8], _ value: JSONValue, file: String) throws(AuditError) {
        guard Array(value.prettyText.utf8) == bytes else {
            throw AuditError.failed("\(file): not in the exact form the exporter writes (white space, member order or escapes changed)")
        }
    }

    /// A hash as the exporter writes it: 64 lower-case hexadecimal digits.
    static func hash(_ text: String) -> Hash256? {
        guard text.utf8.count == 64, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        return Hash256(hex: text)
    }
}
