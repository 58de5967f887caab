import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// `incidents review` and `incidents metrics` end to end, on generated ledgers.
@Suite struct ReviewCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// A ledger of `incidents` generated incidents.
    static func ledger(incidents: Int, seed: Int = 5) throws -> CLI {
        let cli = CLI()
        try cli.run("init")
        let generated = try cli.run("generate", "--incidents", String(incidents), "--seed", String(seed))
        #expect(generated.status == 0, "\(generated.stderr)")
        let appended = try cli.run("append", stdin: generated.stdout)
        #expect(appended.status == 0, "\(appended.stderr)")
        return cli
    }

    @Test func theReviewInEveryFormatIsReproducible() async throws {
        let cli = try Self.ledger(incidents: 120)
        let text = try await cli.run("review", "2025-Q2", "--as-of", "2026-01-01T00:00:00Z")
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("INCIDENT REVIEW 2025-Q2\n"))
        #expect(text.stdout.contains("against"))
        #expect(text.stdout.contains(" in 2025-Q1."))
        for section in ["Figures", "SLA breaches", "Longest customer-facing silences", "Executive escalations", "Satisfaction", "Postmortem follow-through", "Source"] {
            #expect(text.stdout.contains("\n\(section)\n"), "\(section)")
        }
        // Nothing comes from the clock but through --as-of: the same ledger and report time give the same bytes.
        await #expect(try cli.run("review", "2025-Q2", "--as-of", "2026-01-01T00:00:00Z").stdout == text.stdout)

        let info = try await cli.run("info")
        let head = try #require(info.stdout.split(separator: "\n").first { $0.contains("head") })
        let json = try await cli.run("review", "2025-Q2", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let source = try #require(object["source"] as? [String: Any])
        let position = try #require(source["headPosition"] as? Int)
        #expect(head.contains(String(position)))
        #expect((source["metricVersions"] as? [String: Int])?["time_to_resolve"] == 3)
        #expect((object["rows"] as? [Any])?.count == 34, "33 metrics and time_to_executive_contact")

        let html = try await cli.run("review", "2025-Q2", "--format", "html")
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(html.stdout.components(separatedBy: "<svg ").count - 1 == 4, "three charts and the heat map of first replies by hour of the week")
        #expect(!html.stdout.contains("<script"))
        #expect(html.stdout.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").range(of: "http") == nil)

        let csv = try await cli.run("review", "2025-Q2", "--format", "csv")
        let lines = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "period,metric,version,kind,n,excluded,mean,median,p90,p95,max,total,ratio")
        #expect(lines.count == 1 + 2 * 34)

        let markdown = try await cli.run("review", "2025-Q2", "--format", "markdown", "--output", "review.md")
        #expect(markdown.status == 0)
        #expect(markdown.stdout.hasPrefix("wrote the markdown review of 2025-Q2 to review.md"))
        let written = try String(contentsOfFile: cli.directory.file("review.md"), encoding: .utf8)
        #expect(written.hasPrefix("# Incident review 2025-Q2\n"))

        // The default period is the quarter before the latest declaration's.
        let byDefault = try await cli.run("review")
        #expect(byDefault.status == 0)
        #expect(byDefault.stdout.hasPrefix("INCIDENT REVIEW 20"))
    }

    @Test func metricsWithBreakdownsAndFilters() async throws {
        let cli = try Self.ledger(incidents: 60)
        let listed = try await cli.run("metrics")
        #expect(listed.stdout.contains("time_to_first_reply (v2, duration): Time to first reply"))
        let bySeverity = try await cli.run("metrics", "time_to_resolve", "--by", "severity")
        #expect(bySeverity.status == 0, "\(bySeverity.stderr)")
        let rows = bySeverity.stdout.split(separator: "\n")
        #expect(rows[0].hasPrefix("Time to resolve — time_to_resolve v3, clock always-open v1; 60 incidents"))
        #expect(rows.dropFirst(2).allSatisfy { $0.hasPrefix("sev") })
        let filtered = try await cli.run("metrics", "customer_messages", "--severity", "sev1", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(filtered.stdout.utf8)) as? [String: Any])
        let all = try await cli.run("metrics", "customer_messages", "--format", "json")
        let total = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])
        #expect((object["incidents"] as? Int ?? 0) < (total["incidents"] as? Int ?? 0))
        await #expect(try cli.run("metrics", "csat", "--format", "csv").stdout.hasPrefix("metric,version,kind,n,"))
        // A result names the clock its durations were measured on; counts have none.
        #expect(object["clock"] == nil)
        let durations = try await cli.run("metrics", "time_to_resolve", "--format", "json")
        let timed = try #require(try JSONSerialization.jsonObject(with: Data(durations.stdout.utf8)) as? [String: Any])
        #expect(timed["clock"] as? String == "always-open v1")
    }

    @Test func badInputGetsOneClearLine() async throws {
        let cli = CLI()
        try await cli.run("init")
        let empty = try await cli.run("review")
        #expect(empty.status == 3)
        #expect(empty.stderr.contains("holds no declared incident to review"))

        let unknown = try await cli.run("metrics", "time_to_nothing")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no metric 'time_to_nothing'"))
        await #expect(try cli.run("metrics", "csat", "--by", "colour").status == 2)
        await #expect(try cli.run("review", "2026-Q5").status == 2)

        let broken = try cli.write("broken.json", #"{"id":"x","version":1,"timeZone":"Mars/Olympus","weeklyHours":{"monday":["09:00-17:00"]}}"#)
        let badCalendar = try await cli.run("metrics", "csat", "--calendar", broken)
        #expect(badCalendar.status == 3)
        #expect(badCalendar.stderr.hasPrefix("incidents: calendar broken.json is not a valid calendar"))
        #expect(badCalendar.stderr.split(separator: "\n").count == 1)
        let missing = try await cli.run("metrics", "csat", "--business-hours", "support")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such calendar"))
        await #expect(try cli.run("review", "--ledger", cli.directory.file("nowhere")).status == 5)
    }

    /// `--region REGION=ID` gives a region's incidents their own calendar; a region without a calendar
    /// given, or a malformed one, is refused as a usage error and nothing is written.
    @Test func regionsAreMeasuredOnTheirOwnCalendars() async throws {
        let cli = try Self.ledger(incidents: 120)
        let hours = #"{"monday":["09:00-17:00"],"tuesday":["09:00-17:00"],"wednesday":["09:00-17:00"],"thursday":["09:00-17:00"],"friday":["09:00-17:00"]}"#
        let dublin = try cli.write("dublin.json", #"{"id":"support-dublin","version":2,"timeZone":"Europe/Dublin","weeklyHours":"# + hours + "}")
        let review = try await cli.run("review", "2025-Q2", "--as-of", "2026-01-01T00:00:00Z", "--calendar", dublin, "--region", "eu-west-1=support-dublin")
        #expect(review.status == 0, "\(review.stderr)")
        #expect(review.stdout.contains("\nResponse figures by region\n"))
        #expect(review.stdout.contains("eu-west-1        support-dublin v2"))
        #expect(review.stdout.contains("(other regions)  always-open v1"))
        #expect(review.stdout.contains("\nTime to first reply by hour of the week\n"))
        #expect(review.stdout.contains("\nExecutive sponsorship\n"))
        await #expect(!(try cli.run("review", "2025-Q2", "--as-of", "2026-01-01T00:00:00Z").stdout.contains("Response figures by region")))

        let unknown = try await cli.run("review", "2025-Q2", "--region", "eu-west-1=support-dublin")
        #expect(unknown.status == 2 && unknown.stderr == "incidents: --region eu-west-1=support-dublin: no calendar support-dublin; give its file with --calendar\n")
        let malformed = try await cli.run("review", "2025-Q2", "--calendar", dublin, "--region", "eu-west-1")
        #expect(malformed.status == 2 && malformed.stderr.hasPrefix("incidents: --region eu-west-1: expected REGION=ID"))
    }

    @Test func docsDefineEveryMetricAsTheCodeDoes() async throws {
        let docs = try String(contentsOfFile: Self.repository + "/docs/metrics.md", encoding: .utf8)
        let begin = try #require(docs.range(of: "<!-- metrics:begin -->\n"))
        let end = try #require(docs.range(of: "<!-- metrics:end -->"))
        let table = try await CLI().run("metrics", "--markdown").stdout
        #expect(String(docs[begin.upperBound..<end.lowerBound]) == table, "regenerate with `incidents metrics --markdown`")
    }

    /// Tools/crosscheck-metrics.py reads the exported events with its own reading of the definitions;
    /// the ledger's figures must agree with it on thousands of incidents.
    @Test func anIndependentScriptAgreesOnTheHeadlineFigures() async throws {
        let cli = try Self.ledger(incidents: 2000, seed: 11)
        let exported = try await cli.run("log", "--json")
        let python = try await ChildProcess.run("/usr/bin/env", ["python3", Self.repository + "/Tools/crosscheck-metrics.py"], stdin: exported.stdout)
        #expect(python.status == 0, "\(python.stderr)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [String: [String: Any]])
        let fewer: Set<String> = ["longest_update_gap", "time_to_first_public_update", "time_to_first_public_update_from_declaration"]
        for metric in [
            "time_to_acknowledge", "time_to_resolve_from_declaration", "time_to_first_reply", "longest_update_gap", "time_to_first_public_update",
            "time_to_first_public_update_from_declaration",
        ] {
            let ours = try await cli.run("metrics", metric, "--format", "json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as? [String: Any])
            let overall = try #require(object["overall"] as? [String: Any])
            let statistics = try #require(overall["statistics"] as? [String: Any])
            let theirs = try #require(expected[metric])
            #expect((theirs["count"] as? Int ?? -1) > (fewer.contains(metric) ? 500 : 1000), "\(metric)")
            for key in ["count", "p90", "p95", "maximum"] {
                #expect(statistics[key] as? Int == theirs[key] as? Int, "\(metric) \(key)")
            }
            // The median may fall on a half second (an even count): compared as a number, never nil.
            let median = try #require(statistics["median"] as? Double, "\(metric) median")
            #expect(median == theirs["median"] as? Double, "\(metric) median")
            #expect(abs((statistics["mean"] as? Double ?? 0) - (theirs["mean"] as? Double ?? 1)) < 1e-6, "\(metric) mean")
            #expect(overall["excluded"] as? [String: Int] == theirs["excluded"] as? [String: Int], "\(metric) excluded")
        }
        for metric in ["sla_resolution", "csat"] {
            let ours = try await cli.run("metrics", metric, "--format", "json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as? [String: Any])
            let overall = try #require(object["overall"] as? [String: Any])
            let theirs = try #require(expected[metric])
            #expect(overall["count"] as? Int == theirs["count"] as? Int, "\(metric) n")
            #expect(overall["total"] as? Int == theirs["yes"] as? Int, "\(metric) yes")
        }
    }

    /// The review's tables isolate each value from an event (`<bdi>`), so a Persian title with a Latin
    /// word in parentheses keeps its order in an English page.
    @Test func reviewTablesIsolateTextFromEvents() async throws {
        let cli = CLI()
        try await cli.run("init")
        let title = "قطعی پیام‌رسان (API)"
        await #expect(try cli.run("declare", "فا-۱", "--title", title, "--kind", "unplanned", "--severity", "sev2", "--at", "2026-01-05T10:00:00Z").status == 0)
        await #expect(try cli.run(
            "update", "فا-۱", "--status", "investigating", "--audience", "public", "--channels", "status_page", "--text", "در حال بررسی",
            "--at", "2026-01-05T10:05:00Z").status == 0)
        await #expect(try cli.run("resolve", "فا-۱", "--summary", "برطرف شد", "--at", "2026-01-05T11:05:00Z").status == 0)
        let html = try await cli.run("review", "2026-Q1", "--format", "html", "--as-of", "2026-04-01T00:00:00Z")
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.stdout.contains("<tr><td><bdi>فا-۱</bdi></td><td>sev2</td><td class=\"num\">1h 00m</td><td><bdi>\(title)</bdi></td></tr>"), "\(html.stdout)")
    }

}
