import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// The tool on a ledger in PostgreSQL, as an operator uses it: `init` on a URL, recording and
/// reading through this machine's mirror, `verify` of the database, `migrate` both ways, and audit
/// bundles exported from either store verifying with both verifiers.
@Suite struct PostgresCommandTests {
    @Test func aLedgerInPostgreSQLRoundTripsThroughADirectory() async throws {
        let cli = CLI()
        let url = try await PostgresCluster.shared().createDatabase()
        let database = ["--ledger", url, "--mirror", cli.directory.file("mirror")]
        let made = try await cli.run(["init"] + database)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("created an empty ledger in postgres://postgres@127.0.0.1:"))
        await #expect(try cli.run(["init"] + database).status == 5)  // never made twice

        let lines = [CLI.event(), CLI.note("n-2"), CLI.event(stream: "INC-2"), CLI.note("n-4")]
        let appended = try await cli.run(["append"] + database, stdin: lines.joined(separator: "\n"))
        #expect(appended.status == 0, "\(appended.stderr)")
        await #expect(try cli.run(["note", "INC-2", "--text", "through the mirror"] + database).status == 0)
        let info = try await cli.run(["info"] + database)
        #expect(info.stdout.contains("ledger         postgres://") && info.stdout.contains("mirror         \(cli.directory.file("mirror"))"))
        let verified = try await cli.run(["verify"] + database)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("5 events, positions 1 to 5 without a gap"))
        // The mirror cannot be written as a ledger of its own.
        let forked = try await cli.run("note", "INC-1", "--text", "behind the database's back", "--ledger", cli.directory.file("mirror"))
        #expect(forked.status == 5 && forked.stderr.contains("is a mirror of"), "\(forked.stderr)")

        let out = try await cli.run(["migrate", "--to", "copy"] + database)
        #expect(out.status == 0, "\(out.stderr)")
        let back = try await PostgresCluster.shared().createDatabase()
        let again = try await cli.run("migrate", "--ledger", "copy", "--to", back)
        #expect(again.status == 0, "\(again.stderr)")
        let heads = [out, again].map { $0.stdout.split(separator: "\n").last.map(String.init) ?? "" }
        #expect(heads[0] == heads[1] && heads[0].contains("position 5"), "\(heads)")

        // A bundle exported from the database and one from the directory: the same events, and each
        // verifies with both verifiers.
        for (name, ledger) in [("from-database", database), ("from-directory", ["--ledger", "copy"])] {
            await #expect(try cli.run(["keys", "create"] + ledger).status == 0)
            await #expect(try cli.run(["keys", "export", "--output", "\(name).pub"] + ledger).status == 0)
            let exported = try await cli.run(["export", "--output", name] + ledger)
            #expect(exported.status == 0, "\(exported.stderr)")
            let swift = try await cli.run("verify-export", name, "--key", "\(name).pub")
            #expect(swift.status == 0, "\(name): \(swift.stderr)")
            let python = try await ChildProcess.run(
                "/usr/bin/env", ["python3", AuditCommandTests.repository + "/Tools/verify-export.py", name, "--key", "\(name).pub"],
                directory: cli.directory.path)
            #expect(python.status == 0, "\(name): \(python.stderr)")
        }
        let events = try ["from-database", "from-directory"].map { try String(contentsOfFile: cli.directory.file("\($0)/events.jsonl"), encoding: .utf8) }
        #expect(events[0] == events[1] && events[0].split(separator: "\n").count == 5)
    }

    /// A database that is missing, unreachable or holds no ledger is one clear line, exit 5, and
    /// no mirror is made for it.
    @Test func aDatabaseThatCannotBeUsedIsExplained() async throws {
        let cli = CLI()
        let cluster = try await PostgresCluster.shared()
        let mirror = ["--mirror", cli.directory.file("mirror")]
        let missing = try await cli.run(["list", "--ledger", cluster.url(database: "no_such_database")] + mirror)
        #expect(missing.status == 5 && missing.stderr.contains("has no database no_such_database") && missing.stderr.contains("createdb"), "\(missing.stderr)")
        let empty = try await cluster.createDatabase()
        let noLedger = try await cli.run(["list", "--ledger", empty] + mirror)
        #expect(noLedger.status == 5 && noLedger.stderr.contains("holds no ledger") && noLedger.stderr.contains("incidents init --ledger"), "\(noLedger.stderr)")
        let unreachable = try await cli.run(["list", "--ledger", "postgres://postgres@127.0.0.1:\(PostgresCluster.freePort())/x"] + mirror)
        #expect(unreachable.status == 5 && unreachable.stderr.contains("cannot reach a PostgreSQL server at 127.0.0.1:"), "\(unreachable.stderr)")
        // In the system's words, not swift-nio's layers of wrapping.
        #expect(unreachable.stderr.contains("(connection refused)") && !unreachable.stderr.contains("SingleConnectionFailure"), "\(unreachable.stderr)")
        let malformed = try await cli.run(["list", "--ledger", "postgres://nobody"] + mirror)
        #expect(malformed.status == 3 && malformed.stderr.contains("does not name a user, a host and a database"), "\(malformed.stderr)")
        for outcome in [missing, noLedger, unreachable, malformed] {
            #expect(outcome.stderr.split(separator: "\n").count == 1, "one line: \(outcome.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: cli.directory.file("mirror")))
        let sameKind = try await cli.run("migrate", "--ledger", "a", "--to", "b")
        #expect(sameKind.status == 3 && sameKind.stderr.contains("both directories"), "\(sameKind.stderr)")
    }
}
