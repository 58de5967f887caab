import Foundation
import LedgerModel
import Testing

@Suite struct MixedTextTests {
    @Test func interpolatedStringsAreValuesAndTheRestIsWords() {
        let note = "در حال بررسی (API)"
        let count = 3
        let text: MixedText = "Note \(count): \(note)"
        #expect(text.parts == [.words("Note "), .words("3"), .words(": "), .value(note)])
        #expect(text.plain == "Note 3: \(note)")
    }

    @Test func htmlIsolatesEveryValueAndEscapesEverything() {
        let text: MixedText = "By <\("a&b")> then \("c")"
        let html = text.html { $0.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;") }
        #expect(html == "By &lt;<bdi>a&amp;b</bdi>&gt; then <bdi>c</bdi>")
    }

    @Test func emptyPartsVanishAndTextsJoin() {
        var text: MixedText = "\("")Closed"
        text += ": \("done")"
        #expect(text.parts == [.words("Closed"), .words(": "), .value("done")])
        #expect((text + MixedText.value("")).parts == text.parts)
        #expect(MixedText.value("x").html { $0 } == "<bdi>x</bdi>")
    }
}
