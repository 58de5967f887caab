import Foundation
import IncidentImporters
import IncidentEvents
import LedgerModel
import Testing

/// The package's root folder, found from this file's path.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private func file(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: root.appendingPathComponent(path))) }

private func mapping(_ path: String) throws -> JSONMapping { try JSONMapping(json: try file(path)) }

private func typed(_ event: StreamEvent) throws -> IncidentEvent {
    try Catalog.decode(type: event.event.type, schemaVersion: event.event.schemaVersion, payload: try event.event.payload.decoded().objectValue ?? [:])
}

private func declaration(_ incident: ImportedIncident) throws -> IncidentDeclared {
    guard case .declared(let declared) = try typed(incident.events[0]) else { throw DeclarationMissing() }
    return declared
}

private struct DeclarationMissing: Error {}

private func time(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }

/// A small mapping over `{"items": [...]}` with `changes` replacing top-level keys.
private func smallMapping(_ changes: [String: JSONValue] = [:]) throws(MappingError) -> JSONMapping {
    var object: [String: JSONValue] = [
        "kind": "json-incidents", "source": "test", "streamPrefix": "T-", "incidents": "items",
        "fields": ["id": "id", "title": "title", "severity": "sev", "created": "created", "start": "start", "end": "end", "status": "status"],
        "updates": ["path": "log", "time": "at", "status": "state", "text": "text"],
        "severities": ["high": "sev1", "low": "sev3"],
        "statuses": ["OPEN": "investigating", "DONE": "resolved"],
        "missing": ["", "?", "N/A"],
    ]
    for (key, value) in changes { object[key] = value }
    return try JSONMapping(json: JSONValue.object(object).canonicalBytes)
}

private func record(_ changes: [String: JSONValue] = [:]) -> JSONValue {
    var object: [String: JSONValue] = [
        "id": "A1", "title": "Checkout errors", "sev": "high", "created": "2025-01-01T10:05:00Z", "start": "2025-01-01T10:00:00Z",
        "end": "2025-01-01T11:00:00Z", "status": "DONE",
        "log": [["at": "2025-01-01T10:05:00Z", "state": "OPEN", "text": "Looking into it"], ["at": "2025-01-01T11:00:00Z", "state": "DONE", "text": "Fixed"]],
    ]
    for (key, value) in changes { object[key] = value }
    return .object(object)
}

private func document(_ records: JSONValue...) -> [UInt8] { JSONValue.object(["items": .array(records)]).canonicalBytes }

