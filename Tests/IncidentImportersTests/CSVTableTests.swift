import Foundation
import IncidentImporters
import LedgerTestSupport
import Testing

@Suite struct CSVTableTests {
    private func table(_ text: String) throws -> CSVTable { try CSVTable(parsing: Array(text.utf8)) }

    @Test func byteOrderMarkAndCRLFAreNotPartOfTheData() throws {
        let parsed = try CSVTable(parsing: [0xEF, 0xBB, 0xBF] + Array("id,name\r\n1,one\r\n2,two\r\n".utf8))
        #expect(parsed.header == ["id", "name"])
        #expect(parsed.records.map(\.fields) == [["1", "one"], ["2", "two"]])
        #expect(parsed.column(named: "id") == 0)
    }

    @Test func quotedFieldsHoldSeparatorsQuotesAndLineBreaks() throws {
        let parsed = try table("id,text,n\n1,\"a, b\",x\n2,\"say \"\"hi\"\"\",y\n3,\"two\r\nlines\nthree\",z\n4,,\n")
        #expect(parsed.records.map(\.fields) == [
            ["1", "a, b", "x"], ["2", "say \"hi\"", "y"], ["3", "two\r\nlines\nthree", "z"], ["4", "", ""],
        ])
        // Each record knows the line it begins on, past the line breaks inside quotes.
        #expect(parsed.records.map(\.line) == [2, 3, 4, 7])
    }

    @Test func shortRecordsReadEmptyFieldsAndBlankLinesAreSkipped() throws {
        let parsed = try table("a,b,c\n1\n\n2,3,4")
        #expect(parsed.records.count == 2)
        #expect(parsed.records[0][2] == "")
        #expect(parsed.records[1].fields == ["2", "3", "4"])
        #expect(parsed.records[1].line == 4)
    }

    /// A file saved by an old Mac spreadsheet ends its lines with CR alone; a CR or CRLF inside
    /// quotes is data, and counts as a line for the records after it.
    @Test func lineEndsOfCRAloneEndRecordsButNotQuotedCells() throws {
        let parsed = try table("id,text\r1,one\r2,\"two\rlines\"\r3,\"a\r\nb\"\r\r4,four")
        #expect(parsed.header == ["id", "text"])
        #expect(parsed.records.map(\.fields) == [["1", "one"], ["2", "two\rlines"], ["3", "a\r\nb"], ["4", "four"]])
        #expect(parsed.records.map(\.line) == [2, 3, 5, 8])
    }

    /// A random table written with LF, CRLF or CR line ends, with or without a byte-order mark,
    /// with cells holding separators, quotes and every kind of line break, reads back as the same
    /// header and cells every time.
    @Test(arguments: [UInt64(11), 12, 13, 14])
    func theSameTableWhateverTheLineEndsAndMark(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let alphabet: [String] = ["a", "b", "Z", "7", " ", ",", "\"", "\r", "\n", "\r\n", "é", "–"]
        func cell() -> String {
            (0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
        }
        let columns = Int.random(in: 1...5, using: &generator)
        let header = (0..<columns).map { "column \($0)" }
        // A row of one empty cell would be a blank line, which is skipped: give each row a first cell.
        let rows = (0..<40).map { row in ["r\(row)"] + (1..<columns).map { _ in cell() } }
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        for lineEnd in ["\n", "\r\n", "\r"] {
            for mark in [false, true] {
                let text = ([header] + rows).map { $0.map(quoted).joined(separator: ",") }.joined(separator: lineEnd) + lineEnd
                let parsed = try CSVTable(parsing: (mark ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8))
                #expect(parsed.header == header, "seed \(seed), line end \(Array(lineEnd.utf8)), mark \(mark)")
                #expect(parsed.records.map(\.fields) == rows, "seed \(seed), line end \(Array(lineEnd.utf8)), mark \(mark)")
            }
        }
    }

    @Test func anUnclosedQuoteOrAnEmptyFileIsAnError() {
        #expect(throws: CSVTable.Error.self) { try table("a,b\n1,\"open\n") }
        #expect(throws: CSVTable.Error.self) { try table("") }
    }
}

@Suite struct GzipTests {
    @Test func bundledVolvoLogDecompressesToTheWholeFile() throws {
        let bytes = try Gzip.decompress(try VolvoData.compressed())
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF] + Array("SR Number,Change Date+Time,".utf8)))
        // A header and 65,533 rows; the last row has no line break after it.
        #expect(bytes.count { $0 == UInt8(ascii: "\n") } == 65_533)
    }

    @Test func plainBytesPassUnchangedAndDamageIsReported() throws {
        let plain = Array("id\n1\n".utf8)
        #expect(try Gzip.decompressIfNeeded(plain) == plain)
        let compressed = try VolvoData.compressed()
        #expect(throws: Gzip.Error.self) { try Gzip.decompress(Array(compressed.prefix(1000))) }
        var damaged = compressed
        damaged[5000] ^= 0xFF
        #expect(throws: Gzip.Error.self) { try Gzip.decompress(damaged) }
    }

    @Test func concatenatedMembersAreReadLikeZcat() throws {
        let compressed = try VolvoData.compressed()
        let once = try Gzip.decompress(compressed)
        #expect(try Gzip.decompress(compressed + compressed) == once + once)
    }
}
