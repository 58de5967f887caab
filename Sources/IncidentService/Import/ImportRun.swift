import IncidentEvents
public import IncidentImporters
import LedgerModel
public import LedgerStore

/// What an import did: counts, warnings and the records refused.
public struct ImportReport: Sendable {
    public var incidentsInDocument: Int
    public var incidentsImported = 0
    public var incidentsAlreadyPresent = 0
    public var incidentsSkipped = 0
    public var eventsImported = 0
    public var eventsAlreadyPresent = 0
    public var eventsSkipped = 0
    public var warnings: [ImportWarning]
    /// The records the ledger refused (with --keep-going: left out and written to the rejects file).
    public var rejections = [RecordRejection]()

    public init(incidentsInDocument: Int, warnings: [ImportWarning]) {
        self.incidentsInDocument = incidentsInDocument
        self.warnings = warnings
    }

    /// Counts what the ledger did with appended events.
    public mutating func add(_ results: [AppendResult]) {
        var written = Set<String>()
        var present = Set<String>()
        for result in results {
            if result.alreadyRecorded {
                eventsAlreadyPresent += result.positions.count
                present.insert(result.stream)
            } else {
                eventsImported += result.positions.count
                written.insert(result.stream)
            }
        }
        incidentsImported += written.count
        incidentsAlreadyPresent += present.subtracting(written).count
    }

    /// The number of warnings of each kind.
    public var warningCounts: [ImportWarning.Kind: Int] {
        var counts = [ImportWarning.Kind: Int]()
        for warning in warnings { counts[warning.kind, default: 0] += 1 }
        return counts
    }
}

/// Records what an importer mapped: the one way every `import` and `append` writes records.
///
/// All or nothing (the default): every event is one atomic batch. When the ledger refuses it, each
/// record is checked on its own (``EventRecorder/screen(_:)``) and ``ImportRefusal`` names every bad
/// one, its index, field and rule; nothing is written. Keep going: the bad records are found first and
/// left out (``ImportReport/rejections``), and the others are recorded in chunks of whole records of
/// about ``chunkEvents`` events; a chunk the store refuses (an id used elsewhere) is retried record by
/// record, so only the records it refuses are left out, as rejections too.
public struct ImportRun: Sendable {
    /// What the run is doing, for a progress display.
    public enum Progress: Sendable {
        /// One atomic batch of this many events and records: one step that takes time.
        case batch(events: Int, records: Int)
        /// Records recorded so far, of the total, when keeping going.
        case recorded(done: Int, total: Int)
    }

    public static let chunkEvents = 2000

    public var report: ImportReport

    public init(incidentsInDocument: Int, warnings: [ImportWarning]) {
        report = ImportReport(incidentsInDocument: incidentsInDocument, warnings: warnings)
    }

