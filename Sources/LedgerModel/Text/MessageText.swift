/// How a value from outside — an argument, a file's name, a CSV header cell, a field of an event — is
/// shown inside an error or warning message: on one line and of bounded length, so that a message
/// stays one line whatever it quotes.
public enum MessageText {
    /// The most characters of one quoted value a message shows.
    public static let valueLimit = 80
    /// The most values a quoted list shows.
    public static let listLimit = 20

    /// `value` in single quotes, with control characters escaped (`\n`, `\r`, `\t`, `\u{1B}`) and cut
    /// to `limit` characters with an ellipsis.
    public static func quoted(_ value: some StringProtocol, limit: Int = valueLimit) -> String {
        "'" + escaped(value, limit: limit) + "'"
    }

    /// The values, each quoted, joined with ", "; beyond `limit` values the rest are counted.
    public static func list(_ values: some Collection<String>, limit: Int = listLimit) -> String {
        var shown = values.prefix(limit).map { quoted($0) }
        if values.count > limit { shown.append("and \(values.count - limit) more") }
        return shown.joined(separator: ", ")
    }

    /// The text on one line: every control character (and line or paragraph separator) escaped.
    /// Applied to every whole message before it is printed; values inside it are bounded by ``quoted(_:limit:)``.
    public static func oneLine(_ text: some StringProtocol) -> String {
        escaped(text, limit: .max)
    }

    /// The value with control characters escaped, at most `limit` characters of it (escapes counted
    /// as shown), the rest cut with an ellipsis.
    private static func escaped(_ value: some StringProtocol, limit: Int) -> String {
        var out = ""
        var count = 0
        for character in value {
            var piece = String(character)
            if character.unicodeScalars.contains(where: isControl) {
                piece = ""
                for scalar in character.unicodeScalars {
                    switch scalar {
                    case "\n": piece += "\\n"
                    case "\r": piece += "\\r"
                    case "\t": piece += "\\t"
                    case _ where isControl(scalar): piece += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                    default: piece.unicodeScalars.append(scalar)
                    }
                }
            }
            let length = piece.count
            guard count + length <= limit else {
                out += "…"
                break
            }
            out += piece
            count += length
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
