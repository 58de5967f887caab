import Foundation
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// The live tail: events as Server-Sent Events whose ids are positions, caught up first and then
/// followed; a client that reconnects with Last-Event-ID gets what it missed, once.
@Suite struct LiveTailTests {
    static func declare(_ client: HTTPTestClient, _ incident: String) async throws {
        let reply = try await client.post("/v1/incidents/\(incident)/declare", json: ServerAPITests.declare)
        #expect(reply.status == 201, "\(reply.text)")
    }

    @Test func resumesWithoutGapOrDuplicateWhileOthersWrite() async throws {
        let server = try await ServerFixture.start()
        let writer = try await server.client(.responder)
        let reader = try await server.client(.reviewer, holder: "rita@example.com")
        let base = try await server.service.ledger.head().position
        for number in 1...3 { try await Self.declare(writer, "INC-\(number)") }

        let first = try await reader.stream("/v1/events/stream?from=\(base + 1)")
        #expect(first.status == 200)
        #expect(first.headers["content-type"] == "text/event-stream")
        var seen = [String]()
        for _ in 1...3 { seen.append(try #require(try await first.next()).id ?? "") }
        #expect(seen == (base + 1...base + 3).map(String.init))
        // Live: an event committed after the tail caught up arrives too.
        try await Self.declare(writer, "INC-4")
        let live = try #require(try await first.next())
        #expect(live.id == "\(base + 4)")
        #expect(live.event == "incident.declared")
        #expect(live.data.contains("\"INC-4\""))
        first.close()

        // Others write while this client is away; it resumes from the last id it got.
        let writes = Task { for number in 5...12 { try await Self.declare(writer, "INC-\(number)") } }
        try await writes.value
        let resumed = try await reader.stream("/v1/events/stream", lastEventID: base + 4)
        var after = [String]()
        for _ in 5...12 { after.append(try #require(try await resumed.next()).id ?? "") }
        #expect(after == (base + 5...base + 12).map(String.init))
        resumed.close()
        try await server.stop()
    }

    @Test func filtersByIncidentAndType() async throws {
        let server = try await ServerFixture.start()
        let writer = try await server.client(.responder)
        let reader = try await server.client(.reviewer, holder: "rita@example.com")
        let base = try await server.service.ledger.head().position
        try await Self.declare(writer, "INC-1")
        try await Self.declare(writer, "INC-2")
        #expect(try await writer.post("/v1/incidents/INC-2/status", json: #"{"status": "identified"}"#).status == 201)
        let tail = try await reader.stream("/v1/events/stream?incident=INC-2&type=incident.status_changed")
        let event = try #require(try await tail.next())
        #expect(event.id == "\(base + 3)")
        tail.close()
        let denied = try await writer.stream("/v1/events/stream")
        #expect(denied.status == 403)
        denied.close()
        try await server.stop()
    }

    @Test func aShutdownEndsOpenTails() async throws {
        let server = try await ServerFixture.start()
        let reader = try await server.client(.reviewer, holder: "rita@example.com")
        let tail = try await reader.stream("/v1/events/stream?type=incident.declared")
        #expect(tail.status == 200)
        // A graceful shutdown must not wait for a tail forever.
        try await EventStoreConformance.within(.seconds(20)) { try await server.stop() }
        #expect(try await tail.next() == nil)
    }
}
