import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// What stands between a careless or hostile operator and two signed checkpoints that disagree:
/// the last checkpoint remembered beside the key, and a private key only its owner can read.
@Suite struct SigningSafetyTests {
    /// A ledger with a key and `count` events on INC-1.
    static func signingLedger(events count: Int = 3) throws -> CLI {
        let cli = CLI()
        try cli.run("init")
        let lines = [CLI.event()] + (1..<count).map { CLI.note("note \($0)") }
        #expect(try cli.run("append", stdin: lines.joined(separator: "\n")).status == 0)
        #expect(try cli.run("keys", "create").status == 0)
        return cli
    }

    static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// Keeps a copy of data.mdb as old.mdb, records a note and signs it, then puts the copy back
    /// over the ledger, as a restore from an older backup would. Returns the newer checkpoint.
    static func rollBack(_ cli: CLI, losing note: String) throws -> String {
        let data = cli.ledgerPath + "/data.mdb"
        try FileManager.default.copyItem(atPath: data, toPath: cli.directory.file("old.mdb"))
        #expect(try cli.run("note", "INC-1", "--text", note).status == 0)
        let newer = try cli.run("checkpoint")
        #expect(newer.status == 0)
        try FileManager.default.removeItem(atPath: data)
        try FileManager.default.copyItem(atPath: cli.directory.file("old.mdb"), toPath: data)
        return newer.stdout
    }

    var lastCheckpoint: String { "incident-ledger/keys/checkpoint.last" }

    /// Sign, keep a copy of data.mdb, append, sign, put the copy back: every way of signing is
    /// refused with exit 1, says the ledger was rolled back and what to do, and writes nothing.
    @Test func aRestoredOlderLedgerIsNeverSigned() async throws {
        let cli = try Self.signingLedger()
        let data = cli.ledgerPath + "/data.mdb"
        await #expect(try cli.run("checkpoint").status == 0)
        let newer = try Self.rollBack(cli, losing: "after the backup")
        let remembered = Self.bytes(cli.directory.file(lastCheckpoint))
        #expect(remembered.map { String(decoding: $0, as: UTF8.self) } == newer)
        for arguments in [["checkpoint"], ["checkpoint", "--output", "cp.txt"], ["export", "-o", "bundle"], ["export", "-o", "bundle", "--csv"]] {
            let refused = try await cli.run(arguments)
            #expect(refused.status == 1, "\(arguments)")
            #expect(refused.stdout.isEmpty)
            let line = refused.stderr
            #expect(line.hasPrefix("incidents: the ledger was rolled back or replaced: it holds 3 events, but a checkpoint of 4 events"), "\(line)")
            #expect(line.contains("put back the newer data.mdb") && line.contains("--accept-rollback 4"))
            #expect(line.split(separator: "\n").count == 1)
        }
        // Nothing written: not the ledger, not the remembered checkpoint, no bundle or partial folder.
        #expect(Self.bytes(data) == Self.bytes(cli.directory.file("old.mdb")))
        #expect(Self.bytes(cli.directory.file(lastCheckpoint)) == remembered)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).sorted() == ["incident-ledger", "old.mdb"])
        await #expect(try cli.run("verify").status == 0)
    }

    /// A log of the same size with other events, or a larger one that does not extend what was
    /// signed (a fork made from an old copy), is refused as well: the root of the remembered size differs.
    @Test func aForkOfTheSameOrGreaterSizeIsNeverSigned() async throws {
        let cli = try Self.signingLedger()
        _ = try Self.rollBack(cli, losing: "signed")
        await #expect(try cli.run("note", "INC-1", "--text", "another fourth event").status == 0)
        let sameSize = try await cli.run("checkpoint")
        #expect(sameSize.status == 1)
        #expect(sameSize.stderr.contains("rolled back or replaced: its first 4 events do not have the root of the checkpoint of 4 events"))
        await #expect(try cli.run("note", "INC-1", "--text", "a fifth").status == 0)
        await #expect(try cli.run("checkpoint").status == 1)
        await #expect(try cli.run("export", "-o", "bundle").status == 1)
        // Once the rollback is acknowledged the fork is what is remembered, and it signs as it grows.
        await #expect(try cli.run("checkpoint", "--accept-rollback", "4").status == 0)
        await #expect(try cli.run("note", "INC-1", "--text", "a sixth").status == 0)
        await #expect(try cli.run("checkpoint").status == 0)
        await #expect(try cli.run("export", "-o", "bundle").status == 0)
    }

