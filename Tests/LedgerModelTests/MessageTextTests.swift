import LedgerModel
import Testing

/// Values quoted in messages stay on one line and within bounds, whatever they hold.
@Suite struct MessageTextTests {
    @Test func controlCharactersAreEscapedSoAQuotedValueIsOneLine() {
        #expect(MessageText.quoted("SR\nNumber") == #"'SR\nNumber'"#)
        #expect(MessageText.quoted("Date\r") == #"'Date\r'"#)
        #expect(MessageText.quoted("a\tb\u{1B}[31m\u{2028}") == #"'a\tb\u{1B}[31m\u{2028}'"#)
        #expect(MessageText.quoted("café ✓") == "'café ✓'")
    }

    @Test func longValuesAreCutWithAnEllipsis() {
        let long = String(repeating: "x", count: 500)
        #expect(MessageText.quoted(long) == "'" + String(repeating: "x", count: MessageText.valueLimit) + "…'")
        #expect(MessageText.quoted(String(repeating: "y", count: MessageText.valueLimit)).count == MessageText.valueLimit + 2)
    }

    @Test func aListShowsItsFirstValuesAndCountsTheRest() {
        let values = (1...25).map { "c\($0)" }
        let text = MessageText.list(values)
        #expect(text.hasPrefix("'c1', 'c2', "))
        #expect(text.hasSuffix("'c20', and 5 more"))
        #expect(MessageText.list(["a\nb"]) == #"'a\nb'"#)
    }

    /// Seeded random strings of every kind of character: the result never holds a line break or
    /// another control character, and is never longer than the limit allows.
    @Test func randomValuesNeverBreakTheLine() {
        var seed: UInt64 = 0x5EED_0012
        print("MessageTextTests seed \(seed)")
        let alphabet: [Character] = ["a", "\n", "\r", "\r\n", "\t", "\u{0}", "\u{7F}", "\u{85}", "\u{2029}", "é", "👩‍💻", "'", " "]
        for _ in 0..<2_000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(seed >> 33) % 200
            var value = ""
            for _ in 0..<length {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                value.append(alphabet[Int(seed >> 33) % alphabet.count])
            }
            let quoted = MessageText.quoted(value)
            #expect(!quoted.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" })
            #expect(quoted.count <= MessageText.valueLimit + 3)
            #expect(!MessageText.oneLine(value).contains { $0.isNewline })
        }
    }
}
