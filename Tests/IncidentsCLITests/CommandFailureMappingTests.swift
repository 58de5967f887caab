import LedgerAudit
import Foundation
import IncidentImporters
@testable import IncidentsCLI
import LedgerModel
import LedgerStore
import IncidentMetrics
import IncidentProjections
import IncidentService
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every error type the libraries throw has its exit status in CommandFailure(reporting:), so none
/// reaches the argument parser's fallback.
@Suite struct CommandFailureMappingTests {
    static let cases: [(String, any Error, CommandFailure.ExitStatus)] = [
        ("LedgerError corrupt", LedgerError(.corrupt, "x"), .damaged),
        ("LedgerError storage-full", LedgerError(.storageFull, "x"), .storage),
        ("LedgerError not found", LedgerError(.ledgerNotFound, "x"), .unavailable),
        ("LedgerError conflict", LedgerError(.wrongExpectedVersion, "x"), .conflict),
        ("AuditError verification", AuditError(.verificationFailed, "x"), .damaged),
        ("AuditError storage", AuditError(.storage, "x"), .storage),
        ("AuditError missing key", AuditError(.missingKey, "x"), .invalidInput),
        ("StateBytesError", StateBytesError(), .damaged),
        ("MerkleProofError", MerkleProofError("x"), .damaged),
        ("EventInputError", EventInputError(field: "f", reason: "r"), .invalidInput),
        ("MappingError", MappingError("x"), .invalidInput),
        ("StatuspageImportError", StatuspageImportError("x"), .invalidInput),
        ("BusinessCalendarError", BusinessCalendarError(code: .invalidTime, message: "x"), .invalidInput),
        ("a full disk from Foundation", CocoaError(.fileWriteOutOfSpace), .storage),
        ("EIO under a Cocoa error", NSError(domain: NSCocoaErrorDomain, code: 512, userInfo: [NSUnderlyingErrorKey: POSIXError(.EIO)]), .storage),
        ("a missing folder from Foundation", CocoaError(.fileNoSuchFile), .invalidInput),
        ("a POSIX error", POSIXError(.EACCES), .invalidInput),
    ]

    @Test(arguments: cases.indices)
    func eachLibraryErrorHasItsExitStatus(index: Int) throws {
        let (label, error, status) = Self.cases[index]
        let failure = CommandFailure(reporting: error)
        #expect(failure.status == status, "\(label): \(failure.status)")
        #expect(!failure.message.contains("The operation could not be completed"), "\(label): \(failure.message)")
    }

    /// The library states the facts; the tool adds its remedy, so each line reads as it always did.
    @Test func aLedgerFailureGetsTheToolsRemedy() {
        let cases: [(LedgerError, String)] = [
            (LedgerError(.ledgerNotFound, "no ledger at x", detail: .noDirectory),
             "no ledger at x — create one with `incidents init`, or name an existing one with --ledger or INCIDENTS_LEDGER"),
            (LedgerError(.ledgerNotFound, "x holds no ledger (no data.mdb)", detail: .noDataFile), "x holds no ledger (no data.mdb) — create one with `incidents init`"),
            (LedgerError(.unsupportedFormat, "the ledger at x has format 9, newer than this build reads (2)"),
             "the ledger at x has format 9, newer than this build reads (2) — use a newer `incidents`; the ledger was not touched"),
            (LedgerError(.corrupt, "a log key is not 8 bytes long", detail: .damagedLog), "a log key is not 8 bytes long; run `incidents verify`"),
            (LedgerError(.corrupt, "refusing to sign a smaller log", detail: .contradictsSignedCheckpoint), "refusing to sign a smaller log — run `incidents verify`"),
            (LedgerError(.corrupt, "the ledger's files are damaged (x)", detail: .damagedFiles),
             "the ledger's files are damaged (x) — run `incidents verify`, and restore from a backup if it fails"),
            (LedgerError(.corrupt, "data.mdb is damaged: x; the log is intact, the damage is in derived data", detail: .damagedDerivedData),
             "data.mdb is damaged: x; the log is intact, the damage is in derived data — run `incidents projections rebuild`, else restore the ledger from a backup"),
            (LedgerError(.corrupt, "projection p: x", detail: .damagedProjection), "projection p: x — `incidents projections rebuild` makes it again"),
            (LedgerError.notWritable("/l"),
             "the ledger at /l is not accessible for writing by this user (its files are read-only to it); nothing was written — ask for write access to /l, or run the command as its owner"),
            (LedgerError(.storage, "storage failure (x); nothing was written"), "storage failure (x); nothing was written"),
        ]
        for (error, line) in cases {
            #expect(!error.message.contains("incidents"))
            #expect(CommandFailure(reporting: error).message == line)
        }
    }

    @Test func aTimestampThatDoesNotParseIsInvalidInput() {
        let error = #expect(throws: Timestamp.ParseError.self) { try Timestamp(rfc3339: "soon") }
        #expect(error.map { CommandFailure(reporting: $0).status } == .invalidInput)
    }

    /// The CLI's recording commands and the server's verb routes come from one table: each verb is a command.
    @Test func everyRecordingVerbIsACommand() {
        let paths = Set(CommandTree.runnablePaths())
        for verb in RecordingVerb.all { #expect(paths.contains(verb.words), "\(verb.words)") }
    }

    @Test func aMisspeltCommandFindsTheNearestPath() {
        #expect(CommandTree.suggestion(for: "verfy", after: []) == ["verify"])
        #expect(CommandTree.suggestion(for: "statuspage", after: []) == ["import", "statuspage"])
        #expect(CommandTree.suggestion(for: "craete", after: ["keys"]) == ["keys", "create"])
        #expect(CommandTree.suggestion(for: "lst", after: ["schema"]) == ["schema", "list"])
        #expect(CommandTree.suggestion(for: "xyzzy", after: []) == nil)
        #expect(CommandTree.editDistance("kitten", "sitting") == 3)
    }
}
