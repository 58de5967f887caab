import Foundation
import LedgerModel
import LedgerTestSupport
import Testing

/// `incidents postmortem INCIDENT` end to end: the three formats, --output, unknown incidents, and
/// the recording subcommands still reached under the same word.
@Suite struct PostmortemCommandTests {
    /// A ledger with one small incident: declared, an update with a promise the next one missed, a
    /// customer message and its reply, resolved.
    static func ledger() throws -> CLI {
        let cli = CLI()
        try cli.run("init")
        let lines = [
            CLI.event(id: "0190f5d2-8c3a-7b1e-9f00-2a4c6e8b0d12", at: "2026-03-14T09:10:00Z",
                      payload: #"{"title":"Checkout <errors>","kind":"unplanned","severity":"sev1","impactStartedAt":"2026-03-14T09:02:00Z","detectedAt":"2026-03-14T09:06:00Z"}"#),
            CLI.event(type: "status_update.published", at: "2026-03-14T09:15:00Z",
                      payload: #"{"status":"investigating","audience":"public","channels":["status_page"],"text":"Looking into it","nextUpdateBy":"2026-03-14T09:30:00Z"}"#),
            CLI.event(type: "customer.message_received", at: "2026-03-14T09:16:00Z", payload: #"{"messageId":"m-1","channel":"email","customer":"acme"}"#),
            CLI.event(type: "customer.reply_sent", at: "2026-03-14T09:21:00Z", payload: #"{"inReplyTo":"m-1","channel":"email","customer":"acme"}"#),
            CLI.event(type: "status_update.published", at: "2026-03-14T09:36:00Z",
                      payload: #"{"status":"identified","audience":"public","channels":["status_page"],"text":"Found it"}"#),
            CLI.event(type: "incident.resolved", at: "2026-03-14T09:55:00Z", payload: #"{"summary":"Rolled back"}"#),
        ]
        let appended = try cli.run("append", stdin: lines.joined(separator: "\n"))
        #expect(appended.status == 0, "\(appended.stderr)")
        return cli
    }

    @Test func theReportInEveryFormat() async throws {
        let cli = try Self.ledger()

        let markdown = try await cli.run("postmortem", "INC-1", "--as-of", "2026-03-15T00:00:00Z")
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(markdown.stdout.hasPrefix("# Postmortem: INC-1 — Checkout \\<errors\\>\n"))
        #expect(markdown.stdout.contains("| Time to detect | **4m** |"))
        #expect(markdown.stdout.contains("| Time to acknowledge | *not recorded* |"))
        #expect(markdown.stdout.contains("**⚠ Missed promise:** next update promised by 2026-03-14T09:30:00Z; the next came at 2026-03-14T09:36:00Z, 6m late."))
        #expect(markdown.stderr.isEmpty)

        let explicit = try await cli.run("postmortem", "report", "INC-1", "--format", "markdown", "--as-of", "2026-03-15T00:00:00Z")
        #expect(explicit.stdout == markdown.stdout, "the default subcommand is the report")
        await #expect(try cli.run("postmortem", "INC-1", "--as-of", "2026-03-15T00:00:00Z").stdout == markdown.stdout, "the same ledger and report time give the same bytes")
        #expect(markdown.stdout.contains("promises and action items judged as of 2026-03-15T00:00:00Z, the time the report was made."))

        let html = try await cli.run("postmortem", "INC-1", "--format", "html")
        #expect(html.status == 0)
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(html.stdout.contains("<h1 dir=\"auto\">Checkout &lt;errors&gt;</h1>"))
        #expect(html.stdout.contains("<svg "))
        #expect(!html.stdout.contains("<script") && !html.stdout.contains("<link") && !html.stdout.contains("src="))

        let json = try await cli.run("postmortem", "INC-1", "--format", "json")
        #expect(json.status == 0)
        let parsed = try JSONParser.parse(json.stdout)
        #expect(parsed["incident"] == "INC-1")
        #expect(parsed["responseFigures"]?["timeToDetect"]?["seconds"] == 240)
        #expect(parsed["responseFigures"]?["timeToAcknowledge"]?["seconds"] == .null)
        #expect(parsed["responseFigures"]?["updatePromises"]?["missedCount"] == 1)
        #expect(parsed["source"]?["ledgerPosition"] == 6)
    }

    /// The report judges promises and action items against the time it is made: the wall clock, or
    /// --as-of, which every format states; the ledger's last recorded time is stated beside it.
    @Test func theReportTimeIsTheWallClockOrAsOfAndEveryFormatStatesIt() async throws {
        let cli = try Self.ledger()
        let action = try await cli.run(
            "postmortem", "action", "INC-1", "--action-item-id", "ai-1", "--title", "Canary changes", "--owner", "platform",
            "--due-at", "2026-03-16T09:00:00Z", "--at", "2026-03-15T09:05:00Z")
        #expect(action.status == 0, "\(action.stderr)")
        // An open incident's last promise: due 10:30, nothing since.
        let promise = try await cli.run(
            "append", stdin: CLI.event(stream: "INC-2", at: "2026-03-14T10:00:00Z") + "\n"
                + CLI.event(stream: "INC-2", type: "status_update.published", at: "2026-03-14T10:05:00Z",
                            payload: #"{"status":"investigating","audience":"public","channels":["status_page"],"text":"Looking","nextUpdateBy":"2026-03-14T10:30:00Z"}"#))
        #expect(promise.status == 0, "\(promise.stderr)")

        let before = try await cli.run("postmortem", "INC-1", "--as-of", "2026-03-16T08:00:00Z")
        #expect(before.stdout.contains("| ai-1 | Canary changes | platform | 2026-03-16T09:00:00Z | open |"))
        let after = try await cli.run("postmortem", "INC-1", "--as-of", "2026-03-16T10:00:00Z")
        #expect(after.stdout.contains("| ai-1 | Canary changes | platform | 2026-03-16T09:00:00Z | **overdue** |"))
        #expect(after.stdout.contains("judged as of 2026-03-16T10:00:00Z"))

        let pending = try await cli.run("postmortem", "INC-2", "--as-of", "2026-03-14T10:20:00Z", "--format", "json")
        let pendingJSON = try JSONParser.parse(pending.stdout)
        #expect(pendingJSON["responseFigures"]?["updatePromises"]?["pending"] == 1)
        #expect(pendingJSON["source"]?["asOf"] == "2026-03-14T10:20:00Z")
        #expect(pendingJSON["source"]?["lastRecorded"] != pendingJSON["source"]?["asOf"])
        // Not an unrelated write but the report time makes the promise overdue.
        let missed = try await JSONParser.parse(try cli.run("postmortem", "INC-2", "--as-of", "2026-03-14T11:00:00Z", "--format", "json").stdout)
        #expect(missed["responseFigures"]?["updatePromises"]?["pending"] == 0)
        #expect(missed["responseFigures"]?["updatePromises"]?["missedCount"] == 1)

        let html = try await cli.run("postmortem", "INC-1", "--as-of", "2026-03-16T10:00:00Z", "--format", "html")
        #expect(html.stdout.contains("judged as of 2026-03-16T10:00:00Z, the time the report was made."))
        // Without --as-of the wall clock: today is long after 2026, so the item is overdue.
        await #expect(try cli.run("postmortem", "INC-1").stdout.contains("**overdue**"))
        await #expect(try cli.run("postmortem", "report", "--help").stdout.contains("--as-of"))
    }

    /// docs/examples/persian-incident.jsonl, an incident written in Persian, gives the HTML of
    /// docs/examples/postmortem-fa.html: every value isolated, so its right-to-left text keeps its
    /// order inside the report's English sentences, and nothing late (its source recorded as it went).
    @Test func thePersianExampleKeepsItsTextInOrder() async throws {
        let cli = CLI()
        try await cli.run("init")
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/examples/persian-incident.jsonl").standardized.path
        await #expect(try cli.run("append", example).status == 0)
        let html = try await cli.run("postmortem", "INC-1405-017", "--format", "html", "--as-of", "2026-05-03T00:00:00Z")
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.stdout.contains("<h1 dir=\"auto\">قطعی پیام‌رسان در منطقهٔ تهران</h1>"))
        #expect(html.stdout.contains("<td class=\"what\">Note: <bdi>خطای (TLS handshake) در درگاه؛ بازگرداندن پیکربندی آغاز شد</bdi></td>"))
        #expect(html.stdout.contains("<dd><bdi>پیام‌رسان-۱</bdi>, <bdi>gateway</bdi></dd>"))
        #expect(!html.stdout.contains("tag late"))
    }

    @Test func outputWritesTheFile() async throws {
        let cli = try Self.ledger()
        let printed = try await cli.run("postmortem", "INC-1", "--format", "html", "--as-of", "2026-03-15T00:00:00Z")
        let written = try await cli.run("postmortem", "INC-1", "--format", "html", "--output", "report.html", "--as-of", "2026-03-15T00:00:00Z")
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.hasPrefix("wrote the html postmortem of INC-1 to report.html ("))
        let file = try String(contentsOfFile: cli.directory.file("report.html"), encoding: .utf8)
        #expect(file == printed.stdout)

        // A link is written through (with --force, as the file it names exists), never renamed over.
        let real = try cli.write("real.md", "old")
        try FileManager.default.createSymbolicLink(atPath: cli.directory.file("link.md"), withDestinationPath: real)
        await #expect(try cli.run("postmortem", "INC-1", "--output", "link.md").status == 3)
        await #expect(try cli.run("postmortem", "INC-1", "--output", "link.md", "--force").status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: cli.directory.file("link.md")) == real)
        #expect(try String(contentsOfFile: cli.directory.file(real), encoding: .utf8).hasPrefix("# Postmortem: INC-1"))

        let unwritable = try await cli.run("postmortem", "INC-1", "--output", "no-such-folder/report.md")
        #expect(unwritable.status == 3)
        #expect(unwritable.stderr.hasPrefix("incidents: cannot write no-such-folder/report.md"))
    }

    @Test func anUnknownIncidentOrFormatIsRefused() async throws {
        let cli = try Self.ledger()
        let unknown = try await cli.run("postmortem", "INC-404")
        #expect(unknown.status == 3)
        #expect(unknown.stdout.isEmpty)
        #expect(unknown.stderr.hasPrefix("incidents: no incident INC-404 in the ledger at incident-ledger"))
        #expect(unknown.stderr.split(separator: "\n").count == 1)

        let format = try await cli.run("postmortem", "INC-1", "--format", "pdf")
        #expect(format.status == 2)
        await #expect(!(try cli.run("postmortem", "INC-1", "--ledger", "missing")).stderr.isEmpty)
    }

    @Test func theRecordingSubcommandsStillRecord() async throws {
        let cli = try Self.ledger()
        let started = try await cli.run("postmortem", "start", "INC-1", "--owner", "dana@example.com", "--at", "2026-03-15T09:00:00Z")
        #expect(started.status == 0, "\(started.stderr)")
        let action = try await cli.run(
            "postmortem", "action", "INC-1", "--action-item-id", "ai-1", "--title", "Canary changes", "--owner", "platform",
            "--due-at", "2026-03-16T09:00:00Z", "--at", "2026-03-15T09:05:00Z")
        #expect(action.status == 0, "\(action.stderr)")
        let report = try await cli.run("postmortem", "INC-1")
        #expect(report.stdout.contains("**Postmortem:** started 2026-03-15T09:00:00Z by dana@example.com"))
        // Due 2026-03-16, and the ledger's last recorded time is the wall clock's today: overdue.
        #expect(report.stdout.contains("| ai-1 | Canary changes | platform | 2026-03-16T09:00:00Z | **overdue** |"))
    }
}