@Suite struct JSONIncidentImporterTests {
    @Test func googleCloudSampleImports() throws {
        let result = try JSONIncidentImporter.map(try file("docs/examples/gcp-status-sample.json"), mapping: try mapping("docs/examples/gcp-status-mapping.json"))
        #expect(result.rejected.isEmpty)
        #expect(result.records == 3)
        #expect(result.incidents.map(\.stream) == ["GCP-xVSEV3kVaJBmS7SZbnre", "GCP-Qm9Xy1TgFvCk3Lw8Bz2d", "GCP-Hc7LpQ2sWm4Rt9Kv1Nx6"])

        // A resolved outage: updates in time order (the source lists the newest first), the resolution among them.
        let build = result.incidents[0]
        #expect(build.events.map(\.event.type) == [
            "incident.declared", "status_update.published", "incident.status_changed", "status_update.published", "incident.resolved",
            "status_update.published", "status_update.published",
        ])
        #expect(build.events.map(\.event.occurredAt) == [
            "2024-05-16T07:23:46Z", "2024-05-16T07:23:46Z", "2024-05-16T07:23:46Z", "2024-05-16T08:05:02Z", "2024-05-16T09:32:00Z",
            "2024-05-16T09:41:10Z", "2024-05-23T14:24:18Z",
        ].map(time))
        let declared = try declaration(build)
        #expect(declared.title == "Cloud Build: builds fail to start in us-central1")
        #expect(declared.severity == .sev1)
        #expect(declared.services == ["Cloud Build"])
        #expect(declared.regions == ["Iowa (us-central1)"])
        #expect(declared.impactStartedAt == time("2024-05-16T06:27:00Z"))
        #expect(declared.unknownTimes == nil)
        guard case .statusUpdatePublished(let last) = try typed(build.events[6]) else { Issue.record("not an update"); return }
        #expect(last.status == .resolved)
        #expect(last.text.hasPrefix("# Incident Report"))

        // Ended before it was posted: the end stands, the declaration's time is marked unknown, and no
        // working status dated after the end reopens it.
        let latency = result.incidents[1]
        #expect(result.warnings.filter { $0.incidentID == "Qm9Xy1TgFvCk3Lw8Bz2d" }.map(\.kind) == [.resolutionBeforeCreation])
        #expect(try declaration(latency).unknownTimes == .start)
        #expect(try declaration(latency).services == ["Cloud Storage", "BigQuery"])
        #expect(try declaration(latency).severity == .sev2)
        #expect(latency.events.first { $0.event.type == "incident.resolved" }?.event.occurredAt == time("2024-06-03T14:20:00Z"))
        #expect(!latency.events.contains { $0.event.type == "incident.status_changed" })

        // No end yet: open, investigating.
        let ongoing = result.incidents[2]
        #expect(ongoing.events.map(\.event.type) == ["incident.declared", "status_update.published", "incident.status_changed"])
        #expect(try declaration(ongoing).severity == .sev3)
        #expect(result.warnings.count == 1)
        for event in result.events { _ = try typed(event) }
    }

    @Test func pagerDutySampleImports() throws {
        let result = try JSONIncidentImporter.map(
            try file("docs/examples/pagerduty-incidents-sample.json"), mapping: try mapping("docs/examples/pagerduty-mapping.json"))
        #expect(result.rejected.isEmpty)
        #expect(result.warnings.isEmpty)
        #expect(result.incidents.map(\.stream) == ["PD-Q2HJ5P3XMTQ1VN", "PD-Q0RK7D8WZ4LMPA", "PD-Q3MV1N6BHT8CEX"])
        // Severity from the priority, else the urgency.
        #expect(try result.incidents.map { try declaration($0).severity } == [.sev1, .sev3, .sev3])
        #expect(try result.incidents.map { try declaration($0).services } == [["checkout-api"], ["search"], ["auth"]])
        let resolutions = result.incidents.map { $0.events.first { $0.event.type == "incident.resolved" }?.event.occurredAt }
        // resolved_at; none for the acknowledged one; the last status change of a resolved one without resolved_at.
        #expect(resolutions == [time("2025-02-11T14:10:45Z"), nil, time("2025-02-13T09:47:12Z")])
        #expect(result.incidents[0].events.map(\.event.occurredAt) == [time("2025-02-11T13:02:11Z"), time("2025-02-11T14:10:45Z")])
    }

    /// Azure's 94 reviews: the 15 with a resolution last what the source says; the 79 without one are
    /// resolved (the source says so) with their times marked unknown, never open, never a 0 s sample.
    @Test func azureReviewsImport() throws {
        let bytes = try file("Data/azure_pir_normalized_2021-2026.json")
        let result = try JSONIncidentImporter.map(bytes, mapping: try mapping("docs/examples/azure-pir-mapping.json"))
        #expect(result.rejected.isEmpty)
        #expect(result.incidents.count == 94)
        guard case .array(let sources) = try JSONParser.parse(bytes) else { Issue.record("not an array"); return }
        var measured = 0
        var unknown = 0
        for (source, incident) in zip(sources, result.incidents) {
            #expect(incident.sourceID == source["id"]?.stringValue)
            let declared = try declaration(incident)
            let resolution = try #require(incident.events.last { $0.event.type == "incident.resolved" })
            if case .integer(let minutes)? = source["durationMinutes"] {
                let start = try #require(declared.impactStartedAt)
                #expect(resolution.event.occurredAt.microsecondsSinceEpoch - start.microsecondsSinceEpoch == minutes * 60_000_000)
                #expect(declared.unknownTimes == nil)
                measured += 1
            } else {
                #expect(declared.unknownTimes == .all)
                #expect(resolution.event.occurredAt == incident.events[0].event.occurredAt)
                unknown += 1
            }
        }
        #expect(measured == 15)
        #expect(unknown == 79)
        #expect(result.warnings.filter { $0.kind == .resolvedWithoutTime }.count == 79)
        // The review's timeline is internal notes, not public updates.
        #expect(result.events.filter { $0.event.type == "incident.note_added" }.count == 191)
        #expect(!result.events.contains { $0.event.type == "status_update.published" })
        for event in result.events { _ = try typed(event) }
        #expect(Set(result.events.map(\.event.id)).count == result.events.count)
    }

    @Test func idsDeriveFromTheSourceAndThePrefixOnlyNamesStreams() throws {
        let gcp = try mapping("docs/examples/gcp-status-mapping.json")
        let bytes = try file("docs/examples/gcp-status-sample.json")
        let first = try JSONIncidentImporter.map(bytes, mapping: gcp)
        let again = try JSONIncidentImporter.map(bytes, mapping: gcp)
        #expect(first.events == again.events)
        let renamed = try JSONIncidentImporter.map(bytes, mapping: gcp, prefix: "G-")
        #expect(renamed.events.map(\.event.id) == first.events.map(\.event.id))
        #expect(renamed.incidents.map(\.stream).allSatisfy { $0.hasPrefix("G-") })
        #expect(first.events[0].event.id == SourceEventID.make("json/google-cloud-status/xVSEV3kVaJBmS7SZbnre/declared"))
    }

    @Test func jsonLinesGiveTheSameIncidents() throws {
        let lines = [record(), record(["id": "A2"])].map(\.canonicalText).joined(separator: "\r\n") + "\n\n"
        let perLine = try smallMapping(["incidents": "$"])
        let detected = try JSONIncidentImporter.map(Array(lines.utf8), mapping: perLine)
        let whole = try JSONIncidentImporter.map(document(record(), record(["id": "A2"])), mapping: try smallMapping())
        #expect(detected.rejected.isEmpty)
        #expect(detected.events == whole.events)
        #expect(detected.incidents.count == 2)
        let stated = try JSONIncidentImporter.map(Array(lines.utf8), mapping: perLine, format: .jsonl)
        #expect(stated.events == whole.events)
    }

    @Test func missingValueMarkersAreNotValues() throws {
        let result = try JSONIncidentImporter.map(document(record(["end": "N/A", "status": "?", "start": .null])), mapping: try smallMapping())
        #expect(result.rejected.isEmpty)
        let incident = try #require(result.incidents.first)
        #expect(!incident.events.contains { $0.event.type == "incident.resolved" })
        #expect(try declaration(incident).impactStartedAt == nil)
    }

    @Test func resolvedWithoutAnyLaterTimeIsResolvedWithItsTimesUnknown() throws {
        let result = try JSONIncidentImporter.map(document(record(["end": .null, "log": []])), mapping: try smallMapping())
        #expect(result.warnings.map(\.kind) == [.resolvedWithoutTime])
        let incident = try #require(result.incidents.first)
        #expect(incident.events.map(\.event.type) == ["incident.declared", "incident.resolved"])
        #expect(incident.events[1].event.occurredAt == time("2025-01-01T10:05:00Z"))
        #expect(try declaration(incident).unknownTimes == .all)
    }

    @Test func aBadRecordNamesItsIndexFieldAndRule() throws {
        let result = try JSONIncidentImporter.map(
            document(record(), record(["id": "A2", "sev": "urgent"]), record(["id": "A3", "end": "yesterday"]), .string("x"), record(["id": .null])),
            mapping: try smallMapping())
        #expect(result.incidents.map(\.sourceID) == ["A1"])
        #expect(result.rejected.map(\.record) == [2, 3, 4, 5])
        #expect(result.rejected[0].description
            == "record 2 (id 'A2'): fields.severity at 'sev': 'urgent' is neither a key of severities nor one of sev1, sev2, sev3, sev4")
        #expect(result.rejected[1].field == "fields.end at 'end'")
        #expect(result.rejected[1].rule.contains("'yesterday' is not a time in the mapping's format (rfc3339)"))
        #expect(result.rejected[2].rule == "the record is a string, not an object")
        #expect(result.rejected[3].description.hasPrefix("record 5: fields.id at 'id': has no value"))
    }

    @Test func aBadLineOfJSONLinesNamesItsLine() throws {
        let text = record().canonicalText + "\n{\"id\": \n" + record(["id": "A3"]).canonicalText + "\n"
        let result = try JSONIncidentImporter.map(Array(text.utf8), mapping: try smallMapping(["incidents": "$"]), format: .jsonl)
        #expect(result.incidents.map(\.sourceID) == ["A1", "A3"])
        #expect(result.rejected.count == 1)
        #expect(result.rejected[0].record == 2)
        #expect(result.rejected[0].line == 2)
        #expect(result.rejected[0].description.hasPrefix("record 2 (line 2): the line: not JSON"))
    }

    @Test func updatesWithoutTimeOrWithUnknownStatusAreSkippedAndWarned() throws {
        let result = try JSONIncidentImporter.map(
            document(record(["log": [["state": "OPEN", "text": "no time"], ["at": "2025-01-01T10:10:00Z", "state": "WEIRD", "text": "odd"]]])),
            mapping: try smallMapping())
        #expect(result.rejected.isEmpty)
        #expect(result.warnings.map(\.kind) == [.missingField, .unknownValue])
        #expect(result.warnings[0].message.hasPrefix("update #1 has no time"))
        #expect(result.events.map(\.event.type) == ["incident.declared", "incident.resolved"])
    }

    @Test func aDocumentWithoutIncidentsIsRefused() throws {
        #expect(throws: JSONIncidentImportError.self) { try JSONIncidentImporter.map(Array(#"{"other": []}"#.utf8), mapping: try smallMapping()) }
        #expect(throws: JSONIncidentImportError.self) { try JSONIncidentImporter.map(Array("{\"items\": [".utf8), mapping: try smallMapping()) }
    }

    @Test(arguments: [
        (#"{"kind": "json-incidents""#, "not a JSON mapping file"),
        (#"{"kind": "event-log"}"#, "kind is 'event-log', but this import needs a 'json-incidents' mapping"),
        (#"{"kind": "json-incidents", "source": "s", "feilds": {}}"#, "feilds is not a key of this mapping"),
        (#"{"kind": "json-incidents", "source": "s", "fields": {"id": "a..b"}}"#, "fields.id is the path 'a..b', which has an empty segment"),
        (#"{"kind": "json-incidents", "source": "s", "fields": {"id": "id", "title": "t", "severity": "s", "created": "c"}, "severities": {"high": "critical"}}"#,
         "severities.high is 'critical', not one of sev1, sev2, sev3, sev4"),
        (#"{"kind": "json-incidents", "source": "s", "fields": {"id": "id", "title": "t", "severity": "s", "created": "c"}, "updates": {"path": "u", "time": "t", "text": "x"}}"#,
         "updates.status is missing: a public update needs its status"),
        (#"{"kind": "json-incidents", "source": "s", "fields": {"id": "id", "title": "t", "severity": "s"}}"#, "fields.created is missing"),
    ])
    func malformedMappingGivesOneClearError(text: String, expected: String) {
        do {
            _ = try JSONMapping(json: Array(text.utf8))
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    /// The full example of docs/importing.md ("Writing a mapping") is a mapping this build accepts.
    @Test func theDocumentedExampleMappingIsValid() throws {
        let text = String(decoding: try file("docs/importing.md"), as: UTF8.self)
        let section = try #require(text.range(of: "### Writing a mapping"))
        let start = try #require(text.range(of: "```json\n", range: section.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        let example = try JSONMapping(json: Array(text[start.upperBound..<end.lowerBound].utf8))
        #expect(example.incidents.description == "data.incidents")
        #expect(example.severity.paths.map(\.description) == ["priority.label", "prio"])
        #expect(example.updates?.recordAs == .publicUpdate)
        #expect(example.time.zoneName == "Europe/Brussels")
        #expect(example.missing == ["", "?", "N/A", "-"])
    }

    @Test func timesWithoutOffsetAreReadInTheMappingsZone() throws {
        let object = try MappingObject(["format": "rfc3339", "defaultTimeZone": "Europe/Brussels"], path: "time")
        let format = try TimestampFormat(mapping: object)
        #expect(format.zoneName == "Europe/Brussels")
        #expect(format.parse("2024-03-01T10:00:00") == time("2024-03-01T09:00:00Z"))
        #expect(format.parse("2024-07-01 10:00") == time("2024-07-01T08:00:00Z"))
        #expect(format.parse("2024-07-01T10:00:00.25") == time("2024-07-01T08:00:00.25Z"))
        #expect(format.parse("2024-07-01T10:00:00+00:00") == time("2024-07-01T10:00:00Z"))
        #expect(format.parse("2024-07-01") == nil)
        #expect(format.parse("2024-07-01T10:00:00.1234567") == nil)
        #expect(TimestampFormat.rfc3339.parse("2024-03-01T10:00:00") == nil)
        // A default zone is for RFC 3339 only; a pattern's zone is its timeZone.
        #expect(throws: MappingError.self) {
            try TimestampFormat(mapping: try MappingObject(["format": "yyyy-MM-dd HH:mm", "timeZone": "UTC", "defaultTimeZone": "UTC"], path: "time"))
        }
        #expect(throws: MappingError.self) {
            try TimestampFormat(mapping: try MappingObject(["format": "rfc3339", "defaultTimeZone": "Mars/Olympus"], path: "time"))
        }
    }
}
