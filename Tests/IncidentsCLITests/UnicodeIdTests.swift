import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// Ids have one Unicode form in the ledger (NFC), and text tables line up names of any script.
@Suite struct UnicodeIdTests {
    static let composed = "INC-atenci\u{F3}n"
    static let decomposed = "INC-atenci\u{6F}\u{301}n"
    /// The UTF-8 of U+0301 COMBINING ACUTE ACCENT.
    static let combiningAcute: [UInt8] = [0xCC, 0x81]

    static func containsBytes(_ text: String, _ part: [UInt8]) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= part.count else { return false }
        return (0...(bytes.count - part.count)).contains { Array(bytes[$0..<($0 + part.count)]) == part }
    }

    /// Declared in one spelling through `append` (the path of files and importers), found by the
    /// other with `show` and `log --incident`, and stored in NFC whichever was given.
    @Test(arguments: [(decomposed, composed), (composed, decomposed)])
    func anIncidentIsFoundByEitherSpelling(declaredAs: String, lookedUpAs: String) throws {
        let cli = CLI()
        try cli.run("init")
        let file = try cli.write("in.jsonl", CLI.event(stream: declaredAs, payload: #"{"title":"Pagos \#(declaredAs)","kind":"unplanned","severity":"sev2"}"#) + "\n")
        let appended = try cli.run("append", file)
        #expect(appended.status == 0, "\(appended.stderr)")
        let shown = try cli.run("show", lookedUpAs)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(Self.containsBytes(shown.stdout, Array("incident              \(Self.composed)".utf8)))
        let log = try cli.run("log", "--json", "--incident", lookedUpAs)
        #expect(log.status == 0)
        #expect(log.stdout.split(separator: "\n").count == 1)
        #expect(!Self.containsBytes(log.stdout, Self.combiningAcute), "stored in NFC")
        #expect(try cli.run("note", lookedUpAs, "--text", "still here").status == 0)
        #expect(try cli.run("list", "--ids").stdout.split(separator: "\n").count == 1, "one incident, not two")
    }

    /// A list that names one value in both spellings names it twice, and is refused as any
    /// duplicate is, leaving the ledger as it was.
    @Test func aListHoldingBothSpellingsOfOneValueIsADuplicate() async throws {
        let cli = CLI()
        try await cli.run("init")
        let refused = try await cli.run("declare", "INC-1", "--title", "Pagos", "--kind", "unplanned", "--severity", "sev2",
                                  "--services", "atenci\u{F3}n,atenci\u{6F}\u{301}n")
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("must not list the same item twice"))
        await #expect(try cli.run("list", "--ids").stdout.isEmpty)
    }

    /// `list` pads the id column by display width: a Persian id with a zero-width non-joiner and a
    /// decomposed accent are shown whole, and Chinese ids line up with the others.
    @Test func listShowsWholeIdsInAlignedColumns() async throws {
        let cli = CLI()
        try await cli.run("init")
        let ids = ["پیام\u{200C}رسان-۱", Self.decomposed, "INC-事故-支付", "INC-1"]
        for (index, id) in ids.enumerated() {
            let declared = try await cli.run("declare", id, "--title", "t\(index)", "--kind", "unplanned", "--severity", "sev2",
                                       "--at", "2026-03-1\(index)T10:00:00Z")
            #expect(declared.status == 0, "\(declared.stderr)")
        }
        let listed = try await cli.run("list")
        #expect(listed.status == 0)
        let rows = listed.stdout.split(separator: "\n").map(String.init).filter { $0.contains("sev2") }
        try #require(rows.count == ids.count)
        for (row, id) in zip(rows, ids) {
            #expect(row.utf8.starts(with: Array(EnvelopeRules.normalized(id).utf8) + [UInt8(ascii: " ")]), "the whole id: \(row)")
            let before = try #require(row.range(of: "sev2"))
            #expect(DisplayWidth.of(row[..<before.lowerBound]) == DisplayWidth.of("INC-事故-支付") + 2, "SEV starts in one column: \(row)")
        }
    }
}
