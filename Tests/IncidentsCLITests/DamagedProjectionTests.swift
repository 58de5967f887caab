import Foundation
import LedgerTestSupport
import Testing

/// One flipped byte in a stored projection state: `verify` names it, `projections status` says so,
/// and the read commands answer as from an undamaged ledger, rebuilding it and saying so in one line.
@Suite struct DamagedProjectionTests {
    static let incident = "INC-000007"

    /// 40 generated incidents, projections caught up, with the undamaged outputs of list, show and review.
    static func ledger() throws -> (CLI, [[String]: String]) {
        let cli = CLI()
        #expect(try cli.run("init").status == 0)
        #expect(try cli.run("append", stdin: try cli.run("generate", "--incidents", "40", "--seed", "1").stdout).status == 0)
        var outputs = [[String]: String]()
        for command in [["list"], ["show", incident, "--as-of", "2026-11-01T00:00:00Z"], ["review", "2026-Q1", "--as-of", "2026-11-01T00:00:00Z"]] {
            let outcome = try cli.run(command)
            #expect(outcome.status == 0)
            outputs[command] = outcome.stdout
        }
        return (cli, outputs)
    }

    /// A byte of the storage key "<projection>\0INC-000007" (the last character moves the state to
    /// INC-000006, one of the number's to a key that does not exist), or of the stored value (state
    /// or checksum; the metrics facts are large enough to sit in overflow pages).
    @Test(arguments: [
        ("incident-state", "key", 24), ("incident-state", "key", 22), ("incident-state", "value", 3), ("incident-state", "value", 120),
        ("incident-metrics", "key", 26), ("incident-metrics", "value", 0), ("incident-metrics", "value", 2000),
    ])
    func aFlippedByteIsNamedByVerifyAndRepairedByTheNextRead(projection: String, place: String, offset: Int) throws {
        let (cli, undamaged) = try Self.ledger()
        let key = FileDamage.projectionKey(projection, Self.incident)
        let data = cli.ledgerPath + "/data.mdb"
        let flipped = place == "key"
            ? try FileDamage.flipEverywhere(in: data, after: key, offset: offset) : try FileDamage.flipInValue(in: data, key: key, offset: offset)
        #expect(flipped > 0)

        let status = try cli.run("projections", "status")
        #expect(status.status == 0)
        #expect(status.stdout.split(separator: "\n").contains { $0.hasPrefix(projection) && $0.contains("damaged") }, "\(status.stdout)")
        let verify = try cli.run("verify")
        #expect(verify.status == 1, "\(verify.stdout)")
        // A flipped key byte may put the keys of a B-tree page out of order, which the page walk
        // finds before the projections are compared.
        let named = verify.stderr.hasPrefix("incidents: verification failed in projection \(projection) at INC-")
        let walked = place == "key" && verify.stderr.contains("of database projection-state has keys out of order; the log is intact")
        #expect(named || walked, "\(verify.stderr)")
        #expect(verify.stderr.split(separator: "\n").count == 1)

        for command in [["list"], ["show", Self.incident, "--as-of", "2026-11-01T00:00:00Z"], ["review", "2026-Q1", "--as-of", "2026-11-01T00:00:00Z"]] {
            let outcome = try cli.run(command)
            #expect(outcome.status == 0, "\(command): \(outcome.stderr)")
            #expect(outcome.stdout == undamaged[command], "\(command) answered from a damaged state")
        }
        let verified = try cli.run("verify")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.hasSuffix("projections match the log\n"), "\(verified.stdout)")
    }

    @Test func theRebuildIsReportedInOneLine() async throws {
        let (cli, undamaged) = try Self.ledger()
        try FileDamage.flipInValue(in: cli.ledgerPath + "/data.mdb", key: FileDamage.projectionKey("incident-state", Self.incident), offset: 10)
        let listed = try await cli.run("list")
        #expect(listed.stdout == undamaged[["list"]])
        #expect(listed.stderr == "incidents: the stored state of 'INC-000007' in projection incident-state fails its checksum — rebuilding incident-state from the log\n")
        await #expect(try cli.run("list").stderr.isEmpty, "the rebuild was stored")
    }
}
