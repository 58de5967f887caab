import Foundation
import IncidentImporters
import IncidentEvents
import LedgerModel
import Testing

/// A small Statuspage incident as JSON, with fields replaced or removed by `changes` (nil removes).
private func incident(_ changes: [String: JSONValue?] = [:]) -> JSONValue {
    var object: [String: JSONValue] = [
        "id": "abc123",
        "name": "Elevated errors on Git operations",
        "status": "resolved",
        "impact": "major",
        "created_at": "2023-05-01T10:00:00.000Z",
        "started_at": "2023-05-01T09:55:00.000Z",
        "resolved_at": "2023-05-01T11:00:00.000Z",
        "components": [["name": "Git Operations"], ["name": "API Requests"]],
        "incident_updates": [
            update(id: "u3", status: "resolved", body: "This incident has been resolved.", at: "2023-05-01T11:00:00.000Z", affected: ["Git Operations": "operational", "API Requests": "operational"]),
            update(id: "u1", status: "investigating", body: "We are <b>investigating</b> reports &amp; errors.", at: "2023-05-01T10:00:00.000Z",
                   affected: ["Git Operations": "partial_outage"]),
            update(id: "u2", status: "identified", body: "<p>Cause found.</p><p>Fix &lt;deploying&gt;&#33;</p>", at: "2023-05-01T10:30:00.000Z",
                   affected: ["Git Operations": "major_outage", "API Requests": "degraded_performance"]),
        ],
    ]
    for (key, value) in changes { object[key] = value }
    return .object(object)
}

private func update(id: String, status: String, body: String, at time: String, affected: [String: String] = [:]) -> JSONValue {
    .object([
        "id": .string(id), "status": .string(status), "body": .string(body), "created_at": .string(time), "display_at": .string(time),
        "affected_components": .array(affected.sorted { $0.key < $1.key }.map { .object(["name": .string($0.key), "new_status": .string($0.value)]) }),
    ])
}

private func map(_ value: JSONValue, prefix: String = "SP-") throws -> StatuspageImport {
    try StatuspageImporter.map(value.canonicalBytes, prefix: prefix)
}

private func typed(_ event: StreamEvent) throws -> IncidentEvent {
    try Catalog.decode(type: event.event.type, schemaVersion: event.event.schemaVersion, payload: try event.event.payload.decoded().objectValue ?? [:])
}

private func kinds(_ result: StatuspageImport) -> Set<ImportWarning.Kind> { Set(result.warnings.map(\.kind)) }

private func time(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }

/// The Data folder of the package, found from this file's path.
private let realFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data/githubstatus_incidents_2010-2023.json")

@Suite struct StatuspageImporterTests {
    /// Each event carries when Statuspage recorded its fact: the incident's created_at for the
    /// declaration, each update's created_at (not its display time) for the update and what it
    /// carried, and the resolving update's created_at for the resolution.
    @Test func eventsCarryWhenTheStatusPageRecordedThem() throws {
        func posted(_ base: JSONValue, at created: String) -> JSONValue {
            var object = base.objectValue!
            object["created_at"] = .string(created)
            return .object(object)
        }
        let updates: JSONValue = [
            posted(update(id: "u1", status: "investigating", body: "Looking", at: "2023-05-01T10:00:00.000Z"), at: "2023-05-01T10:00:00.000Z"),
            // Displayed at 10:30, posted at 10:42.
            posted(update(id: "u2", status: "identified", body: "Found", at: "2023-05-01T10:30:00.000Z", affected: ["Git Operations": "major_outage"]),
                   at: "2023-05-01T10:42:00.000Z"),
            posted(update(id: "u3", status: "resolved", body: "Fixed", at: "2023-05-01T11:00:00.000Z"), at: "2023-05-01T11:03:00.000Z"),
        ]
        let events = try #require(try map(incident(["incident_updates": updates])).incidents.first).events
        func known(_ type: String) -> [Timestamp?] { events.filter { $0.event.type == type }.map(\.event.sourceRecordedAt) }
        #expect(known("incident.declared") == [time("2023-05-01T10:00:00Z")])
        #expect(known("status_update.published") == [time("2023-05-01T10:00:00Z"), time("2023-05-01T10:42:00Z"), time("2023-05-01T11:03:00Z")])
        #expect(known("incident.resolved") == [time("2023-05-01T11:03:00Z")])
        // What u2 carried (its status and scope) was recorded with it.
        let fromU2 = events.filter { $0.event.occurredAt == time("2023-05-01T10:30:00Z") }
        #expect(fromU2.count >= 2)
        #expect(fromU2.allSatisfy { $0.event.sourceRecordedAt == time("2023-05-01T10:42:00Z") })
    }

