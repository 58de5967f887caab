import Importers
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
