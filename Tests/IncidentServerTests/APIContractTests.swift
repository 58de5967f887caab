import Foundation
import IncidentServer
import IncidentEvents
import IncidentService
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Logging
import Testing

/// The API's contract, Schemas/openapi.json: it is what the code generates, it names exactly the
/// routes the server answers, and every GET it documents is answered by a route.
@Suite struct APIContractTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let published = repository + "/Schemas/openapi.json"

    /// The published document's routes, as `METHOD /path/{parameter}`.
    static func publishedRoutes() throws -> [String] {
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: published))) as? [String: Any]
        let paths = try #require(document?["paths"] as? [String: [String: Any]])
        return paths.flatMap { path, methods in methods.keys.map { "\($0.uppercased()) \(path)" } }.sorted()
    }

    @Test func publishedDocumentIsWhatTheCodeGenerates() throws {
        let text = try String(contentsOfFile: Self.published, encoding: .utf8)
        #expect(text == APIDocument.json.prettyText, "Schemas/openapi.json is stale: run `incidents schema openapi > Schemas/openapi.json`")
    }

    @Test func documentNamesExactlyTheRoutesTheServerAnswers() throws {
        let directory = TemporaryDirectory("api-contract")
        let ledger = try Ledger.create(at: directory.file("ledger"))
        let service = LedgerService(ledger: ledger, defaults: RecordingDefaults.system.recorded(by: Actor(kind: .person, id: "test-admin")))
        let answered = Set(LedgerServer(service: service, logger: .init(label: "api-contract")).routes)
        let documented = Set(try Self.publishedRoutes())
        #expect(answered.count > 40)
        #expect(answered.subtracting(documented).sorted() == [], "routes the server answers that Schemas/openapi.json leaves out")
        #expect(documented.subtracting(answered).sorted() == [], "routes Schemas/openapi.json names that the server does not answer")
        #expect(Set(APIDocument.routes) == documented)
    }

    /// Whether a 404 is the router's for an unknown path rather than a route's for a missing thing.
    static func isUnknownRoute(_ reply: HTTPTestClient.Reply) -> Bool {
        (reply.object["detail"] as? String)?.hasPrefix("no route ") == true
    }

    /// Each documented GET path, with its parameters filled in, reaches a route: never the router's
    /// 404 for an unknown path (`no route …`) nor a 405.
    @Test func everyDocumentedGETReachesARoute() async throws {
        let server = try await ServerFixture.start()
        let jane = try await server.client(.responder)
        let admin = try await server.client(.admin, holder: "admin@example.com")
        #expect(try await jane.post("/v1/incidents/INC-1/declare", json: ServerAPITests.declare).status == 201)
        let unknown = try await admin.get("/v1/no-such-route")
        #expect(unknown.status == 404 && Self.isUnknownRoute(unknown), "the test tells an unknown route from a missing incident")

        let values = ["{incident}": "INC-1", "{type}": "incident.declared", "{period}": "2026-Q1", "{name}": "time_to_acknowledge", "{id}": "no-such-token"]
        let paths = try Self.publishedRoutes().filter { $0.hasPrefix("GET ") }.map { String($0.dropFirst(4)) }
        #expect(paths.count >= 15)
        for template in paths {
            var path = template
            for (name, value) in values { path = path.replacingOccurrences(of: name, with: value) }
            #expect(!path.contains("{"), "\(template) has a parameter the test does not fill")
            if path == "/v1/events/stream" {
                let tail = try await admin.stream(path)
                #expect(tail.status == 200, "\(template)")
                tail.close()
                continue
            }
            let reply = try await admin.get(path)
            #expect(reply.status != 405, "\(template): \(reply.text)")
            #expect(reply.status != 404 || !Self.isUnknownRoute(reply), "\(template) reaches no route: \(reply.text)")
            #expect(reply.status < 500, "\(template): \(reply.text)")
        }
        try await server.stop()
    }
}