    @Test func declarationMapsNameImpactStartAndComponents() throws {
        let result = try map(.object(["page": ["id": "p"], "incidents": [incident()]]))
        #expect(result.incidents.count == 1)
        #expect(result.warnings.isEmpty)
        let first = try #require(result.incidents.first?.events.first)
        #expect(first.stream == "SP-abc123")
        #expect(first.event.type == "incident.declared")
        #expect(first.event.occurredAt == time("2023-05-01T10:00:00Z"))
        #expect(first.event.actor.description == "tool:statuspage-import")
        #expect(first.event.source == "statuspage")
        guard case .declared(let declared) = try typed(first) else { Issue.record("not a declaration"); return }
        #expect(declared.title == "Elevated errors on Git operations")
        #expect(declared.severity == .sev2)
        #expect(declared.kind == .unplanned)
        #expect(declared.impactStartedAt == time("2023-05-01T09:55:00Z"))
        #expect(declared.services == ["Git Operations", "API Requests"])
    }

    @Test(arguments: [("critical", Severity.sev1), ("major", .sev2), ("minor", .sev3), ("none", .sev4)])
    func impactMapsToSeverity(impact: String, severity: Severity) throws {
        let result = try map(incident(["impact": .string(impact)]))
        guard case .declared(let declared) = try typed(result.events[0]) else { Issue.record("not a declaration"); return }
        #expect(declared.severity == severity)
    }

