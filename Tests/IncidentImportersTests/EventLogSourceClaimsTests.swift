import Foundation
import IncidentImporters
import IncidentEvents
import LedgerModel
import LedgerStore
import LedgerTestSupport
import IncidentService
import Testing

/// A service desk export with the source's own opened and resolved times and SLA verdict.
private func mapping(_ extra: String = "", columns: String = "") throws -> EventLogMapping {
    try EventLogMapping(json: Array(#"""
        {"kind": "event-log", "source": "desk", "streamPrefix": "D-",
         "columns": {"incident": "id", "time": "at", "status": "status", "severity": "impact", "assignee": "who"\#(columns)},
         "title": "Ticket {id}",
         "statuses": {"Work": {"lifecycle": "open", "status": "investigating"}, "Resolved": {"lifecycle": "resolved"},
                      "Closed": {"lifecycle": "closed"}},
         "severities": {"1": "sev1", "3": "sev3"}\#(extra)}
        """#.utf8))
}

private func typed(_ event: StreamEvent) throws -> IncidentEvent {
    try Catalog.decode(type: event.event.type, schemaVersion: event.event.schemaVersion, payload: event.event.payload)
}

private func time(_ text: String) throws -> Timestamp { try Timestamp(rfc3339: text) }

@Suite struct EventLogSourceClaimsTests {
    static let claims = #", "opened": "opened", "resolved": "resolved", "sla": "made_sla""#
    static let verdicts = #", "slaVerdicts": {"true": "met", "false": "breached"}"#

    @Test func theSourcesOpenedAndResolvedTimesAreTheIncidentsAndItsVerdictIsKept() throws {
        let table = try CSVTable(parsing: Array("""
            id,at,status,impact,who,opened,resolved,made_sla
            A,2024-01-01T10:00:00Z,Work,3,ann,2024-01-01T09:40:00Z,,
            A,2024-01-01T11:00:00Z,Resolved,3,ann,2024-01-01T09:40:00Z,2024-01-01T10:55:00Z,false

            """.utf8))
        let result = try EventLogImporter.map(table, mapping: try mapping(Self.verdicts, columns: Self.claims))
        let events = try #require(result.incidents.first).events
        #expect(events.first?.event.occurredAt == (try time("2024-01-01T09:40:00Z")))
        let resolution = try #require(events.first { $0.event.type == "incident.resolved" })
        #expect(resolution.event.occurredAt == (try time("2024-01-01T10:55:00Z")))
        #expect(resolution.event.schemaVersion == 2)
        guard case .resolved(let resolved) = try typed(resolution) else { Issue.record("not a resolution"); return }
        #expect(resolved.sourceSLA == .breached)
        #expect(result.warnings.isEmpty)
    }

    @Test func aResolutionBeforeTheOpeningKeepsTheEndAndMarksTheStartUnknown() async throws {
        let table = try CSVTable(parsing: Array("""
            id,at,status,impact,who,opened,resolved,made_sla
            A,2024-01-01T10:00:00Z,Work,3,ann,2024-01-01T10:00:00Z,,
            A,2024-01-01T11:00:00Z,Closed,3,ann,2024-01-01T10:00:00Z,2024-01-01T09:30:00Z,true

            """.utf8))
        let result = try EventLogImporter.map(table, mapping: try mapping(Self.verdicts, columns: Self.claims))
        let events = try #require(result.incidents.first).events
        guard case .declared(let declared) = try typed(events[0]) else { Issue.record("not a declaration"); return }
        #expect(declared.unknownTimes == .start)
        #expect(result.warnings.map(\.kind) == [.resolutionBeforeCreation])
        // Closed without a resolving status: the source's resolved time is the resolution, before the closure.
        #expect(events.suffix(2).map(\.event.type) == ["incident.resolved", "incident.closed"])
        #expect(events.suffix(2).first?.event.occurredAt == (try time("2024-01-01T09:30:00Z")))
        // The ledger accepts it: the end stands, the start is not measured.
        let directory = TemporaryDirectory()
        let recorder = EventRecorder(ledger: try Ledger.create(at: directory.path))
        #expect(try await recorder.record(result.events).count == 1)
    }

    @Test func anOpenedTimeAfterTheFirstRowIsAStartThatConflicts() async throws {
        let table = try CSVTable(parsing: Array("""
            id,at,status,impact,who,opened,resolved,made_sla
            A,2024-01-01T10:00:00Z,Work,3,ann,2024-01-01T10:30:00Z,,
            A,2024-01-01T10:20:00Z,Resolved,3,ann,2024-01-01T10:30:00Z,,

            """.utf8))
        let result = try EventLogImporter.map(table, mapping: try mapping(Self.verdicts, columns: Self.claims))
        let events = try #require(result.incidents.first).events
        #expect(events[0].event.occurredAt == (try time("2024-01-01T10:00:00Z")))
        guard case .declared(let declared) = try typed(events[0]) else { Issue.record("not a declaration"); return }
        #expect(declared.unknownTimes == .start)
        #expect(result.warnings.map(\.kind) == [.openedAfterActivity])
        let directory = TemporaryDirectory()
        #expect(try await EventRecorder(ledger: try Ledger.create(at: directory.path)).record(result.events).count == 1)
    }

    @Test func missingValueMarkersAreAbsent() throws {
        let format = try mapping(#", "missing": ["?", "N/A"]"#).format
        let table = try format.table(Array("""
            id,at,status,impact,who
            A,2024-01-01T10:00:00Z,Work,3,?
            A,2024-01-01T10:05:00Z,Work,3, N/A
            A,2024-01-01T10:10:00Z,Resolved,3,ann

            """.utf8))
        let result = try EventLogImporter.map(table, mapping: try mapping(#", "missing": ["?", "N/A"]"#))
        let people = try result.incidents[0].events.compactMap { event -> String? in
            guard case .responderAssigned(let assigned) = try typed(event) else { return nil }
            return assigned.person
        }
        #expect(people == ["ann"])
        #expect(result.warnings.filter { $0.kind == .missingField }.map(\.row) == [2, 3])
    }

    @Test func semicolonsAndWindows1252AreRead() throws {
        // "Caf\xE9" in Windows-1252, with ';' separators as a spreadsheet saves them.
        var bytes = Array("id;at;status;impact;who\nA;2024-01-01T10:00:00Z;Work;3;Caf".utf8)
        bytes += [0xE9, 0x80, 0x0A]
        let windows = try mapping(#", "encoding": "windows-1252""#).format
        let table = try windows.table(bytes)
        #expect(table.header == ["id", "at", "status", "impact", "who"])
        #expect(table.records[0][4] == "Café€")
        // Read as UTF-8 it is refused, naming the line and the setting to change.
        let utf8 = try mapping().format
        #expect(throws: CSVTable.Error.self) { try utf8.table(bytes) }
        do throws(CSVTable.Error) {
            _ = try utf8.table(bytes)
        } catch {
            #expect(error.description.contains("line 2"))
            #expect(error.description.contains(#""encoding": "windows-1252""#))
        }
        // An explicit delimiter wins over detection.
        let tabs = try mapping(#", "delimiter": "\t""#).format.table(Array("id\tat;x\nA\tB;C\n".utf8))
        #expect(tabs.header == ["id", "at;x"])
        #expect(throws: MappingError.self) { try mapping(#", "delimiter": ";;""#) }
        #expect(throws: MappingError.self) { try mapping(#", "encoding": "latin-9""#) }
    }

    /// A resolution without a verdict is written at version 1, as earlier builds wrote it, so that
    /// re-importing into a ledger they filled is still recognised as a retry.
    @Test func aResolutionWithoutAVerdictStaysVersion1() throws {
        let table = try CSVTable(parsing: Array("id,at,status,impact,who\nA,2024-01-01T10:00:00Z,Resolved,3,ann\n".utf8))
        let resolution = try #require(try EventLogImporter.map(table, mapping: try mapping()).events.first { $0.event.type == "incident.resolved" })
        #expect(resolution.event.schemaVersion == 1)
        #expect(resolution.event.payload == Payload(["summary": "Status 'Resolved' in desk"]))
    }

    @Test func anSLAColumnNeedsItsVerdicts() {
        #expect(throws: MappingError.self) { try mapping(columns: #", "sla": "made_sla""#) }
        #expect(throws: MappingError.self) { try mapping(#", "slaVerdicts": {"yes": "kept"}"#, columns: #", "sla": "made_sla""#) }
    }
}