    /// Records `records`, each all or nothing; `rejected` are records already refused while reading
    /// the input (syntax, envelope). Returns what the ledger appended.
    ///
    /// - Parameter expectedVersion: for an atomic batch about one incident (`append`).
    /// - Parameter addingToRecorded: the records' event ids derive from their source (every importer):
    ///   events the ledger already holds are left out, so a source exported again after an incident
    ///   gained updates adds just the new ones (``leaveOutRecorded(_:recorder:)``).
    @discardableResult
    public mutating func record(
        _ records: [ImportedIncident], rejected: [RecordRejection] = [], with recorder: EventRecorder, keepGoing: Bool,
        expectedVersion: ExpectedVersion? = nil, addingToRecorded: Bool = false, progress: (Progress) -> Void = { _ in }
    ) async throws -> [AppendResult] {
        let records = try (addingToRecorded ? leaveOutRecorded(records, recorder: recorder) : records).filter { !$0.events.isEmpty }
        guard keepGoing else {
            guard rejected.isEmpty else {
                let all = try Self.rejections(records, recorder: recorder) + rejected
                throw ImportRefusal(rejections: Self.sorted(all), records: records.count + rejected.count)
            }
            guard !records.isEmpty else { return [] }
            let events = records.flatMap(\.events)
            progress(.batch(events: events.count, records: records.count))
            let failure: LedgerError
            do {
                let results = try await recorder.record(events, expectedVersion: expectedVersion)
                report.add(results)
                return results
            } catch {
                failure = error
            }
            // Refused as a whole: find every bad record, to name them all.
            let rejections = failure.code == .invalidInput ? try Self.rejections(records, recorder: recorder) : []
            guard !rejections.isEmpty else { throw failure }
            throw ImportRefusal(rejections: rejections, records: records.count)
        }
        var rejections = rejected
        let refused = try recorder.screen(records.map(\.events))
        for (position, record) in records.enumerated() {
            if let error = refused[position] { rejections.append(RecordRejection(record, position: position + 1, error: error)) }
        }
        let accepted = records.enumerated().filter { refused[$0.offset] == nil }.map { (position: $0.offset + 1, record: $0.element) }
        var appended = [AppendResult]()
        progress(.recorded(done: 0, total: accepted.count))
        var start = 0
        while start < accepted.count {
            var end = start
            var size = 0
            while end < accepted.count, end == start || size + accepted[end].record.events.count <= Self.chunkEvents {
                size += accepted[end].record.events.count
                end += 1
            }
            let chunk = accepted[start..<end]
            do {
                appended += try await recorder.record(chunk.flatMap(\.record.events))
            } catch {
                for (position, record) in chunk {
                    let failure: LedgerError
                    do {
                        appended += try await recorder.record(record.events)
                        continue
                    } catch {
                        failure = error
                    }
                    guard [.invalidInput, .duplicateEventID, .wrongExpectedVersion].contains(failure.code) else { throw failure }
                    let cause = failure.cause as? EventInputError ?? EventInputError(field: "", reason: failure.message)
                    rejections.append(RecordRejection(record, position: position, error: cause))
                }
            }
            start = end
            progress(.recorded(done: start, total: accepted.count))
        }
        report.add(appended)
        report.rejections = Self.sorted(rejections)
        return appended
    }

    /// Leaves out of each record the events the ledger already holds (by id), counting them as already
    /// present: what remains are the events the source has gained since it was last imported, appended
    /// after the incident's recorded ones. An event recorded from an earlier import that differs from
    /// what the source gives now (edited at the source since, or mapped by an earlier build) is kept as
    /// it was recorded, never overwritten, with a `changed_since_import` warning; a correction changes it.
    mutating func leaveOutRecorded(_ records: [ImportedIncident], recorder: EventRecorder) throws -> [ImportedIncident] {
        var remaining = [ImportedIncident]()
        var presentIncidents = 0
        var presentEvents = 0
        try recorder.ledger.read { reader throws in
            for var record in records {
                var fresh = [StreamEvent]()
                var differing = 0
                for item in record.events {
                    guard let stored = try reader.event(id: item.event.id) else {
                        fresh.append(item)
                        continue
                    }
                    let proposed = EnvelopeRules.normalized(item)
                    if stored.stream != proposed.stream || stored.proposed != proposed.event { differing += 1 }
                }
                let present = record.events.count - fresh.count
                presentEvents += present
                if fresh.isEmpty, present > 0 { presentIncidents += 1 }
                if differing > 0 {
                    report.warnings.append(ImportWarning(
                        .changedSinceImport, incidentID: record.sourceID,
                        "\(differing) of its events already recorded differ from what the source gives now (edited there since, or mapped by an earlier build); the ledger keeps them as recorded (record a correction to change one)"))
                }
                record.events = fresh
                remaining.append(record)
            }
        }
        report.incidentsAlreadyPresent += presentIncidents
        report.eventsAlreadyPresent += presentEvents
        return remaining
    }

    /// In the order of the input.
    static func sorted(_ rejections: [RecordRejection]) -> [RecordRejection] {
        rejections.sorted { ($0.unit.rawValue, $0.index) < ($1.unit.rawValue, $1.index) }
    }

    /// Every record the ledger refuses, checked one by one.
    static func rejections(_ records: [ImportedIncident], recorder: EventRecorder) throws -> [RecordRejection] {
        let refused = try recorder.screen(records.map(\.events))
        return records.enumerated().compactMap { position, record in
            refused[position].map { RecordRejection(record, position: position + 1, error: $0) }
        }
    }
}
