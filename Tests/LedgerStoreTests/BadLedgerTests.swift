import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import LedgerStore

/// Paths that are not ledgers get one clear error and are left exactly as they were.
@Suite struct BadLedgerTests {
    @Test func aMissingPathIsNotFound() {
        let directory = TemporaryDirectory()
        #expect { _ = try Ledger.open(at: directory.file("nothing-here")) } throws: { error in
            let error = error as? LedgerError
            return error?.code == .ledgerNotFound && error?.message.contains("incidents init") == true
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("nothing-here")))
    }

    @Test func anEmptyDirectoryIsNotFoundAndStaysEmpty() throws {
        let directory = TemporaryDirectory()
        #expect { _ = try Ledger.open(at: directory.path) } throws: { ($0 as? LedgerError)?.code == .ledgerNotFound }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func aFileIsNotALedger() throws {
        let directory = TemporaryDirectory()
        let file = directory.file("notes.txt")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: file))
        #expect { _ = try Ledger.open(at: file) } throws: { ($0 as? LedgerError)?.code == .notALedger }
        #expect { _ = try Ledger.create(at: file) } throws: { ($0 as? LedgerError)?.code == .notALedger }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "hello")
    }

    @Test func garbageInDataFileIsNotALedger() throws {
        let directory = TemporaryDirectory()
        let garbage = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try garbage.write(to: URL(fileURLWithPath: directory.file("data.mdb")))
        #expect { _ = try Ledger.open(at: directory.path) } throws: { ($0 as? LedgerError)?.code == .notALedger }
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.file("data.mdb"))) == garbage)
    }

    @Test func anotherLMDBEnvironmentIsNotALedger() throws {
        let directory = TemporaryDirectory()
        try RawLMDB.withDatabase(directory.path, nil) { _, _ in }
        #expect { _ = try Ledger.open(at: directory.path) } throws: { ($0 as? LedgerError)?.code == .notALedger }
    }

    @Test func aLedgerFromANewerFormatIsRefusedUntouched() async throws {
        let directory = TemporaryDirectory()
        do {
            let ledger = try Ledger.create(at: directory.path)
            _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
        }
        try RawLMDB.modify(directory.path, database: "meta", key: Array("format-version".utf8)) { bytes in
            bytes = withUnsafeBytes(of: UInt32(99).bigEndian) { Array($0) }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: directory.file("data.mdb")))
        #expect { _ = try Ledger.open(at: directory.path) } throws: { error in
            let error = error as? LedgerError
            return error?.code == .unsupportedFormat && error?.message.contains("format 99") == true
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.file("data.mdb"))) == before)
    }

    @Test func creatingOverAnExistingLedgerChangesNothing() async throws {
        let directory = TemporaryDirectory()
        do {
            let ledger = try Ledger.create(at: directory.path)
            _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
        }
        #expect { _ = try Ledger.create(at: directory.path) } throws: { ($0 as? LedgerError)?.code == .alreadyExists }
        #expect(try Ledger.open(at: directory.path).read { try $0.eventCount() } == 1)
    }

    @Test func anUnwritableLocationIsRefused() {
        #expect { _ = try Ledger.create(at: "/proc/incident-ledger-test") } throws: { ($0 as? LedgerError)?.code == .permissionDenied }
    }
}

/// A truncated or damaged data file is refused on open, with one clear line and exit 1 from every
/// command, before LMDB maps a byte of it (issue 12, item 6).
extension BadLedgerTests {
    enum Cut: String, CaseIterable, Sendable {
        case toNothing, to8KiB, toHalf, byTheLast4KiB

        func size(of bytes: Int) -> Int {
            switch self {
            case .toNothing: 0
            case .to8KiB: 8192
            case .toHalf: bytes / 2 / 4096 * 4096
            case .byTheLast4KiB: bytes - 4096
            }
        }
    }

    /// Every read command and a write, as a user would run them on the damaged copy.
    static func commandsAndAWrite(_ template: DamageFixture.Template) -> [[String]] {
        DamageFixture.commands(incident: template.incident, period: template.period) + [["note", template.incident, "--text", "checking"]]
    }

