import Foundation
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore
import Testing

/// Requests the property-based API test (Tools/api-fuzz) and its probes found answered with a 5xx, a
/// crash of the server, or a ledger no longer readable: each is now a clear 400 that writes nothing.
@Suite struct APIFuzzFindingsTests {
    @Test func aReviewPeriodBeforeTheYear1000IsRefusedNotACrash() async throws {
        let server = try await ServerFixture.start()
        let jane = try await server.client(.responder)
        #expect(try await jane.post("/v1/incidents/INC-1/declare", json: ServerAPITests.declare).status == 201)
        for period in ["0000-01", "0001-01-01..9999-12-31", "9223372036854775807-01-01..9223372036854775807-01-02"] {
            let reply = try await jane.get("/v1/review/\(period)")
            #expect(reply.status == 400, "\(period): \(reply.text)")
            #expect(reply.object["code"] as? String == "usage")
        }
        let metric = try await jane.get("/v1/metrics/time_to_acknowledge?period=0000-Q1")
        #expect(metric.status == 400)
        #expect(try await server.anonymous.get("/healthz").status == 200)
        try await server.stop()
    }

    @Test func aLastEventIDAtTheTopOfTheRangeIsRefusedNotACrash() async throws {
        let server = try await ServerFixture.start()
        let auditor = try await server.client(.auditor, holder: "audit@example.com")
        let reply = try await auditor.get("/v1/events/stream", headers: [("Last-Event-ID", "\(UInt64.max)")])
        #expect(reply.status == 400, "\(reply.text)")
        #expect((reply.object["detail"] as? String)?.hasPrefix("Last-Event-ID must be the position") == true)
        #expect(try await server.anonymous.get("/healthz").status == 200)
        try await server.stop()
    }

    @Test func aTimeBeforeTheYear1ByItsOffsetIsRefusedAndTheLedgerStaysReadable() async throws {
        let server = try await ServerFixture.start()
        let jane = try await server.client(.responder)
        #expect(try await jane.post("/v1/incidents/INC-1/declare", json: ServerAPITests.declare).status == 201)
        let head = try await server.service.ledger.head()
        let early = try await jane.post(
            "/v1/incidents/INC-2/declare", json: #"{"title": "A", "kind": "unplanned", "severity": "sev3", "occurredAt": "0001-01-01T00:00:00+23:59"}"#)
        #expect(early.status == 400, "\(early.text)")
        #expect((early.object["detail"] as? String)?.contains("outside the years 0001 to 9999") == true)
        let line = #"{"stream": "INC-3", "type": "incident.declared", "occurredAt": "0001-01-01T00:00:00+00:01", "payload": {"title": "A", "kind": "unplanned", "severity": "sev3"}}"#
        #expect(try await jane.post("/v1/events", json: line).status == 400)
        #expect(try await server.service.ledger.head() == head)
        #expect(try await jane.get("/v1/incidents/INC-1").status == 200)
        try await server.stop()
    }
}