    @Test func updatesInTimeOrderWithStatusChangesScopeAndResolution() throws {
        let result = try map(.object(["incident": incident()]))
        let events = result.events
        #expect(events.map(\.event.type) == [
            "incident.declared",
            "status_update.published", "incident.status_changed", "incident.scope_changed",  // u1: investigating; only Git is down
            "status_update.published", "incident.status_changed", "incident.scope_changed",  // u2: identified; Git and API down
            "status_update.published", "incident.resolved",  // u3: all operational again (no scope change), then resolved_at
        ])
        guard case .statusUpdatePublished(let u1) = try typed(events[1]) else { Issue.record("not an update"); return }
        #expect(u1.text == "We are investigating reports & errors.")
        #expect(u1.status == .investigating)
        #expect(u1.audience == .public)
        #expect(u1.channels == [.statusPage])
        guard case .scopeChanged(let narrowed) = try typed(events[3]) else { Issue.record("not a scope change"); return }
        #expect(narrowed.services == ["Git Operations"])
        guard case .statusUpdatePublished(let u2) = try typed(events[4]) else { Issue.record("not an update"); return }
        #expect(u2.text == "Cause found.\nFix <deploying>!")
        guard case .statusChanged(let changed) = try typed(events[5]) else { Issue.record("not a status change"); return }
        #expect(changed.status == .identified)
        #expect(events[5].event.occurredAt == time("2023-05-01T10:30:00Z"))
        guard case .scopeChanged(let scope) = try typed(events[6]) else { Issue.record("not a scope change"); return }
        #expect(scope.services == ["API Requests", "Git Operations"])
        guard case .resolved(let resolved) = try typed(events[8]) else { Issue.record("not a resolution"); return }
        #expect(resolved.summary == "This incident has been resolved.")
        #expect(events[8].event.occurredAt == time("2023-05-01T11:00:00Z"))
    }

    @Test func scopeChangesOnlyWhenTheNonOperationalSetChanges() throws {
        let updates: JSONValue = [
            update(id: "a", status: "investigating", body: "one", at: "2023-05-01T10:00:00Z", affected: ["Git Operations": "partial_outage"]),
            update(id: "b", status: "investigating", body: "two", at: "2023-05-01T10:10:00Z", affected: ["Git Operations": "major_outage"]),
        ]
        let result = try map(incident(["components": [["name": "Git Operations"]], "incident_updates": updates, "resolved_at": nil, "status": "investigating"]))
        // Same non-operational set as declared: no scope change; same status twice: one status change.
        #expect(result.events.map(\.event.type) == ["incident.declared", "status_update.published", "incident.status_changed", "status_update.published"])
        #expect(result.warnings.isEmpty)
    }

    @Test func scheduledMaintenanceWithWindow() throws {
        let result = try map(incident([
            "status": "completed", "scheduled_for": "2023-05-02T00:00:00Z", "scheduled_until": "2023-05-02T02:00:00Z",
            "incident_updates": [update(id: "m", status: "scheduled", body: "Planned work", at: "2023-05-01T10:00:00Z")],
        ]))
        guard case .declared(let declared) = try typed(result.events[0]) else { Issue.record("not a declaration"); return }
        #expect(declared.kind == .scheduledMaintenance)
        #expect(declared.plannedStart == time("2023-05-02T00:00:00Z"))
        #expect(declared.plannedEnd == time("2023-05-02T02:00:00Z"))
        guard case .statusUpdatePublished(let published) = try typed(result.events[1]) else { Issue.record("not an update"); return }
        #expect(published.status == .scheduled)
        #expect(!result.events.contains { $0.event.type == "incident.status_changed" })
        #expect(result.warnings.isEmpty)
    }

    @Test func maintenanceWithoutWindowIsUnplannedAndWarned() throws {
        let result = try map(incident(["scheduled_for": "2023-05-02T00:00:00Z"]))
        guard case .declared(let declared) = try typed(result.events[0]) else { Issue.record("not a declaration"); return }
        #expect(declared.kind == .unplanned)
        #expect(declared.plannedStart == nil)
        #expect(kinds(result) == [.maintenanceWindowMissing])
        #expect(result.warnings.first?.incidentID == "abc123")
    }

    @Test func backfilledIncidentIsImportedWithItsTimesMarkedUnknown() throws {
        let at: JSONValue = "2012-01-01T00:00:00Z"
        let result = try map(incident([
            "created_at": at, "started_at": at, "resolved_at": at,
            "incident_updates": [update(id: "x", status: "resolved", body: "<ul><li>Fixed</li></ul>", at: "2012-01-01T00:00:00Z")],
        ]))
        #expect(kinds(result) == [.backfilled])
        #expect(result.events.map(\.event.type) == ["incident.declared", "status_update.published", "incident.resolved"])
        #expect(Set(result.events.map(\.event.occurredAt)) == [time("2012-01-01T00:00:00Z")])
        guard case .declared(let declared) = try typed(result.events[0]) else { Issue.record("not a declaration"); return }
        #expect(declared.unknownTimes == .all)
        #expect(result.events[0].event.schemaVersion == 2)
    }

    /// GitHub's three: created = resolved = the one update's display time, started_at the day it was entered.
    @Test func backfilledIncidentStartedAfterItsResolutionKeepsTheResolution() throws {
        let result = try map(incident([
            "created_at": "2020-03-31T08:00:00.000Z", "started_at": "2020-03-31T09:09:46.298Z", "resolved_at": "2020-03-31T08:00:00.000Z",
            "incident_updates": [update(id: "x", status: "resolved", body: "Fixed", at: "2020-03-31T08:00:00.000Z")],
        ]))
        #expect(kinds(result) == [.backfilled, .resolutionBeforeStart])
        #expect(result.events.last?.event.type == "incident.resolved")
        guard case .declared(let declared) = try typed(result.events[0]) else { Issue.record("not a declaration"); return }
        #expect(declared.unknownTimes == .all)
        #expect(declared.impactStartedAt == nil)
    }

    @Test func resolvedWithoutResolvedAtIsResolvedAtTheLastUpdate() throws {
        let result = try map(incident(["resolved_at": nil]))
        #expect(kinds(result) == [.resolvedWithoutTime])
        #expect(result.events.last?.event.type == "incident.resolved")
        #expect(result.events.last?.event.occurredAt == time("2023-05-01T11:00:00Z"))
    }

    /// Nothing dated after the creation says when it ended: resolved, with every time unknown, not open.
    @Test func resolvedWithoutResolvedAtOrLaterUpdateHasItsTimesMarkedUnknown() throws {
        let result = try map(incident(["resolved_at": nil, "incident_updates": []]))
        #expect(kinds(result) == [.resolvedWithoutTime])
        #expect(result.events.map(\.event.type) == ["incident.declared", "incident.resolved"])
        #expect(result.events.last?.event.occurredAt == time("2023-05-01T10:00:00Z"))
        guard case .declared(let declared) = try typed(result.events[0]) else { Issue.record("not a declaration"); return }
        #expect(declared.unknownTimes == .all)
    }

    @Test func resolutionBeforeImpactStartIsKeptAndTheStartDropped() throws {
        let result = try map(incident(["resolved_at": "2023-05-01T10:45:00Z", "started_at": "2023-05-01T10:50:00Z"]))
        #expect(kinds(result) == [.resolutionBeforeStart])
        let resolution = try #require(result.events.first { $0.event.type == "incident.resolved" })
        #expect(resolution.event.occurredAt == time("2023-05-01T10:45:00Z"))
        guard case .declared(let declared) = try typed(result.events[0]) else { Issue.record("not a declaration"); return }
        #expect(declared.impactStartedAt == nil)
        #expect(declared.unknownTimes == nil)
    }

    /// An end before the first post: the end stands, the declaration's time is marked unknown, and
    /// no working status dated after the end reopens the incident.
    @Test func resolutionBeforeCreationIsKeptAndTheStartMarkedUnknown() throws {
        let result = try map(incident(["resolved_at": "2023-05-01T09:50:00Z", "started_at": nil]))
        #expect(kinds(result) == [.resolutionBeforeCreation])
        #expect(result.events.first { $0.event.type == "incident.resolved" }?.event.occurredAt == time("2023-05-01T09:50:00Z"))
        #expect(!result.events.contains { $0.event.type == "incident.status_changed" })
        guard case .declared(let declared) = try typed(result.events[0]) else { Issue.record("not a declaration"); return }
        #expect(declared.unknownTimes == .start)
    }

    @Test func backdatedUpdateKeepsItsTime() throws {
        let result = try map(incident([
            "incident_updates": [update(id: "old", status: "investigating", body: "Early", at: "2023-04-01T00:00:00Z")],
        ]))
        #expect(kinds(result) == [.backdatedUpdate])
        #expect(result.events[0].event.type == "incident.declared")
        #expect(result.events[1].event.occurredAt == time("2023-04-01T00:00:00Z"))
    }

    /// An update posted long after the time it shows: it stands at the time shown, keeps the posting
    /// time as postedAt, and is reported once the difference is over the interval given.
    @Test func anUpdatePostedAfterTheTimeItShowsKeepsBothTimesAndIsReported() throws {
        var posted = update(id: "u1", status: "investigating", body: "Looking into it", at: "2023-05-01T10:00:00.000Z")
        if case .object(var fields) = posted {
            fields["created_at"] = "2023-05-04T08:00:00.000Z"
            posted = .object(fields)
        }
        let source = incident(["incident_updates": [posted]])
        let result = try map(source)
        #expect(kinds(result) == [.postedAfterShownTime])
        let warning = try #require(result.warnings.first)
        #expect(warning.incidentID == "abc123")
        #expect(warning.message.contains("shows 2023-05-01T10:00:00Z but was posted 2023-05-04T08:00:00Z, 2.9 days later"))
        let published = try #require(result.events.first { $0.event.type == StatusUpdatePublished.type })
        #expect(published.event.occurredAt == time("2023-05-01T10:00:00Z"))
        #expect(published.event.schemaVersion == 3)  // the version that holds postedAt (version 4 adds only the template's fields)
        guard case .statusUpdatePublished(let payload) = try typed(published) else {
            Issue.record("not a status update")
            return
        }
        #expect(payload.postedAt == time("2023-05-04T08:00:00Z"))

        // Over a longer interval it is not reported, and both times are kept all the same.
        let lenient = try StatuspageImporter.map(source.canonicalBytes, backdatedAfterSeconds: 3 * 86_400)
        #expect(lenient.warnings.isEmpty)
        #expect(lenient.events == result.events)
    }

    @Test func anUpdatePostedAtTheTimeItShowsHasNoPostedAt() throws {
        let result = try map(incident())
        for event in result.events where event.event.type == StatusUpdatePublished.type {
            guard case .statusUpdatePublished(let payload) = try typed(event) else { continue }
            #expect(payload.postedAt == nil)
        }
    }

    @Test func missingFieldsAreSkippedAndWarned() throws {
        var noTime = update(id: "t", status: "investigating", body: "x", at: "2023-05-01T10:00:00Z").objectValue!
        noTime["display_at"] = nil
        noTime["created_at"] = nil
        let result = try map([
            "incidents": [
                incident(["id": "nocreated", "created_at": nil]),
                incident(["id": "noimpact", "impact": nil]),
                incident(["id": "badimpact", "impact": "apocalyptic"]),
                incident(["id": nil]),
                incident(["id": "ok", "incident_updates": [.object(noTime), update(id: "e", status: "investigating", body: "<br>", at: "2023-05-01T10:00:00Z")]]),
                incident(["id": "ok"]),
            ],
        ])
        #expect(result.incidents.map(\.sourceID) == ["ok"])
        #expect(result.skippedIncidents == 5)
        #expect(kinds(result) == [.missingField, .unknownValue, .duplicateIncident])
        #expect(result.warnings.filter { $0.kind == .missingField }.count == 5)  // created_at, impact, id, update time, empty text
        #expect(result.warnings.contains { $0.incidentID == "nocreated" && $0.kind == .missingField })
        #expect(!result.incidents[0].events.contains { $0.event.type == "status_update.published" })
    }

    @Test func longTextIsShortenedAndWarned() throws {
        let result = try map(incident(["name": .string(String(repeating: "x", count: 400))]))
        #expect(kinds(result) == [.truncated])
        guard case .declared(let declared) = try typed(result.events[0]) else { Issue.record("not a declaration"); return }
        #expect(declared.title.count == 300)
    }

    @Test func malformedDocumentsThrow() {
        #expect(throws: StatuspageImportError.self) { try StatuspageImporter.map(Array("{\"incidents\": [".utf8)) }
        #expect(throws: StatuspageImportError.self) { try StatuspageImporter.map(Array("[1, 2]".utf8)) }
        #expect(throws: StatuspageImportError.self) { try StatuspageImporter.map(Array("{\"incidents\": 3}".utf8)) }
        #expect(throws: StatuspageImportError.self) { try StatuspageImporter.map(Array("{\"hello\": 3}".utf8)) }
    }

    @Test func eventIDsAreDeterministicVersion8AndPrefixAppliesToStreams() throws {
        let first = try map(incident())
        let second = try map(incident(), prefix: "GH-")
        #expect(first.events.map(\.event) == second.events.map(\.event))
        #expect(Set(second.events.map(\.stream)) == ["GH-abc123"])
        let id = StatuspageImporter.eventID(incident: "abc123", role: "declared")
        #expect(first.events[0].event.id == id)
        #expect(id.uuidString.dropFirst(14).first == "8")
        #expect("89AB".contains(id.uuidString.dropFirst(19).first!))
        #expect(Set(first.events.map(\.event.id)).count == first.events.count)
    }

    @Test func plainTextStripsTagsAndDecodesEntities() {
        #expect(StatuspageImporter.plainText("<ul><li><strong>2010-02-07</strong> - Done&nbsp;&amp; dusted</li><li>a &#x263A; &bogus; b</li></ul>")
            == "2010-02-07 - Done & dusted\na ☺ &bogus; b")
        #expect(StatuspageImporter.plainText("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2")
    }

    @Test func realGitHubHistoryMaps() throws {
        let bytes = Array(try Data(contentsOf: realFile))
        let result = try StatuspageImporter.map(bytes)
        #expect(result.incidents.count == 1282)
        #expect(result.skippedIncidents == 0)
        #expect(kinds(result).isSuperset(of: [.backfilled, .resolutionBeforeStart]))
        #expect(result.warnings.filter { $0.kind == .backfilled }.count == 839)
        #expect(result.warnings.filter { $0.kind == .resolutionBeforeStart }.count == 3)
        // Updates posted more than an hour after the time they show (display_at against created_at):
        // 840, of which 839 are in back-filled incidents, which have their own warning; one is left.
        #expect(result.warnings.filter { $0.kind == .postedAfterShownTime }.map(\.incidentID) == ["d10zrmmcg364"])
        #expect(result.events.filter { event in
            guard case .statusUpdatePublished(let update) = try? typed(event) else { return false }
            return update.postedAt.map { $0 > event.event.occurredAt.adding(seconds: 3600) } ?? false
        }.count == 840, "every posting time is kept")
        // Every incident the source marks resolved ends resolved.
        #expect(result.incidents.allSatisfy { $0.events.last { $0.event.type == "incident.resolved" } != nil })
        // Every event decodes through the catalog.
        for event in result.events { _ = try typed(event) }
        // Mapping twice gives identical events.
        #expect(try StatuspageImporter.map(bytes).events == result.events)
        #expect(Set(result.events.map(\.event.id)).count == result.events.count)
    }
}
