import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// `incidents import json`, end to end through the built tool.
@Suite struct JSONImportCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    @Test func googleCloudSampleImportsOnceAndAgainAddsNothing() async throws {
        let cli = CLI()
        try await cli.run("init")
        let sample = Self.path("docs/examples/gcp-status-sample.json")
        let mapping = Self.path("docs/examples/gcp-status-mapping.json")
        let first = try await cli.run("import", "json", sample, "--mapping", mapping, "--json")
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try JSONParser.parse(first.stdout)
        #expect(summary["incidentsImported"] == .integer(3))
        #expect(summary["eventsImported"] == .integer(14))
        #expect(summary["warnings"]?["resolution_before_creation"] == .integer(1))
        #expect(first.stderr.contains("warning: [resolution_before_creation] Qm9Xy1TgFvCk3Lw8Bz2d: end 2024-06-03T14:20:00Z is before created"))

        let again = try await cli.run("import", "json", sample, "--mapping", mapping, "--json")
        #expect(again.status == 0, "\(again.stderr)")
        let repeated = try JSONParser.parse(again.stdout)
        #expect(repeated["eventsImported"] == .integer(0))
        #expect(repeated["eventsAlreadyPresent"] == .integer(14))
        await #expect(try cli.run("verify").stdout.hasPrefix("ok: 14 events verified"))

        let open = try await cli.run("list", "--status", "open", "--ids")
        #expect(open.stdout.split(separator: "\n") == ["GCP-Hc7LpQ2sWm4Rt9Kv1Nx6"])
    }

    /// A source that recorded as things happened (recordedAsItHappened: Google Cloud's status page)
    /// is late nowhere for being imported now; an account written afterwards (Azure's reviews) is
    /// known only from its import, so each of its events is late.
    @Test func importedHistoryIsLateOnlyWhereItsSourceWas() async throws {
        let cli = CLI()
        try await cli.run("init")
        let gcp = try await cli.run(
            "import", "json", Self.path("docs/examples/gcp-status-sample.json"), "--mapping", Self.path("docs/examples/gcp-status-mapping.json"))
        #expect(gcp.status == 0, "\(gcp.stderr)")
        let live = try await cli.run("log", "--json")
        #expect(live.stdout.split(separator: "\n").allSatisfy { $0.contains("\"sourceRecordedAt\":") }, "\(live.stdout)")
        let lateAtSource = try await cli.run("timeline", "GCP-Qm9Xy1TgFvCk3Lw8Bz2d", "--as-of", "2030-01-01T00:00:00Z").stdout
        #expect(lateAtSource.contains("Resolved: Resolved: Elevated latency for Cloud Storage and BigQuery in europe-west1  (recorded late at the source, 2024-06-03T14:45:00Z)"))
        for incident in try await cli.run("list", "--ids").stdout.split(separator: "\n") {
            let timeline = try await cli.run("timeline", String(incident), "--as-of", "2030-01-01T00:00:00Z")
            #expect(timeline.status == 0 && !timeline.stdout.isEmpty)
            // Late at the source (a resolution posted minutes after the end it states) is kept; late
            // for the import, never.
            #expect(!timeline.stdout.contains("(recorded late, "), "\(timeline.stdout)")
        }

        let azure = try await cli.run(
            "import", "json", Self.path("Data/azure_pir_normalized_2021-2026.json"), "--mapping", Self.path("docs/examples/azure-pir-mapping.json"),
            "--prefix", "AZ-")
        #expect(azure.status == 0, "\(azure.stderr)")
        let review = try await #require(try cli.run("list", "--ids").stdout.split(separator: "\n").first { $0.hasPrefix("AZ-") })
        let timeline = try await cli.run("timeline", String(review), "--as-of", "2030-01-01T00:00:00Z")
        let rows = timeline.stdout.split(separator: "\n").filter { $0.contains("  #") }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains("(recorded late, ") }, "\(timeline.stdout)")
    }

    /// Azure's reviews: resolved as the source says, so none is left open.
    @Test func azureReviewsLeaveNoIncidentOpen() async throws {
        let cli = CLI()
        try await cli.run("init")
        let outcome = try await cli.run(
            "import", "json", Self.path("Data/azure_pir_normalized_2021-2026.json"), "--mapping", Self.path("docs/examples/azure-pir-mapping.json"))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("incidents: 94 imported, 0 already present, 0 skipped (94 in the document)"))
        await #expect(try cli.run("list", "--status", "open", "--ids").stdout.isEmpty)
    }

    @Test func aBadRecordIsRefusedByIndexFieldAndRuleAndNothingIsWritten() async throws {
        let cli = CLI()
        try await cli.run("init")
        let before = try await cli.run("verify").stdout
        let mapping = try cli.write("m.json", #"""
            {"kind": "json-incidents", "source": "test", "streamPrefix": "T-", "incidents": "items",
             "fields": {"id": "id", "title": "title", "severity": "sev", "created": "created"},
             "severities": {"high": "sev1"}}
            """#)
        let data = try cli.write("d.json", #"""
            {"items": [{"id": "a", "title": "One", "sev": "high", "created": "2025-01-01T00:00:00Z"},
                       {"id": "b", "title": "Two", "sev": "urgent", "created": "2025-01-01T00:00:00Z"}]}
            """#)
        let outcome = try await cli.run("import", "json", data, "--mapping", mapping)
        #expect(outcome.status == 3)
        #expect(outcome.stderr == "incidents: 1 of 2 records is refused: record 2 (incident 'b'): fields.severity at 'sev': 'urgent' is neither a key of severities nor one of sev1, sev2, sev3, sev4; nothing was written — correct it, or give --keep-going to record the others and write it to a rejects file" + "\n")
        await #expect(try cli.run("verify").stdout == before)
        // --keep-going: the good record is imported, the bad one written with its reason.
        let kept = try await cli.run("import", "json", data, "--mapping", mapping, "--keep-going")
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.contains("rejected: 1 record, written to d.json.rejects.jsonl"))
        let reject = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: cli.directory.file("d.json.rejects.jsonl")))))
        #expect(reject["index"] == .integer(2))
        #expect(reject["field"] == .string("fields.severity at 'sev'"))
        #expect(reject["record"]?["sev"] == .string("urgent"))
    }

    @Test func malformedMappingIsOneLine() async throws {
        let cli = CLI()
        try await cli.run("init")
        let mapping = try cli.write("m.json", #"{"kind": "json-incidents", "source": "test", "fields": {"id": "id"}}"#)
        let outcome = try await cli.run("import", "json", Self.path("docs/examples/gcp-status-sample.json"), "--mapping", mapping)
        #expect(outcome.status == 3)
        #expect(outcome.stderr == "incidents: m.json: fields.title is missing; nothing was written\n")
    }

    @Test func jsonLinesFromStandardInputWithAPrefix() async throws {
        let cli = CLI()
        try await cli.run("init")
        let mapping = try cli.write("m.json", #"""
            {"kind": "json-incidents", "source": "test", "fields": {"id": "id", "title": "title", "severity": "sev", "created": "created"}}
            """#)
        let lines = #"{"id": "a", "title": "One", "sev": "sev2", "created": "2025-01-01T00:00:00Z"}"# + "\n"
            + #"{"id": "b", "title": "Two", "sev": "sev3", "created": "2025-01-02T00:00:00Z"}"# + "\n"
        let outcome = try await cli.run("import", "json", "-", "--mapping", mapping, "--format", "jsonl", "--prefix", "X-", stdin: lines)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        await #expect(try cli.run("list", "--ids").stdout.split(separator: "\n") == ["X-a", "X-b"])
    }
}
