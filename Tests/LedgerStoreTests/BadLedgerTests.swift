import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
import CLMDB
@testable import LedgerStore
@testable import IncidentsCLI

/// Paths that are not ledgers get one clear error and are left exactly as they were.
@Suite struct BadLedgerTests {
    @Test func aMissingPathIsNotFound() {
        let directory = TemporaryDirectory()
        #expect { _ = try Ledger.open(at: directory.file("nothing-here")) } throws: { error in
            // The library states the fact; the tool's words (`incidents init`) come from its mapping.
            guard let error = error as? LedgerError else { return false }
            return error.code == .ledgerNotFound && error.detail == .noDirectory && !error.message.contains("incidents")
                && CommandFailure(reporting: error).message.contains("incidents init")
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

    /// LMDB says MDB_INVALID: data.mdb's meta pages are not LMDB's, which in a ledger's directory is damage.
    @Test func garbageInDataFileIsDamage() throws {
        let directory = TemporaryDirectory()
        let garbage = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try garbage.write(to: URL(fileURLWithPath: directory.file("data.mdb")))
        #expect { _ = try Ledger.open(at: directory.path) } throws: { ($0 as? LedgerError)?.code == .corrupt }
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

    @Test func aRootPageNumberPointingElsewhereIsNamedByVerifyAndRefusedByEveryCommand() throws {
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

extension BadLedgerTests {
    /// LMDB leaves unwritten a page that a transaction allocated and freed again, so a healthy file
    /// can end before its last page when that page is free: it must open, verify and take writes.
    @Test func aFileThatEndsBeforeAPageNothingUsesIsHealthy() throws {
        let template = try DamageFixture.template()
        let parent = TemporaryDirectory()
        let current = Int(template.map.transactionID % 2)
        // The current meta's last page (meta + 16 + 120), one more: a page past the end that no tree reaches.
        let ledger = try template.copy(in: parent) { file in
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: file))
            defer { try? handle.close() }
            let offset = UInt64(current * template.map.pageSize + 136)
            try handle.seek(toOffset: offset)
            let last = try #require(try handle.read(upToCount: 8)).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            try handle.seek(toOffset: offset)
            try handle.write(contentsOf: withUnsafeBytes(of: last + 1) { Array($0) })
        }
        #expect(try Ledger.open(at: ledger).verify().isIntact)
        for arguments in Self.commandsAndAWrite(template) + [["verify"]] {
            let outcome = try DamageFixture.run(arguments, ledger: ledger)
            #expect(outcome.ending == .exited(0), "\(arguments): \(outcome.ending) \(outcome.stderr)")
        }
    }
}

/// The memory-fault backstop of the `incidents` tool: which faults it takes for damage.
extension BadLedgerTests {
    @Test func aFaultInTheMapOrInLMDBIsTheLedgersAndAnyOtherIsNot() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
        LedgerMemoryFaults.prepare()
        let inMap = try ledger.environment.read { txn in
            try RawLMDB.positionKey(1).withUnsafeBytes { key in
                UInt(bitPattern: try #require(try txn.get(ledger.environment.databases.log, key)?.baseAddress))
            }
        }
        let inLMDB = UInt(bitPattern: unsafeBitCast(mdb_get as @convention(c) (OpaquePointer?, MDB_dbi, UnsafeMutablePointer<MDB_val>?, UnsafeMutablePointer<MDB_val>?) -> Int32, to: UnsafeRawPointer.self))
        // The test binary's own code: neither in a map nor in liblmdb.
        let ownCode = UInt(bitPattern: unsafeBitCast(Self.codeHere as @convention(c) () -> Void, to: UnsafeRawPointer.self))
        #expect(LedgerMemoryFaults.isLedgerFault(address: inMap, programCounter: ownCode))
        // A garbage 32-bit size read from a node in the map: a copy may fault at its far end first.
        #expect(LedgerMemoryFaults.isLedgerFault(address: inMap + (1 << 32), programCounter: ownCode))
        #expect(LedgerMemoryFaults.isLedgerFault(address: 0, programCounter: inLMDB))
        #expect(!LedgerMemoryFaults.isLedgerFault(address: ownCode, programCounter: ownCode))
        #expect(!LedgerMemoryFaults.isLedgerFault(address: 0, programCounter: ownCode))
    }

    static let codeHere: @convention(c) () -> Void = {}

    @Test func aReadPastTheEndOfTheFileInsideTheMapGivesOneLineAndExit1() throws {
        let template = try DamageFixture.template()
        let page = try #require(try template.page(of: .database("projection-checkpoint"), flags: DataFile.PageFlags.leaf))
        let original = try Data(contentsOf: URL(fileURLWithPath: template.ledger + "/data.mdb"))
        let start = Int(page) * template.map.pageSize
        let damagedOffset = (Int(original[start + 16]) | Int(original[start + 17]) << 8) ^ 0x8000
        // The premise: LMDB, following the first node's offset, reads past the end of the file.
        try #require(start + damagedOffset >= original.count)
        let parent = TemporaryDirectory()
        let ledger = try template.copy(in: parent) { try DamageFixture.flip($0, at: start + 17, mask: 0x80) }
        let outcome = try DamageFixture.run(["list"], ledger: ledger)
        #expect(outcome.ending == .exited(1), "\(outcome.ending) \(outcome.stderr)")
        #expect(outcome.stderr == "incidents: the ledger's data.mdb could not be read (a memory fault in the map) — it is damaged; run `incidents verify`\n")
    }
}
