import Foundation
import IncidentGenerator
import LedgerTestSupport
import Synchronization
import Testing
@testable import LedgerStore

/// The corruption campaign of issue 12: single-byte flips at seeded random offsets over all of
/// `data.mdb`, and a cut at every 4 KiB boundary, each on a fresh copy of one ledger, with
/// `verify`, `log`, `show`, `list` and `review` run on it by the built tool. Counted: deaths by
/// signal, hangs, and outputs that differ from the undamaged ledger's while `verify` said ok.
/// docs/reliability.md records the counts. Replay a run with INCIDENTS_CAMPAIGN_SEED=<seed>.
@Suite struct CorruptionCampaignTests {
    /// Projection states sit outside the hash chain; until they carry checksums (issue 12, item 7),
    /// a flip in one can change what `list` or `show` print while `verify` says ok, or make them fail
    /// with a message that is not yet one `incidents:` line (item 10). Such outcomes on
    /// projection-state pages are counted in their own class and, while this is false, allowed.
    /// Turn it on once items 7 and 10 are merged: then no class may have any.
    static let projectionStatesAreChecksummed = true

    static let flips = Int(ProcessInfo.processInfo.environment["INCIDENTS_CAMPAIGN_FLIPS"] ?? "") ?? 500
    /// Each command gets this long before it counts as a hang and is killed.
    static let timeout = 60.0

    /// What one damaged copy did.
    struct Outcome: Sendable {
        var damage: String
        /// Who held the damaged byte in the undamaged file, or "truncation".
        var place: String
        var verifySaidOK: Bool
        var signals: [String] = []
        var hangs: [String] = []
        /// Commands whose output differed from the undamaged ledger's while verify said ok.
        var undetected: [String] = []
        /// Commands that failed with something other than one `incidents:` line.
        var unclear: [String] = []
        var identical = 0
        var refused = 0
    }

