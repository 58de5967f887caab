import Foundation
import IncidentImporters
import IncidentEvents
import LedgerModel
import LedgerStore
import LedgerTestSupport
import IncidentService
import Testing

/// A small ticketing system's mapping: two status columns, three support levels.
private let mappingJSON = #"""
    {"kind": "event-log", "source": "test-desk", "streamPrefix": "T-",
     "columns": {"incident": "id", "time": "at", "status": ["status", "sub"], "severity": "impact",
                 "level": "level", "assignee": "who", "service": "product"},
     "title": "Ticket {id}: {summary}",
     "statuses": {"Open / Working": {"lifecycle": "open", "status": "investigating", "acknowledges": true},
                  "Open / Queued": {"lifecycle": "open"},
                  "Open / Fix ready": {"lifecycle": "open", "status": "identified"},
                  "Done / Resolved": {"lifecycle": "resolved"},
                  "Done / Closed": {"lifecycle": "closed"},
                  "Other / Noise": {"lifecycle": "ignored"}},
     "severities": {"High": "sev2", "Low": "sev4"},
     "levels": {"L1": "support", "L2": "escalation_manager", "L3": "engineering"}}
    """#

private let header = "id,at,status,sub,impact,level,who,product,summary\n"

/// One ticket's life: queued, worked on, escalated L1 → L2 → L3, back to L1 and resolved, reopened,
/// resolved again, closed twice.
private let lifeRows = [
    #"A,2024-01-01T10:00:00Z,Open,Queued,High,L1,ann,web,"Checkout, slow""#,
    "A,2024-01-01T10:05:00Z,Open,Working,High,L1,ann,web,x",
    "A,2024-01-01T10:10:00Z,Open,Queued,High,L2,bob,web,x",
    "A,2024-01-01T10:20:00Z,Open,Working,High,L3,cy,web,x",
    "A,2024-01-01T10:30:00Z,Done,Resolved,High,L1,ann,web,x",
    "A,2024-01-01T10:40:00Z,Open,Working,High,L1,ann,web,x",
    "A,2024-01-01T10:50:00Z,Done,Resolved,High,L1,ann,web,x",
    "A,2024-01-01T11:00:00Z,Done,Closed,High,L1,ann,web,x",
    "A,2024-01-01T11:05:00Z,Done,Closed,High,L1,ann,web,x",
]

private func mapping(_ json: String = mappingJSON) throws -> EventLogMapping { try EventLogMapping(json: Array(json.utf8)) }

private func map(_ rows: [String], mapping json: String = mappingJSON, header: String = header) throws -> EventLogImport {
    try EventLogImporter.map(try CSVTable(parsing: Array((header + rows.joined(separator: "\n") + "\n").utf8)), mapping: try mapping(json))
}

private func typed(_ event: StreamEvent) throws -> IncidentEvent {
    try Catalog.decode(type: event.event.type, schemaVersion: event.event.schemaVersion, payload: try event.event.payload.decoded().objectValue ?? [:])
}

private func kinds(_ result: EventLogImport) -> [ImportWarning.Kind] { result.warnings.map(\.kind) }

@Suite struct EventLogImporterTests {
    /// The row's change time is when the source system recorded the change.
    @Test func eventsCarryTheRowTimeAsTheSourceRecordTime() throws {
        let events = try #require(try map(lifeRows).incidents.first).events
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0.event.sourceRecordedAt == $0.event.occurredAt })
    }

    @Test func statusRowsBecomeTheLifecycleAndLevelRisesEscalations() throws {
        let result = try map(lifeRows)
        let incident = try #require(result.incidents.first)
        #expect(incident.stream == "T-A")
        #expect(incident.events.map(\.event.type) == [
            "incident.declared", "incident.responder_assigned",
            "incident.acknowledged", "incident.status_changed",
            "escalation.raised", "incident.responder_assigned",
            "escalation.closed", "escalation.raised", "incident.responder_assigned",
            "escalation.closed", "incident.responder_assigned", "incident.resolved",
            "incident.reopened", "incident.status_changed",
            "incident.resolved",
            "incident.closed",
        ])
        #expect(kinds(result) == [.reopened, .repeatedStatus])
        #expect(result.warnings.map(\.row) == [7, 10])

        guard case .declared(let declared) = try typed(incident.events[0]) else { Issue.record("not a declaration"); return }
        #expect(declared.title == "Ticket A: Checkout, slow")
        #expect(declared.severity == .sev2)
        #expect(declared.services == ["web"])
        #expect(incident.events[0].event.occurredAt == (try Timestamp(rfc3339: "2024-01-01T10:00:00Z")))
        guard case .acknowledged(let ack) = try typed(incident.events[2]) else { Issue.record("not an acknowledgement"); return }
        #expect(ack.by == "ann")
        guard case .escalationRaised(let first) = try typed(incident.events[4]),
              case .escalationRaised(let second) = try typed(incident.events[7]),
              case .escalationClosed(let back) = try typed(incident.events[9])
        else { Issue.record("escalations out of place"); return }
        #expect((first.fromLevel, first.toLevel) == (.support, .escalationManager))
        #expect((second.fromLevel, second.toLevel) == (.escalationManager, .engineering))
        #expect(first.escalationId == "L2@2024-01-01T10:10:00Z")
        #expect(back.escalationId == second.escalationId)
        #expect(first.note == "Support level L1 → L2 in test-desk")
    }

    @Test func everyMappedEventPassesTheRulesAndRecordingAgainAddsNothing() async throws {
        let directory = TemporaryDirectory()
        let recorder = EventRecorder(ledger: try Ledger.create(at: directory.path))
        let result = try map(lifeRows + ["B,2024-02-01T08:00:00Z,Done,Closed,Low,L3,,db,y"])
        let first = try await recorder.record(result.events)
        #expect(first.allSatisfy { !$0.alreadyRecorded })
        let again = try await recorder.record(try map(lifeRows + ["B,2024-02-01T08:00:00Z,Done,Closed,Low,L3,,db,y"]).events)
        #expect(again.allSatisfy { $0.alreadyRecorded })
    }

    @Test func rowsOutOfOrderAreImportedInTimeOrderWithTheSameIDs() throws {
        let ordered = try map(lifeRows)
        // Reversed, and with another ticket's rows in between: other lines, the same events.
        var shuffled = Array(lifeRows.reversed())
        shuffled.insert("Z,2024-01-01T09:00:00Z,Open,Working,Low,L1,zed,db,z", at: 3)
        let result = try map(shuffled)
        let incident = try #require(result.incidents.first { $0.sourceID == "A" })
        #expect(incident.events == ordered.incidents[0].events)
        #expect(kinds(result).filter { $0 == .outOfOrder }.count == 1)
        #expect(result.warnings.first { $0.kind == .outOfOrder }?.incidentID == "A")
    }

    @Test func rowsAtTheSameInstantKeepFileOrderAndDistinctIDs() throws {
        let result = try map([
            "A,2024-01-01T10:00:00Z,Open,Queued,High,L1,ann,web,x",
            "A,2024-01-01T10:00:00Z,Open,Working,High,L2,bob,web,x",
            "A,2024-01-01T10:00:00Z,Done,Resolved,High,L2,bob,web,x",
        ])
        let events = try #require(result.incidents.first).events
        #expect(events.map(\.event.type) == [
            "incident.declared", "incident.responder_assigned", "incident.acknowledged", "incident.status_changed",
            "escalation.raised", "incident.responder_assigned", "incident.resolved",
        ])
        #expect(Set(events.map(\.event.id)).count == events.count)
    }

    @Test func untidyRowsAreWarningsWithTheirLinesNeverACrash() throws {
        let result = try map([
            "A,not a time,Open,Working,High,L1,ann,web,x",                   // line 2: bad time, skipped
            "A,2024-01-01T10:00:00Z,Open,Queued,High,L1,ann,web,x",          // line 3: the declaration
            "A,2024-01-01T10:05:00Z,Open,Sleeping,High,L9,ann,web,x",        // line 4: unknown status and level
            "A,,Open,Working,High,L1,ann,web,x",                              // line 5: no time
            "A,2024-01-01T10:10:00Z,Open,Working,,L1,,web,x",                // line 6: empty severity and assignee
            "A,2024-01-01T10:20:00Z,Other,Noise,Medium,L1,ann,web,x",        // line 7: ignored status, unknown severity
            "A,2024-01-01T10:30:00Z,Done,Closed,High,L1,ann,web,x",          // line 8: closed, never resolved
            ",2024-01-01T10:30:00Z,Done,Closed,High,L1,ann,web,x",           // line 9: no incident id
            "C,2024-01-01T10:30:00Z,Open,Working,Critical,L1,ann,web,x",     // line 10: unknown severity: skipped
        ])
        let lines = result.warnings.map { "\($0.kind.rawValue)@\($0.row.map(String.init) ?? "-")" }
        #expect(lines == [
            "missing_field@9",
            "bad_timestamp@2", "missing_field@5", "unknown_value@4", "unknown_value@4",
            "missing_field@6", "missing_field@6", "unknown_value@7", "closed_without_resolution@8",
            "unknown_value@10",
        ])
        #expect(result.incidents.map(\.sourceID) == ["A"])
        #expect(result.skippedIncidents == 1)
        let events = result.incidents[0].events
        #expect(events.first?.event.occurredAt == (try Timestamp(rfc3339: "2024-01-01T10:00:00Z")))
        #expect(events.map(\.event.type).last == "incident.closed")
    }

    @Test func patternTimesAreReadInTheMappingsTimeZone() throws {
        let json = mappingJSON.replacingOccurrences(
            of: #""title":"#, with: #""time": {"format": "dd/MM/yyyy HH:mm:ss", "timeZone": "Europe/Brussels"}, "title":"#)
        let result = try map([
            "A,14/01/2024 12:00:00,Open,Queued,High,L1,ann,web,x",
            "A,14/07/2024 12:00:00,Open,Working,High,L1,ann,web,x",
            "A,31/02/2024 12:00:00,Open,Working,High,L1,ann,web,x",
        ], mapping: json)
        let times = result.incidents[0].events.map(\.event.occurredAt.rfc3339)
        #expect(times.first == "2024-01-14T11:00:00Z")  // winter: UTC+1
        #expect(times.last == "2024-07-14T10:00:00Z")  // summer: UTC+2
        #expect(kinds(result) == [.badTimestamp])
    }

    @Test(arguments: [
        (#"{"kind": "survey"}"#, "kind is 'survey'"),
        (#"{"kind": "event-log", "source": "x"}"#, "columns is missing"),
        ("[1, 2]", "must be an object"),
        ("{", "not a JSON mapping file"),
        (mappingJSON.replacingOccurrences(of: #""streamPrefix""#, with: #""streamprefix""#), "streamprefix is not a key"),
        (mappingJSON.replacingOccurrences(of: #""lifecycle": "ignored""#, with: #""lifecycle": "paused""#), "statuses.Other / Noise.lifecycle is 'paused'"),
        (mappingJSON.replacingOccurrences(of: #""L3": "engineering""#, with: #""L3": "level3""#), "levels.L3 is 'level3', not one of support"),
        (mappingJSON.replacingOccurrences(of: #""High": "sev2""#, with: #""High": 2"#), "severities.High must be a string"),
        (mappingJSON.replacingOccurrences(of: #""title":"#, with: #""time": {"format": "yyyy-MM-dd HH:mm"}, "title":"#), "time.timeZone is missing"),
        (mappingJSON.replacingOccurrences(of: #""title":"#, with: #""time": {"format": "yyyy-MM-dd", "timeZone": "UTC"}, "title":"#), "lacks HH"),
        (mappingJSON.replacingOccurrences(of: "{summary}", with: "{summary"), "title: '{' without a closing '}'"),
        (mappingJSON.replacingOccurrences(of: "Ticket {id}", with: "Ticket} {id}"), "title: '}' without an opening '{'"),
    ])
    func badMappingsAreRefusedNamingTheKey(json: String, message: String) {
        #expect {
            _ = try mapping(json)
        } throws: { error in
            (error as? MappingError)?.description.contains(message) == true
        }
    }

    @Test func aColumnTheFileLacksIsNamed() throws {
        #expect {
            _ = try map(["A,2024-01-01T10:00:00Z"], header: "id,at\n")
        } throws: { error in
            (error as? MappingError)?.description.contains("columns.status names the column 'status', which the file's header does not have") == true
        }
    }

    @Test func theVolvoLogMapsEveryIncident() throws {
        let result = try EventLogImporter.map(try VolvoData.table(), mapping: try VolvoData.mapping())
        #expect(result.rows == 65_533)
        #expect(result.incidents.count == 7_554)
        #expect(result.skippedIncidents == 0)
        #expect(result.events.count == 73_185)
        var byKind = [ImportWarning.Kind: Int]()
        for warning in result.warnings { byKind[warning.kind, default: 0] += 1 }
        #expect(byKind == [.reopened: 580, .repeatedStatus: 37, .closedWithoutResolution: 1])
        // 1-364285768 starts at L1, is queued for L3 (an escalation), and is resolved, reopened and closed.
        let first = try #require(result.incidents.first)
        #expect(first.stream == "VOLVO-1-364285768")
        let types = first.events.map(\.event.type)
        #expect(types.first == "incident.declared")
        #expect(types.contains("escalation.raised"))
        #expect(types.contains("incident.reopened"))
        #expect(types.last == "incident.closed")
    }
}
