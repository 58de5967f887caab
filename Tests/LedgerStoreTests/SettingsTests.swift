import CLMDB
import Foundation
import LedgerModel
import LedgerTestSupport
import Testing
@testable import LedgerStore

/// The settings table: a key–value store in the ledger's environment, outside the hash chain.
@Suite struct SettingsTests {
    @Test func valuesAreStoredReplacedListedByPrefixAndDeleted() async throws {
        let directory = TemporaryDirectory()
        do {
            let ledger = try Ledger.create(at: directory.path)
            #expect(try ledger.setting("a/1") == nil)
            #expect(try ledger.settings(withPrefix: "").isEmpty)
            try await ledger.setSetting("a/2", [2])
            try await ledger.setSetting("a/1", [1, 1])
            try await ledger.setSetting("b", [])
            try await ledger.setSetting("a", [0])
            try await ledger.setSetting("a/1", [1])
            #expect(try ledger.setting("a/1") == [1])
            #expect(try ledger.setting("b") == [])
            #expect(try ledger.settings(withPrefix: "a/").map(\.key) == ["a/1", "a/2"])
            #expect(try ledger.settings(withPrefix: "a/").map(\.value) == [[1], [2]])
            #expect(try ledger.settings(withPrefix: "").map(\.key) == ["a", "a/1", "a/2", "b"])
            try await ledger.setSetting("a/2", nil)
            try await ledger.setSetting("never-set", nil)
            #expect(try ledger.setting("a/2") == nil)
            _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
        }
        // Durable, and outside the chain: the log verifies as before.
        let reopened = try Ledger.open(at: directory.path)
        #expect(try reopened.settings(withPrefix: "").map(\.key) == ["a", "a/1", "b"])
        #expect(try reopened.verify().isIntact)
        try Ledger.checkPageStructure(at: directory.path)
    }

    @Test func aKeyOutsideTheLimitsIsRefusedAndNothingWritten() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        for key in ["", String(repeating: "k", count: Ledger.maximumSettingKeyBytes + 1)] {
            await #expect { try await ledger.setSetting(key, [1]) } throws: { ($0 as? LedgerError)?.code == .invalidInput }
            #expect { try ledger.setting(key) } throws: { ($0 as? LedgerError)?.code == .invalidInput }
        }
        let longest = String(repeating: "k", count: Ledger.maximumSettingKeyBytes)
        try await ledger.setSetting(longest, [1])
        #expect(try ledger.settings(withPrefix: "").map(\.key) == [longest])
    }

    @Test func aReadOnlyLedgerReadsSettingsAndRefusesToWriteThem() async throws {
        let directory = TemporaryDirectory()
        do {
            let ledger = try Ledger.create(at: directory.path)
            try await ledger.setSetting("k", [7])
        }
        let readOnly = try Ledger.open(at: directory.path, readOnly: true)
        #expect(try readOnly.setting("k") == [7])
        await #expect { try await readOnly.setSetting("k", [8]) } throws: { ($0 as? LedgerError)?.code == .permissionDenied }
        await #expect { try await readOnly.setSetting("k", nil) } throws: { ($0 as? LedgerError)?.code == .permissionDenied }
        #expect(try readOnly.setting("k") == [7])
    }

    /// A ledger made before the table existed opens read-only with no settings, and gets the table
    /// at its first writable open.
    @Test func aLedgerWithoutTheTableReadsAsEmptyUntilOpenedForWriting() async throws {
        let directory = TemporaryDirectory()
        do {
            let ledger = try Ledger.create(at: directory.path)
            _ = try await ledger.append([SampleEvents.event(1)], to: "INC-1")
            try await ledger.setSetting("k", [1])
        }
        try RawLMDB.withDatabase(directory.path, "settings") { txn, dbi in
            #expect(mdb_drop(txn, dbi, 1) == 0)
        }
        try RawLMDB.withDatabase(directory.path, nil) { txn, dbi in
            var key = MDB_val(mv_size: 8, mv_data: UnsafeMutableRawPointer(mutating: ("settings" as StaticString).utf8Start))
            var value = MDB_val()
            #expect(mdb_get(txn, dbi, &key, &value) == MDB_NOTFOUND, "the table is gone")
        }
        do {
            let readOnly = try Ledger.open(at: directory.path, readOnly: true)
            #expect(try readOnly.setting("k") == nil)
            #expect(try readOnly.settings(withPrefix: "").isEmpty)
            await #expect { try await readOnly.setSetting("k", [2]) } throws: { ($0 as? LedgerError)?.code == .permissionDenied }
            #expect(try readOnly.read { try $0.eventCount() } == 1)
        }
        let writable = try Ledger.open(at: directory.path)
        #expect(try writable.setting("k") == nil)
        try await writable.setSetting("k", [3])
        #expect(try writable.setting("k") == [3])
        try Ledger.checkPageStructure(at: directory.path)
    }
}
