import Foundation
public import LedgerModel
public import LedgerStore
public import Logging

/// Copies a ledger between the two stores — an LMDB directory and a PostgreSQL database, either
/// way — with its positions, recorded-at times and hashes as they are, and its settings (access
/// tokens, webhook receivers), then checks that the copy verifies and has the source's chain head.
///
/// The copy is a new ledger: a destination that holds one already is refused, untouched. Records
/// appended to the source while it runs are not copied (it copies up to the head it found first):
/// stop the servers writing the source first. Projections are not copied; they are rebuilt from
/// the log where they are next read.
public enum LedgerMigration {
    /// What a migration copied.
    public struct Outcome: Sendable {
        /// The source's and the copy's chain head.
        public var head: LedgerHead
        public var settings: Int
        public var source: String
        public var destination: String
    }

    /// How many records one step reads and writes.
    static let pageSize = 5_000

    /// Copies the ledger at `source` (a directory or a `postgres://` URL) into a new ledger at
    /// `destination` (the other kind), verifies the copy, and compares the chain heads.
    ///
    /// - Parameter progress: called after each page with the number of records copied so far.
    public static func copy(
        from source: String, to destination: String, logger: Logger = Logger(label: "incident-ledger.migrate"),
        progress: @Sendable (UInt64) -> Void = { _ in }
    ) async throws(LedgerError) -> Outcome {
        let toPostgres = PostgresLocation.isPostgresURL(destination)
        guard toPostgres != PostgresLocation.isPostgresURL(source) else {
            throw LedgerError(
                .invalidInput,
                "a migration copies a ledger directory into a PostgreSQL database or back: \(PostgresLocation.redacted(source)) and \(PostgresLocation.redacted(destination)) are both \(toPostgres ? "databases" : "directories") — copy a ledger directory as a directory while nothing writes it, a database with pg_dump")
        }
        if toPostgres {
            let ledger = try Ledger.open(at: source, readOnly: true, logger: logger)
            let copy = try await PostgresEventStore.create(url: destination, logger: logger)
            do throws(LedgerError) {
                let head = try await copyRecords(from: ledger, progress: progress) { events throws(LedgerError) in try await copy.copyIn(events) }
                let settings = try ledger.settings(withPrefix: "")
                for (key, value) in settings { try await copy.setSetting(key, value) }
                let verified = try await copy.verify()
                try check(verified, against: head, source: ledger.location, destination: copy.location)
                await copy.close()
                return Outcome(head: head, settings: settings.count, source: ledger.location, destination: copy.location)
            } catch {
                await copy.close()
                throw error
            }
        } else {
            let store = try await PostgresEventStore.open(url: source, logger: logger)
            do throws(LedgerError) {
                let copy = try Ledger.create(at: destination, logger: logger)
                let head = try await copyRecords(from: store, progress: progress) { events throws(LedgerError) in try await copy.replicate(events) }
                let settings = try await store.settings().all
                try copy.replaceSettings(with: settings)
                let report: VerificationReport
                do {
                    report = try copy.verify()
                } catch {
                    throw LedgerError(converting: error) ?? LedgerError(.storage, "cannot verify the copy at \(destination): \(error)", ledgerPath: destination)
                }
                if let problem = report.problem {
                    throw LedgerError(.corrupt, "the copy at \(destination) does not verify: \(problem)", detail: .damagedLog, ledgerPath: destination)
                }
                try check(report.head, against: head, source: store.location, destination: destination)
                await store.close()
                return Outcome(head: head, settings: settings.count, source: store.location, destination: destination)
            } catch {
                await store.close()
                throw error
            }
        }
    }

    /// Reads the source's records page by page up to its head when called, and hands each page to
    /// `write`, which returns the copy's new head; returns the source's head.
    private static func copyRecords(
        from source: some EventStore, progress: (UInt64) -> Void,
        write: ([RecordedEvent]) async throws(LedgerError) -> LedgerHead
    ) async throws(LedgerError) -> LedgerHead {
        let head = try await source.head()
        var copied: UInt64 = 0
        while copied < head.position {
            let page = try await source.events(from: copied + 1, limit: Int(min(UInt64(pageSize), head.position - copied)))
            guard !page.isEmpty else {
                throw LedgerError(.corrupt, "\(source.location) ends at position \(copied), before its head at \(head.position)", detail: .damagedLog)
            }
            _ = try await write(page)
            copied = page[page.count - 1].position
            progress(copied)
        }
        return head
    }

    private static func check(_ copied: LedgerHead, against head: LedgerHead, source: String, destination: String) throws(LedgerError) {
        guard copied.position == head.position, copied.hash == head.hash else {
            throw LedgerError(
                .corrupt,
                "the copy at \(destination) ends at position \(copied.position) with hash \(copied.hash), but \(source) at \(head.position) with \(head.hash)",
                detail: .damagedLog)
        }
    }
}
