import Foundation
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerTestSupport
import Testing

/// `GET /v1/due`: the same list as `incidents due --json`, judged at `?at=`, over a real connection.
@Suite struct DueRoutesTests {
    /// INC-1 (sev1): an update at 09:05 promising the next by 09:35; acme (enterprise) wrote at 09:10.
    static let history = [
        #"{"stream": "INC-1", "type": "incident.declared", "occurredAt": "2026-03-14T09:00:00Z", "payload": {"title": "Checkout errors", "kind": "unplanned", "severity": "sev1"}}"#,
        #"{"stream": "INC-1", "type": "status_update.published", "occurredAt": "2026-03-14T09:05:00Z", "payload": {"status": "investigating", "audience": "public", "channels": ["status_page"], "text": "Looking", "nextUpdateBy": "2026-03-14T09:35:00Z"}}"#,
        #"{"stream": "INC-1", "type": "customer.message_received", "occurredAt": "2026-03-14T09:10:00Z", "payload": {"messageId": "m-1", "channel": "email", "customer": "acme", "tier": "enterprise"}}"#,
    ]

    @Test func theDueListIsServedAsTheCLIPrintsIt() async throws {
        let server = try await ServerFixture.start()
        let jane = try await server.client(.responder)
        let recorded = try await jane.send(
            "POST", "/v1/events", headers: [("Content-Type", "application/x-ndjson")], body: Array((Self.history.joined(separator: "\n") + "\n").utf8))
        #expect(recorded.status == 201, "\(recorded.text)")

        let before = try await jane.get("/v1/due?at=2026-03-14T09:19:59Z")
        #expect(before.status == 200 && before.headers["content-type"] == "application/json")
        #expect(before.object["overdue"] as? Int == 0)
        #expect((before.object["items"] as? [Any])?.isEmpty == true)

        let after = try await jane.get("/v1/due?at=2026-03-14T09:35:00.000001Z")
        #expect(after.object["at"] as? String == "2026-03-14T09:35:00.000001Z")
        #expect(after.object["windowSeconds"] as? Int == 900)
        #expect(after.object["overdue"] as? Int == 1)
        let items = after.object["items"] as? [[String: Any]] ?? []
        #expect(items.map { $0["kind"] as? String } == ["update", "first-reply"])
        #expect(items.map { $0["overdue"] as? Bool } == [true, false])
        #expect(items.last?["reference"] as? String == "m-1" && items.last?["tier"] as? String == "enterprise")

        // The window from the query: an hour ahead at 09:00 sees both; none by default.
        let wide = try await jane.get("/v1/due?at=2026-03-14T09:00:00Z&windowSeconds=3600")
        #expect((wide.object["items"] as? [Any])?.count == 2 && wide.object["windowSeconds"] as? Int == 3600)
        // The service answers exactly the same.
        let direct = try server.service.due(at: try Timestamp(rfc3339: "2026-03-14T09:00:00Z"), window: 3_600_000_000)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(wide.text == String(decoding: try encoder.encode(direct), as: UTF8.self) + "\n")

        let badWindow = try await jane.get("/v1/due?windowSeconds=-1")
        #expect(badWindow.status == 400)
        #expect((badWindow.object["detail"] as? String)?.contains("?windowSeconds= must be a whole number from 0 to 31622400") == true)
        #expect(try await jane.get("/v1/due?at=soon").status == 400)
        #expect(try await server.anonymous.get("/v1/due").status == 401)
        try await server.stop()
    }

    /// The live tail with `?due=true`: a promise a few seconds ahead comes as `due`, then, on the
    /// server's own clock, as overdue; the log's events keep their ids and the due events have none.
    /// (On a machine so loaded that the watcher's first look comes after the promise, the overdue
    /// report is the only one: that is what the tail says then, and the test accepts it.)
    @Test func theLiveTailSaysWhenAnItemComesDueAndWhenItIsOverdue() async throws {
        let server = try await ServerFixture.start()
        let jane = try await server.client(.responder)
        let rita = try await server.client(.reviewer, holder: "rita@example.com")
        let now = Timestamp.now()
        let promised = now.adding(seconds: 6)
        let history = [
            #"{"stream": "INC-9", "type": "incident.declared", "occurredAt": "\#(now.adding(seconds: -60).rfc3339)", "payload": {"title": "Search down", "kind": "unplanned", "severity": "sev1"}}"#,
            #"{"stream": "INC-9", "type": "status_update.published", "occurredAt": "\#(now.rfc3339)", "payload": {"status": "investigating", "audience": "public", "channels": ["status_page"], "text": "Looking", "nextUpdateBy": "\#(promised.rfc3339)"}}"#,
            #"{"stream": "INC-8", "type": "incident.declared", "occurredAt": "\#(now.rfc3339)", "payload": {"title": "Other", "kind": "unplanned", "severity": "sev3"}}"#,
        ]
        let recorded = try await jane.send(
            "POST", "/v1/events", headers: [("Content-Type", "application/x-ndjson")], body: Array((history.joined(separator: "\n") + "\n").utf8))
        #expect(recorded.status == 201, "\(recorded.text)")

        let tail = try await rita.stream("/v1/events/stream?due=true&incident=INC-9")
        #expect(tail.status == 200)
        // Until the item is reported overdue; bounded, so that a watcher that never says so fails the
        // test instead of hanging it (the tail's heartbeats keep the socket from timing out).
        let events = try await EventStoreConformance.within(.seconds(90)) {
            var events = [EventStream.Event]()
            func overdue(_ event: EventStream.Event) -> Bool {
                event.event == "due" && (try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])?["overdue"] as? Bool == true
            }
            while !events.contains(where: overdue), let event = try await tail.next() {
                events.append(event)
            }
            return events
        }
        tail.close()
        // The incident's two events, with their positions as ids; INC-8 is filtered out.
        let logged = events.filter { $0.event != "due" }
        #expect(logged.map(\.event) == ["incident.declared", "status_update.published"])
        #expect(logged.allSatisfy { $0.id != nil })
        let due = events.filter { $0.event == "due" }
        #expect(due.allSatisfy { $0.id == nil })
        let items = due.compactMap { try? JSONSerialization.jsonObject(with: Data($0.data.utf8)) as? [String: Any] }
        #expect(items.count == due.count && (1...2).contains(items.count), "\(due.map(\.data))")
        #expect(items.allSatisfy { $0["kind"] as? String == "update" && $0["incident"] as? String == "INC-9" })
        #expect(items.allSatisfy { $0["dueAt"] as? String == promised.rfc3339 })
        // Due first (unless the first look came late), then overdue.
        #expect(items.map { $0["overdue"] as? Bool } == (items.count == 2 ? [false, true] : [true]))
        // A responder may not follow the log, due items or not.
        #expect(try await jane.get("/v1/events/stream?due=true").status == 403)
        #expect(try await rita.get("/v1/events/stream?due=maybe").status == 400)
        try await server.stop()
    }
}
