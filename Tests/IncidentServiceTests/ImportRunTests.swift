import Foundation
import IncidentImporters
import IncidentEvents
import LedgerModel
import LedgerStore
import LedgerTestSupport
import IncidentService
import Testing

private func event(_ stream: String, _ type: String, at time: String, _ payload: String) -> String {
    #"{"stream":"\#(stream)","type":"\#(type)","occurredAt":"\#(time)","actor":{"kind":"person","id":"jo"},"source":"test","payload":\#(payload)}"#
}

/// Five lines: two incidents declared and acknowledged, one declaration with a bad severity (so its
/// acknowledgement breaks a rule too), and a line that is not JSON.
private let lines = [
    event("INC-1", "incident.declared", at: "2024-01-01T10:00:00Z", #"{"title":"One","kind":"unplanned","severity":"sev2"}"#),
    event("INC-2", "incident.declared", at: "2024-01-01T10:00:00Z", #"{"title":"Two","kind":"unplanned","severity":"sev9"}"#),
    event("INC-2", "incident.acknowledged", at: "2024-01-01T10:01:00Z", #"{"by":"jo"}"#),
    "{not json",
    event("INC-1", "incident.acknowledged", at: "2024-01-01T10:01:00Z", #"{"by":"jo"}"#),
].joined(separator: "\n") + "\n"

@Suite struct ImportRunTests {
    @Test func oneBadRecordRefusesEverythingAndNamesEachBadRecord() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let input = try EventLines(parsing: Array(lines.utf8))
        #expect(input.count == 5)
        var run = ImportRun(incidentsInDocument: input.count, warnings: [])
        do {
            try await run.record(input.records, rejected: input.rejections, with: EventRecorder(ledger: ledger), keepGoing: false)
            Issue.record("a bad record was accepted")
        } catch let refusal as ImportRefusal {
            #expect(refusal.rejections.map(\.index) == [2, 3, 4])
            #expect(refusal.rejections.map(\.field) == ["payload.severity", "stream", ""])
            #expect(refusal.rejections[1].rule.contains("INC-2 has not been declared"))
            #expect(refusal.description.hasPrefix("3 of 5 records are refused: line 2 (incident 'INC-2'): payload.severity: "))
            #expect(refusal.description.contains("nothing was written"))
        }
        #expect(try ledger.read { try $0.head() }.position == 0)
    }

    @Test func keepingGoingRecordsTheGoodAndReturnsTheBad() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.create(at: directory.path)
        let input = try EventLines(parsing: Array(lines.utf8))
        var run = ImportRun(incidentsInDocument: input.count, warnings: [])
        let results = try await run.record(input.records, rejected: input.rejections, with: EventRecorder(ledger: ledger), keepGoing: true)
        #expect(results.map(\.stream) == ["INC-1"])
        #expect(run.report.eventsImported == 2)
        #expect(run.report.rejections.map(\.index) == [2, 3, 4])
        let rejects = String(decoding: RecordRejection.jsonLines(run.report.rejections), as: UTF8.self).split(separator: "\n")
        #expect(rejects.count == 3)
        let first = try JSONParser.parse(Array(rejects[0].utf8))
        #expect(first["index"] == .integer(2))
        #expect(first["field"] == .string("payload.severity"))
        #expect(first["record"]?["payload"]?["severity"] == .string("sev9"))
        #expect(try JSONParser.parse(Array(rejects[2].utf8))["record"] == .string("{not json"))
    }

    @Test func warningsAreSummarisedByKindUnlessAllAreAsked() {
        let warnings = (1...25).map { ImportWarning(.truncated, incidentID: "A", row: $0, "long") } + [ImportWarning(.reopened, incidentID: "B", "again")]
        let summary = ImportWarning.report(warnings, all: false)
        #expect(summary.count == 5 + 1 + 1)
        #expect(summary[5] == "[truncated] … and 20 more (25 in all; --warnings all lists every one)")
        #expect(ImportWarning.report(warnings, all: true).count == 26)
    }
}