    @Test(.timeLimit(.minutes(15)))
    func flipsAndCutsNeverKillHangOrPassVerifyWithDifferentOutput() async throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["INCIDENTS_CAMPAIGN_SEED"] ?? "") ?? UInt64.random(in: 1...999_999)
        print("corruption campaign: seed \(seed) — replay with INCIDENTS_CAMPAIGN_SEED=\(seed)")
        let started = Date()
        // Minutes of child processes waited for: on threads of their own, not on the two cooperative
        // threads that every other test of the run shares (`onItsOwnThread`).
        let (template, work) = try await onItsOwnThread { (try DamageFixture.Template(incidents: 40, seed: 3), TemporaryDirectory("campaign")) }
        let commands = DamageFixture.commands(incident: template.incident, period: template.period)
        let baseline = try await onItsOwnThread {
            let clean = try template.copy(in: work) { _ in }
            return try commands.map { try DamageFixture.run($0, ledger: clean, timeout: Self.timeout) }
        }
        for (arguments, outcome) in zip(commands, baseline) {
            try #require(outcome.ending == .exited(0), "the undamaged ledger: \(arguments) \(outcome.stderr)")
        }
        let size = Int(template.map.pageCount) * template.map.pageSize

        var random = SeededRandom(seed: seed)
        let flips = (0..<Self.flips).map { _ in
            Damage.flip(offset: Int(random.next() % UInt64(size)), mask: 1 << UInt8(random.next() % 8))
        }
        let damages = flips + stride(from: 0, to: size, by: 4096).map { Damage.cut(size: $0) }

        let tally = Tally()
        // Each worker runs one process at a time, and a process waits on its disk writes part of the time.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<max(2, 2 * ProcessInfo.processInfo.activeProcessorCount) {
                group.addTask {
                    try await onItsOwnThread {
                        while true {
                            let index = tally.next.withLock { value -> Int in
                                defer { value += 1 }
                                return value
                            }
                            guard index < damages.count else { return }
                            do {
                                let outcome = try Self.run(damages[index], template: template, in: work, commands: commands, baseline: baseline)
                                tally.results.withLock { $0.append(outcome) }
                            } catch {
                                tally.failures.withLock { $0.append("\(error)") }
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }

        let outcomes = tally.results.withLock { $0 }
        let failures = tally.failures.withLock { $0 }
        #expect(failures.isEmpty, "\(failures)")
        #expect(outcomes.count == damages.count)
        var byPlace = [String: (copies: Int, verifyCaught: Int, identical: Int, refused: Int, undetected: Int, unclear: Int)]()
        for outcome in outcomes {
            var row = byPlace[outcome.place] ?? (0, 0, 0, 0, 0, 0)
            row.unclear += outcome.unclear.count
            row.copies += 1
            row.verifyCaught += outcome.verifySaidOK ? 0 : 1
            row.identical += outcome.identical
            row.refused += outcome.refused
            row.undetected += outcome.undetected.count
            byPlace[outcome.place] = row
        }
        let signals = outcomes.flatMap { o in o.signals.map { "\(o.damage): \($0)" } }
        let hangs = outcomes.flatMap { o in o.hangs.map { "\(o.damage): \($0)" } }
        let unclear = outcomes.flatMap { o in o.unclear.map { "\(o.damage) in \(o.place): \($0)" } }
        let unclearOutside = outcomes.filter { $0.place != "projection-state" }.flatMap { o in o.unclear.map { "\(o.damage) in \(o.place): \($0)" } }
        let undetected = outcomes.filter { !$0.undetected.isEmpty }
        let outsideProjectionStates = undetected.filter { $0.place != "projection-state" }
        print("corruption campaign: seed \(seed), \(Self.flips) flips and \(damages.count - Self.flips) cuts of a \(size)-byte data.mdb, \(commands.count) commands each, in \(Int(Date().timeIntervalSince(started))) s")
        print("corruption campaign: deaths by signal \(signals.count), hangs \(hangs.count), unclear errors \(unclear.count) (outside projection-state pages: \(unclearOutside.count)), outputs differing while verify said ok \(undetected.reduce(0) { $0 + $1.undetected.count }) (outside projection-state pages: \(outsideProjectionStates.reduce(0) { $0 + $1.undetected.count }))")
        for (place, row) in byPlace.sorted(by: { $0.key < $1.key }) {
            print("corruption campaign: \(place): \(row.copies) copies, verify caught \(row.verifyCaught), runs identical \(row.identical), refused \(row.refused) (unclear \(row.unclear)), differing while verify ok \(row.undetected)")
        }
        for outcome in undetected.prefix(20) {
            print("corruption campaign: undetected: \(outcome.damage) in \(outcome.place): \(outcome.undetected)")
        }
        #expect(signals.isEmpty, "deaths by signal: \(signals.prefix(10))")
        #expect(hangs.isEmpty, "hangs: \(hangs.prefix(10))")
        #expect(unclearOutside.isEmpty, "errors that are not one `incidents:` line: \(unclearOutside.prefix(10))")
        #expect(outsideProjectionStates.isEmpty, "differing outputs while verify said ok: \(outsideProjectionStates.prefix(10).map { "\($0.damage) in \($0.place): \($0.undetected)" })")
        if Self.projectionStatesAreChecksummed {
            #expect(unclear.isEmpty, "errors that are not one `incidents:` line: \(unclear.prefix(10))")
            #expect(undetected.isEmpty, "differing outputs while verify said ok: \(undetected.prefix(10).map { "\($0.damage) in \($0.place): \($0.undetected)" })")
        }
    }

    /// What the campaign's workers share: the next damage to take, and what came of each.
    final class Tally: Sendable {
        let next = Mutex(0)
        let results = Mutex([Outcome]())
        let failures = Mutex([String]())
    }

    enum Damage: Sendable {
        case flip(offset: Int, mask: UInt8)
        case cut(size: Int)
    }

    /// Damages a fresh copy of the template and runs every command on it.
    static func run(
        _ damage: Damage, template: DamageFixture.Template, in work: TemporaryDirectory, commands: [[String]],
        baseline: [ChildProcess.TimedOutcome]
    ) throws -> Outcome {
        var outcome: Outcome
        let ledger: String
        switch damage {
        case .flip(let offset, let mask):
            outcome = Outcome(damage: "flip of mask \(mask) at byte \(offset)", place: place(template.map.owners[offset / template.map.pageSize]), verifySaidOK: false)
            ledger = try template.copy(in: work) { try DamageFixture.flip($0, at: offset, mask: mask) }
        case .cut(let size):
            outcome = Outcome(damage: "cut to \(size) bytes", place: "truncation", verifySaidOK: false)
            ledger = try template.copy(in: work) { try DamageFixture.truncate($0, to: size) }
        }
        defer { try? FileManager.default.removeItem(atPath: ledger) }
        for (index, arguments) in commands.enumerated() {
            let result = try DamageFixture.run(arguments, ledger: ledger, timeout: timeout)
            let name = arguments[0]
            switch result.ending {
            case .signalled(let signal):
                outcome.signals.append("\(name) died by signal \(signal): \(result.stderr.suffix(300))")
            case .timedOut:
                outcome.hangs.append(name)
            case .exited(let status):
                if index == 0 { outcome.verifySaidOK = status == 0 }
                if status == 0 {
                    if result.stdout == baseline[index].stdout {
                        outcome.identical += 1
                    } else if outcome.verifySaidOK {
                        outcome.undetected.append(name)
                    }
                } else {
                    outcome.refused += 1
                    if !DamageFixture.isClearRefusal(result) { outcome.unclear.append("\(name) exit \(status): \(result.stderr.prefix(300))") }
                }
            }
        }
        return outcome
    }

    /// The name of a class of damaged byte, for the counts.
    static func place(_ owner: PageStructure.Owner) -> String {
        switch owner {
        case .meta: "meta pages"
        case .main: "main database"
        case .free: "free database"
        case .freeSpace: "free pages"
        case .unreached: "unused pages"
        case .database(let name): name
        }
    }
}