    /// The override names the size it abandons: any other size is refused (exit 3); the right one
    /// signs the restored ledger, which from then on is the one remembered.
    @Test func aDeliberateRollbackIsAcknowledgedByNamingTheAbandonedSize() async throws {
        let cli = try Self.signingLedger()
        _ = try Self.rollBack(cli, losing: "lost")

        let wrong = try await cli.run("checkpoint", "--accept-rollback", "3")
        #expect(wrong.status == 3)
        #expect(wrong.stderr.contains("the last one signed covers 4"))
        await #expect(try cli.run("checkpoint", "--accept-rollback", "nine").status == 2)
        let accepted = try await cli.run("export", "-o", "bundle", "--accept-rollback", "4")
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("checkpoint of 3 events"))
        await #expect(try cli.run("checkpoint").stdout.split(separator: "\n")[1] == "3")
        await #expect(try cli.run("verify-export", "bundle").status == 0)
    }

    /// A ledger signed before checkpoints were remembered has no checkpoint.last: its next signing
    /// starts remembering. A damaged or forged file is refused (exit 1), never silently replaced.
    @Test func rememberingStartsAtTheFirstSigningAndADamagedRecordIsRefused() async throws {
        let cli = try Self.signingLedger()
        let path = cli.directory.file(lastCheckpoint)
        #expect(!FileManager.default.fileExists(atPath: path))
        await #expect(try cli.run("checkpoint").status == 0)
        let first = try #require(Self.bytes(path))
        #expect(String(decoding: first, as: UTF8.self).split(separator: "\n")[1] == "3")
        // Signing the same log again remembers the same checkpoint.
        await #expect(try cli.run("checkpoint").status == 0)
        #expect(Self.bytes(path) == first)

        var forged = first
        let sizeLine = try #require(forged.firstIndex(of: UInt8(ascii: "\n"))) + 1
        forged[sizeLine] = UInt8(ascii: "2")  // "2" instead of "3" events: the signature no longer matches
        try forged.write(to: URL(fileURLWithPath: path))
        let refused = try await cli.run("checkpoint")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("checkpoint.last, the last checkpoint signed, is damaged or not of this key"))
        #expect(Self.bytes(path) == forged)
    }

    /// A private key its group or others may read or write is refused, as ssh refuses one, with the
    /// chmod that fixes it (exit 3, as for a missing key); 0600 and 0400 sign. Tests run as root,
    /// so this is the mode bits, not access(2).
    @Test(arguments: [0o644, 0o666, 0o604, 0o640, 0o660, 0o620, 0o602, 0o610, 0o700, 0o601])
    func aKeyReadableByOthersIsRefused(mode: Int) throws {
        let cli = try Self.signingLedger()
        let key = cli.ledgerPath + "/keys/checkpoint.key"
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: key)
        for arguments in [["checkpoint"], ["export", "-o", "bundle"]] {
            let refused = try cli.run(arguments)
            if mode & 0o077 == 0 {
                #expect(refused.status == 0, "\(String(mode, radix: 8)): \(refused.stderr)")
                continue
            }
            #expect(refused.status == 3, "\(String(mode, radix: 8))")
            let shown = "incident-ledger/keys/checkpoint.key"
            #expect(
                refused.stderr
                    == "incidents: permissions \(String(format: "%04o", mode)) for \(shown) are too open: the private key must be readable by its owner only — run `chmod 600 \(shown)`\n")
        }
        if mode & 0o077 != 0 { #expect(!FileManager.default.fileExists(atPath: cli.directory.file(lastCheckpoint))) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        #expect(try cli.run("checkpoint").status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: key)
        #expect(try cli.run("checkpoint").status == 0)
    }

    /// `keys create` writes the private key 0600 whatever the umask, and never through a symbolic
    /// link planted where the key goes: the link's target is not created.
    @Test func keysCreateWritesOwnerOnlyAndNeverFollowsALink() async throws {
        let cli = CLI()
        try await cli.run("init")
        let created = try await ChildProcess.run(
            "/bin/sh", ["-c", "umask 000 && exec \"$0\" keys create", ChildProcess.executable("incidents")], directory: cli.directory.path)
        #expect(created.status == 0, "\(created.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: cli.ledgerPath + "/keys/checkpoint.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let other = CLI()
        try await other.run("init")
        try FileManager.default.createDirectory(atPath: other.ledgerPath + "/keys", withIntermediateDirectories: true)
        let target = other.directory.file("stolen.key")
        try FileManager.default.createSymbolicLink(atPath: other.ledgerPath + "/keys/checkpoint.key", withDestinationPath: target)
        let refused = try await other.run("keys", "create")
        #expect(refused.status == 3)
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
