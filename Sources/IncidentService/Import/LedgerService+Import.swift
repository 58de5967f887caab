public import IncidentImporters
public import LedgerStore

extension LedgerService {
    /// Records what an importer mapped (or the records of `append`) through `run`: all or nothing,
    /// or with `keepGoing` the good records and the bad ones in the run's report; then catches the
    /// stored projections up with whatever was written.
    ///
    /// See ``ImportRun/record(_:rejected:with:keepGoing:expectedVersion:addingToRecorded:progress:)``.
    @discardableResult
    public func record(
        _ records: [ImportedIncident], rejected: [RecordRejection] = [], in run: inout ImportRun, keepGoing: Bool,
        expectedVersion: ExpectedVersion? = nil, addingToRecorded: Bool = false, progress: (ImportRun.Progress) -> Void = { _ in }
    ) async throws -> [AppendResult] {
        defer { afterWriting() }
        return try await run.record(
            records, rejected: rejected, with: recorder, keepGoing: keepGoing, expectedVersion: expectedVersion,
            addingToRecorded: addingToRecorded, progress: progress)
    }
}
