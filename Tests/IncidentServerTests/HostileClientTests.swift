import Foundation
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// Clients no tool should be: slow, oversized, deeply nested, or flooding. Each gets a bounded,
/// documented answer, holds up nobody else, and leaves the ledger as it was.
@Suite struct HostileClientTests {
    @Test func aStalledClientIsCutOffAndHoldsUpNobody() async throws {
        let server = try await ServerFixture.start(["--idle-timeout", "1"])
        let jane = try await server.client(.responder)
        // Half a request, then silence: the server closes the connection once it idles past the limit
        // (1 s here), long before the client's own 60 s read timeout would give up.
        let head = "POST /v1/incidents/INC-1/declare HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(jane.token ?? "")\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
        let stalled = Task { try await jane.raw(Array((head + "{\"ti").utf8), timeout: 60) }
        // Meanwhile others are answered at once.
        for _ in 1...5 { #expect(try await server.anonymous.get("/healthz").status == 200) }
        let (answer, closedByServer) = try await stalled.value
        #expect(closedByServer)
        let text = String(decoding: answer, as: UTF8.self)
        #expect(answer.isEmpty || text.contains(" 408 ") || text.contains(" 400 "), "\(text)")
        #expect(try await server.service.ledger.version(ofStream: "INC-1") == 0)
        try await server.stop()
    }

    @Test func oversizedAndNestedInputIsRefused() async throws {
        let server = try await ServerFixture.start()
        let jane = try await server.client(.responder)
        let rita = try await server.client(.reviewer, holder: "rita@example.com")
        let head = try await server.service.ledger.head()
        // Deeper than the parser allows.
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let nested = try await jane.post("/v1/incidents/INC-1/declare", json: #"{"title": "x", "kind": "unplanned", "severity": "sev2", "services": \#(deep)}"#)
        #expect(nested.status == 400)
        // More events than a batch may hold.
        let line = #"{"stream": "INC-1", "type": "incident.note_added", "payload": {"text": "x"}}"#
        let batch = Array(repeating: line, count: 1001).joined(separator: "\n")
        let tooMany = try await jane.send("POST", "/v1/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(batch.utf8))
        #expect(tooMany.status == 413)
        #expect(tooMany.object["code"] as? String == "too-large")
        // A header block over the limit closes the connection rather than reaching a handler.
        // (The server may close before the client has sent it all: no answer at all is fine, a 2xx is not.)
        let bigHeader = try? await jane.get("/v1/incidents", headers: [("X-Filler", String(repeating: "a", count: 20_000))]).status
        #expect(bigHeader == nil || bigHeader == 431 || bigHeader == 400, "\(String(describing: bigHeader))")
        // Query values that are not what they should be.
        for path in ["/v1/incidents?limit=-1", "/v1/incidents?since=yesterday", "/v1/events?from=99999999999999999999999", "/v1/incidents?status=sideways"] {
            #expect(try await rita.get(path).status == 400, "\(path)")
        }
        #expect(try await server.service.ledger.head() == head)
        try await server.stop()
    }
}

/// The per-token rate limit: a token over its rate gets 429 with Retry-After; others are unaffected.
@Suite struct RateLimitTests {
    @Test func aFloodingTokenIsSlowedDownAndOthersAreNot() async throws {
        // One request a second, bursts of two: 24 requests at once cannot all pass, however slow the
        // machine (they would have to arrive spread over more than 22 seconds).
        let server = try await ServerFixture.start(["--rate-limit", "1"])
        let flood = try await server.client(.responder)
        let calm = try await server.client(.responder, holder: "calm@example.com")
        let replies = try await withThrowingTaskGroup(of: HTTPTestClient.Reply.self) { group in
            for _ in 1...24 { group.addTask { try await flood.get("/v1/incidents") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(replies.contains { $0.status == 200 })
        let limited = try #require(replies.first { $0.status == 429 })
        #expect(limited.headers["retry-after"] == "1")
        #expect(limited.object["code"] as? String == "too-many-requests")
        #expect(replies.allSatisfy { [200, 429].contains($0.status) })
        #expect(try await calm.get("/v1/incidents").status == 200)
        try await server.stop()
    }
}
