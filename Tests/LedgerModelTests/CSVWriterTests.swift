import LedgerModel
import Testing

/// The one CSV writer (RFC 4180): what is quoted, how a quote inside is doubled, how rows end.
@Suite struct CSVWriterTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("cr\r\nlf", "\"cr\r\nlf\""),
        ("پیام, رسان", "\"پیام, رسان\""),
    ])
    func aFieldIsQuotedOnlyWhenItMustBe(field: String, written: String) {
        #expect(CSVWriter().row([field, "x"]) == written + ",x\r\n")
    }

    @Test func everyFieldQuotedAndAnotherRowEndWhenAFormatSaysSo() {
        let writer = CSVWriter(quoting: .always, rowEnd: "\n")
        #expect(writer.row(["1", "", "a\"b"]) == "\"1\",\"\",\"a\"\"b\"\n")
        var bytes = [UInt8]()
        writer.append(row: [Array("x".utf8), Array("{\"k\":1}".utf8)], to: &bytes)
        #expect(bytes == Array("\"x\",\"{\"\"k\"\":1}\"\n".utf8))
    }

    @Test func rowsEachEndInCRLF() {
        #expect(CSVWriter().rows([["a", "b"], ["1", "2"]]) == "a,b\r\n1,2\r\n")
        #expect(CSVWriter().rows([]) == "")
    }
}