    @Test(arguments: Cut.allCases)
    func aTruncatedDataFileIsRefusedByEveryCommandWithExit1AndNoSignal(cut: Cut) throws {
        let template = try DamageFixture.template()
        let parent = TemporaryDirectory()
        let size = try #require(FileManager.default.attributesOfItem(atPath: template.ledger + "/data.mdb")[.size] as? Int)
        let ledger = try template.copy(in: parent) { try DamageFixture.truncate($0, to: cut.size(of: size)) }
        #expect { _ = try Ledger.open(at: ledger) } throws: { error in
            let error = error as? LedgerError
            return error?.code == .corrupt && error?.message.hasPrefix("data.mdb is damaged: ") == true
        }
        for arguments in Self.commandsAndAWrite(template) {
            let outcome = try DamageFixture.run(arguments, ledger: ledger)
            #expect(outcome.ending == .exited(1), "\(arguments): \(outcome.ending) \(outcome.stderr)")
            #expect(DamageFixture.isClearRefusal(outcome), "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains("data.mdb is damaged"), "\(arguments): \(outcome.stderr)")
        }
    }

    /// Byte offsets in a meta page (page header, then `MDB_meta`) and the bits flipped there.
    static let metaDamage: [(name: String, offset: Int, mask: UInt8)] = [
        ("page number", 0, 0x01), ("page flags", 10, 0x08), ("magic", 16, 0x01), ("version", 20, 0x01),
        ("map size", 32 + 3, 0x04), ("page size", 40 + 1, 0x10), ("last page", 136 + 2, 0x40), ("transaction id", 144 + 1, 0x01),
    ]

    @Test(arguments: [0, 1], 0..<metaDamage.count)
    func aFlippedByteInAMetaPageIsRefusedOnOpen(meta: Int, damage: Int) throws {
        let template = try DamageFixture.template()
        let (name, offset, mask) = Self.metaDamage[damage]
        // A map size and a last page are only read from the current meta page.
        let current = Int(template.map.transactionID % 2)
        if (name == "map size" || name == "last page") && meta != current { return }
        let parent = TemporaryDirectory()
        let ledger = try template.copy(in: parent) { try DamageFixture.flip($0, at: meta * template.map.pageSize + offset, mask: mask) }
        #expect(throws: LedgerError.self, "\(name) of meta page \(meta)") {
            do {
                _ = try Ledger.open(at: ledger)
            } catch let error as LedgerError where error.code == .corrupt && error.message.hasPrefix("data.mdb is damaged: ") {
                throw error
            } catch {
                return  // any other outcome fails the expectation
            }
        }
        let outcome = try DamageFixture.run(["verify"], ledger: ledger)
        #expect(outcome.ending == .exited(1), "\(name) of meta page \(meta): \(outcome.ending) \(outcome.stderr)")
        #expect(DamageFixture.isClearRefusal(outcome), "\(name) of meta page \(meta): \(outcome.stderr)")
    }

    @Test func theFaultBackstopIsInstalledAndNamesTheDamage() throws {
        // A root page number pointing inside the file at another page gets past the open check;
        // `verify` names it, and the other commands refuse or report a fault in one line.
        let template = try DamageFixture.template()
        let current = Int(template.map.transactionID % 2)
        let parent = TemporaryDirectory()
        // The main database's root (meta + 16 + 24 + 48 + 40), low byte, to another page in the file.
        let ledger = try template.copy(in: parent) { try DamageFixture.flip($0, at: current * template.map.pageSize + 128, mask: 0x01) }
        let verify = try DamageFixture.run(["verify"], ledger: ledger)
        #expect(verify.ending == .exited(1), "\(verify.stderr)")
        #expect(verify.stderr.contains("data.mdb is damaged"), "\(verify.stderr)")
        for arguments in Self.commandsAndAWrite(template).dropFirst() {
            let outcome = try DamageFixture.run(arguments, ledger: ledger)
            #expect(DamageFixture.isClearRefusal(outcome), "\(arguments): \(outcome.ending) \(outcome.stderr)")
        }
    }
}
