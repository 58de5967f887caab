import LedgerModel
import Testing

/// Text tables measure a text as a terminal shows it: per grapheme cluster, zero-width marks and
/// joiners taking no column, East Asian wide characters two.
@Suite struct DisplayWidthTests {
    static let persian = "پیام\u{200C}رسان-۱"
    static let decomposed = "atenci\u{6F}\u{301}n"

    @Test(arguments: [
        (persian, 10),              // the zero-width non-joiner takes no column
        (decomposed, 8),            // nor does the combining acute accent
        ("atención", 8),
        ("事故-支付", 9),
        ("ｱ", 1),                    // halfwidth katakana stays narrow
        ("ＡＢ", 4),                 // fullwidth Latin is wide
        ("한국", 4),
        ("👩\u{200D}💻", 2),
        ("\u{200D}", 0),
        ("INC-42", 6),
        ("", 0),
    ])
    func widthCountsColumnsAsATerminalDoes(text: String, columns: Int) {
        #expect(DisplayWidth.of(text) == columns)
    }

    @Test(arguments: [persian, decomposed, "事故-支付", "INC-42"])
    func paddingKeepsTheWholeTextAndFillsToTheWidth(text: String) {
        for width in 0...16 {
            let padded = DisplayWidth.padded(text, to: width)
            #expect(padded.utf8.starts(with: text.utf8), "the text is never cut")
            #expect(DisplayWidth.of(padded) == max(width, DisplayWidth.of(text)))
        }
    }

    @Test(arguments: [
        (persian, 4, "پیام\u{200C}"),
        (persian, 9, "پیام\u{200C}رسان-"),
        (decomposed, 7, "atenci\u{6F}\u{301}"),
        (decomposed, 6, "atenci"),
        ("事故支付", 5, "事故"),
        ("事故支付", 8, "事故支付"),
    ])
    func truncationCutsBetweenWholeClusters(text: String, width: Int, expected: String) {
        let cut = DisplayWidth.truncated(text, to: width)
        #expect(Array(cut.utf8) == Array(expected.utf8))
        #expect(DisplayWidth.of(cut) <= width)
    }
}
