import LedgerAudit
import Foundation
import IncidentImporters
@testable import IncidentsCLI
import LedgerModel
import LedgerStore
import IncidentMetrics
import IncidentProjections
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

    @Test func aTimestampThatDoesNotParseIsInvalidInput() {
        let error = #expect(throws: Timestamp.ParseError.self) { try Timestamp(rfc3339: "soon") }
        #expect(error.map { CommandFailure(reporting: $0).status } == .invalidInput)
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
