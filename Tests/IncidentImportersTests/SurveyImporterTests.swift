import Foundation
import IncidentImporters
import IncidentEvents
import LedgerModel
import LedgerStore
import LedgerTestSupport
import IncidentService
import Testing

private let mappingJSON = #"""
    {"kind": "survey", "source": "test-surveys", "streamPrefix": "T-",
     "columns": {"incident": "ticket", "customer": "customer", "sent": "sent", "answered": "answered",
                 "score": "score", "scale": "scale", "comment": "comment"},
     "scales": {"1-5": "csat_1_5", "0-10": "nps_0_10"}}
    """#

private func map(_ rows: [String]) throws -> SurveyImport {
    let text = "ticket,customer,sent,answered,score,scale,comment\n" + rows.joined(separator: "\n") + "\n"
    return try SurveyImporter.map(try CSVTable(parsing: Array(text.utf8)), mapping: try SurveyMapping(json: Array(mappingJSON.utf8)))
}

private func typed(_ event: StreamEvent) throws -> IncidentEvent {
    try Catalog.decode(type: event.event.type, schemaVersion: event.event.schemaVersion, payload: try event.event.payload.decoded().objectValue ?? [:])
}

@Suite struct SurveyImporterTests {
    @Test func aRowIsASurveySentAndItsAnswer() throws {
        let result = try map([
            #"A,acme,2024-01-02T09:00:00Z,2024-01-03T10:00:00Z,4,1-5,"Quick fix, slow updates""#,
            "A,globex,2024-01-02T09:00:00Z,,,0-10,",
        ])
        #expect(result.warnings.isEmpty)
        let events = try #require(result.incidents.first).events
        #expect(events.map(\.event.type) == ["survey.sent", "survey.answered", "survey.sent"])
        // The survey tool recorded the sending and the response when they happened.
        #expect(events.map(\.event.sourceRecordedAt) == events.map(\.event.occurredAt))
        #expect(events.allSatisfy { $0.stream == "T-A" })
        guard case .surveySent(let sent) = try typed(events[0]), case .surveyAnswered(let answer) = try typed(events[1]),
              case .surveySent(let unanswered) = try typed(events[2])
        else { Issue.record("unexpected events"); return }
        #expect(sent.surveyId == "acme@2024-01-02T09:00:00Z")
        #expect(sent.scale == .csat)
        #expect(sent.channel == .email)
        #expect(answer.score == 4)
        #expect(answer.comment == "Quick fix, slow updates")
        #expect(unanswered.scale == .nps)
        #expect(events[1].event.occurredAt == (try Timestamp(rfc3339: "2024-01-03T10:00:00Z")))
    }

    @Test func answersThatCannotStandAreSkippedWithWarnings() throws {
        let result = try map([
            "A,acme,2024-01-02T09:00:00Z,2024-01-03T10:00:00Z,7,1-5,",      // off the scale
            "A,globex,2024-01-02T09:00:00Z,2024-01-01T10:00:00Z,3,1-5,",    // answered before sent
            "A,initech,2024-01-02T09:00:00Z,,3,1-5,",                        // no answer time
            "A,hooli,yesterday,,,1-5,",                                       // no sent time
            "A,acme,2024-01-02T09:00:00Z,,,1-5,",                             // the same survey again
            "A,umbrella,2024-01-02T09:00:00Z,,,1-7,",                         // unknown scale
        ])
        #expect(result.warnings.map(\.kind) == [.invalidAnswer, .invalidAnswer, .missingField, .badTimestamp, .duplicateSurvey, .unknownValue])
        #expect(result.warnings.map(\.row) == [2, 3, 4, 5, 6, 7])
        #expect(result.skippedRows == 3)
        #expect(result.events.map(\.event.type) == ["survey.sent", "survey.sent", "survey.sent"])
    }

    @Test func surveysRecordOnDeclaredIncidentsAndAgainAddNothing() async throws {
        let directory = TemporaryDirectory()
        let recorder = EventRecorder(ledger: try Ledger.create(at: directory.path))
        let declared = Catalog.proposed(
            .declared(IncidentDeclared(title: "Checkout errors", severity: .sev2)), occurredAt: try Timestamp(rfc3339: "2024-01-01T09:00:00Z"),
            actor: Actor(kind: .person, id: "jane@example.com"), source: "test")
        _ = try await recorder.record([StreamEvent(stream: "T-A", event: declared)])
        let rows = ["A,acme,2024-01-02T09:00:00Z,2024-01-03T10:00:00Z,4,1-5,ok", "A,globex,2024-01-02T09:00:00Z,,,0-10,"]
        let first = try await recorder.record(try map(rows).events)
        #expect(first.allSatisfy { !$0.alreadyRecorded })
        let again = try await recorder.record(try map(rows).events)
        #expect(again.allSatisfy { $0.alreadyRecorded })
    }

    @Test(arguments: [
        (mappingJSON.replacingOccurrences(of: #""score": "score", "#, with: ""), "columns.answered and columns.score go together"),
        (mappingJSON.replacingOccurrences(of: #""scale": "scale", "#, with: ""), "scale is missing"),
        (mappingJSON.replacingOccurrences(of: #""nps_0_10""#, with: #""nps""#), "scales.0-10 is 'nps'"),
        (mappingJSON.replacingOccurrences(of: #""kind": "survey""#, with: #""kind": "event-log""#), "needs a 'survey' mapping"),
    ])
    func badMappingsAreRefusedNamingTheKey(json: String, message: String) {
        #expect {
            _ = try SurveyMapping(json: Array(json.utf8))
        } throws: { error in
            (error as? MappingError)?.description.contains(message) == true
        }
    }
}
