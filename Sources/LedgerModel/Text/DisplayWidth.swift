/// How many terminal columns a text takes, for the columns of text tables: counted per grapheme
/// cluster (what a reader sees as one character), 0 for a cluster of only zero-width or format
/// characters, 2 for an East Asian Wide or Fullwidth one, else 1.
///
/// `String.count` counts clusters but not their width, and Foundation's `padding(toLength:)` counts
/// UTF-16 units and cuts the text short when it is longer — a Persian name with a zero-width
/// non-joiner or a decomposed accent lost its last character that way.
public enum DisplayWidth {
    /// The columns `text` takes in a terminal.
    public static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// The columns one grapheme cluster takes: its first visible scalar decides, and a cluster of
    /// only zero-width scalars takes none.
    public static func of(_ character: Character) -> Int {
        guard let base = character.unicodeScalars.first(where: { !isZeroWidth($0) }) else { return 0 }
        return isWide(base) ? 2 : 1
    }

    /// `text` followed by spaces up to `width` columns; a text already as wide or wider is returned
    /// whole, never cut.
    public static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - of(text)))
    }

    /// As much of `text` as fits in `width` columns, cut between whole grapheme clusters only.
    public static func truncated(_ text: String, to width: Int) -> String {
        var out = ""
        var used = 0
        for character in text {
            let columns = of(character)
            if used + columns > width { break }
            out.append(character)
            used += columns
        }
        return out
    }

    /// Combining and enclosing marks, format characters (zero-width space, non-joiner, joiner,
    /// directional marks), variation selectors and Hangul medial and final jamo.
    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: break
        }
        switch scalar.value {
        case 0x1160...0x11FF, 0xFE00...0xFE0F, 0xE0100...0xE01EF: return true
        default: return false
        }
    }

    /// East Asian Wide (W) and Fullwidth (F) in Unicode's EastAsianWidth.txt, in the ranges that
    /// cover its assigned characters.
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F,      // Hangul Jamo initial consonants
             0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3, 0x25FD...0x25FE,
             0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE,
             0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705,
             0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0,
             0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,   // emoji presented wide by default
             0x2E80...0x303E,      // CJK radicals, symbols and punctuation
             0x3041...0x33FF,      // kana, bopomofo, Hangul compatibility jamo, CJK compatibility
             0x3400...0x4DBF,      // CJK extension A
             0x4E00...0x9FFF,      // CJK unified ideographs
             0xA000...0xA4CF,      // Yi
             0xA960...0xA97F,      // Hangul Jamo extended A
             0xAC00...0xD7A3,      // Hangul syllables
             0xF900...0xFAFF,      // CJK compatibility ideographs
             0xFE10...0xFE19,      // vertical forms
             0xFE30...0xFE6F,      // CJK compatibility forms, small form variants
             0xFF00...0xFF60,      // fullwidth forms
             0xFFE0...0xFFE6,
             0x16FE0...0x18CFF,    // Tangut, Khitan
             0x1B000...0x1B2FF,    // kana supplement and extensions, Nushu
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F2FF,
             0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393,
             0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4, 0x1F3F8...0x1F43E,
             0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567,
             0x1F57A, 0x1F595...0x1F596, 0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC,
             0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC,
             0x1F7E0...0x1F7EB, 0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF,
             0x1FA70...0x1FAFF,    // emoji presented wide by default
             0x20000...0x2FFFD,    // CJK extensions B to F, compatibility supplement
             0x30000...0x3FFFD:    // CJK extensions G and H
            return true
        default:
            return false
        }
    }
}
