/// A sentence made of the program's own words and of values from outside (titles, notes, names,
/// ids), kept apart so that a renderer can give each value its own writing direction.
///
/// Written as a string literal, every interpolated `String` is a value and every literal part or
/// number is the program's words: `"Note: \(note.text)"`. Plain text joins the parts unchanged;
/// HTML isolates each value in a `<bdi>`, so a Persian note holding a Latin word in parentheses
/// keeps its own order inside an English sentence, and neither spills into the other.
public struct MixedText: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    public enum Part: Sendable, Hashable {
        /// The program's own words, in the report's language and direction.
        case words(String)
        /// A value from outside, of any script and direction.
        case value(String)
    }

    public private(set) var parts: [Part]

    public init(_ parts: [Part] = []) {
        self.parts = parts.filter { part in
            switch part {
            case .words(let text), .value(let text): !text.isEmpty
            }
        }
    }

    /// One value from outside, alone.
    public static func value(_ text: String) -> MixedText { MixedText([.value(text)]) }

    public init(stringLiteral value: String) { self.init([.words(value)]) }

    public init(stringInterpolation: Interpolation) { self.init(stringInterpolation.parts) }

    /// The text as one string, the parts joined as they are.
    public var plain: String {
        var out = ""
        for part in parts {
            switch part {
            case .words(let text), .value(let text): out += text
            }
        }
        return out
    }

    public var description: String { plain }

    /// The text as HTML: every part through `escape`, and every value inside `<bdi>` (which takes its
    /// direction from its own first strong letter and is isolated from the words around it).
    public func html(escape: (String) -> String) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .words(let text): out += escape(text)
            case .value(let text): out += "<bdi>" + escape(text) + "</bdi>"
            }
        }
        return out
    }

    public static func += (text: inout MixedText, more: MixedText) {
        text = MixedText(text.parts + more.parts)
    }

    public static func + (first: MixedText, second: MixedText) -> MixedText {
        MixedText(first.parts + second.parts)
    }

    public struct Interpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(2 * interpolationCount + 1)
        }

        public mutating func appendLiteral(_ literal: String) { parts.append(.words(literal)) }

        /// A string from outside: a value.
        public mutating func appendInterpolation(_ value: String) { parts.append(.value(value)) }

        /// Another mixed text, its parts kept as they are.
        public mutating func appendInterpolation(_ text: MixedText) { parts += text.parts }

        /// A time: words, in RFC 3339.
        public mutating func appendInterpolation(_ time: Timestamp) { parts.append(.words(time.rfc3339)) }

        /// A text of the program's own, such as a vocabulary value (`escalation manager`): words.
        public mutating func appendInterpolation(words: String) { parts.append(.words(words)) }

        /// A number the program counted: words.
        public mutating func appendInterpolation(_ number: some BinaryInteger) { parts.append(.words(String(number))) }
    }
}
