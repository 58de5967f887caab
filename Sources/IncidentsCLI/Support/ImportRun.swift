import IncidentEvents
import Importers
import LedgerStore

/// Records what an importer mapped, and reports it: shared by every `import` subcommand.
///
/// Without --continue-on-error every event is one atomic batch: all of it is recorded or nothing.
/// The progress bar then counts the mapping, and shows the recording as one step that takes
/// time, because `EventRecorder` checks and appends a batch as a whole. With --continue-on-error
/// incidents are recorded in chunks of about `chunkEvents` events (whole incidents, so a re-import
/// is still recognised incident by incident); a refused chunk is retried incident by incident, so
/// only the incidents the ledger refuses are left out, each reported as a `record_failed` warning.
struct ImportRun {
    static let chunkEvents = 2000

    var summary: ImportSummary
    var warnings: [ImportWarning]

    init(incidentsInDocument: Int, warnings: [ImportWarning]) {
        summary = ImportSummary(incidentsInDocument: incidentsInDocument)
        self.warnings = warnings
    }

    mutating func record(_ incidents: [ImportedIncident], recorder: EventRecorder, continueOnError: Bool, progress: ProgressBar) async throws {
        let incidents = incidents.filter { !$0.events.isEmpty }
        guard !incidents.isEmpty else { return }
        guard continueOnError else {
            let events = incidents.flatMap(\.events)
            progress.phase("recording \(events.count) events of \(incidents.count) incidents as one atomic batch", total: nil)
            summary.add(try await recorder.record(events))
            return
        }
        progress.phase("recording", total: incidents.count)
        var start = 0
        while start < incidents.count {
            var end = start
            var size = 0
            while end < incidents.count, end == start || size + incidents[end].events.count <= Self.chunkEvents {
                size += incidents[end].events.count
                end += 1
            }
            let chunk = incidents[start..<end]
            do {
                summary.add(try await recorder.record(chunk.flatMap(\.events)))
            } catch {
                for incident in chunk {
                    do {
                        summary.add(try await recorder.record(incident.events))
                    } catch {
                        summary.incidentsSkipped += 1
                        summary.eventsSkipped += incident.events.count
                        warnings.append(ImportWarning(.recordFailed, incidentID: incident.sourceID, "not recorded: \(error.message)"))
                    }
                }
            }
            start = end
            progress.update(start)
        }
    }

    /// Prints the warnings (standard error) and the summary (standard output).
    mutating func finish(json: Bool) {
        ImportSummary.printWarnings(warnings)
        for warning in warnings { summary.warnings[warning.kind.rawValue, default: 0] += 1 }
        summary.print(json: json)
    }
}
