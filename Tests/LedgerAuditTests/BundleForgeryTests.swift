@testable import LedgerAudit
import Foundation
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// Each forgery of a bundle's file list or manifest, one test each: both verifiers refuse it with
/// the same one-line message.
@Suite struct BundleForgeryTests {
    static func manifestText(_ bundle: String) throws -> String {
        try String(contentsOfFile: bundle + "/" + ExportBundle.manifest, encoding: .utf8)
    }

    static func writeManifest(_ bundle: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: bundle + "/" + ExportBundle.manifest))
    }

    @Test func anUnlistedForgedCSVIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("no-csv")
        let honest = try fixture.export("csv", csv: true)
        var rows = try AuditFixture.lines(honest, ExportBundle.csv)
        rows[3] = rows[3].replacingOccurrences(of: "latency", with: "all clear")
        try AuditFixture.write(bundle, ExportBundle.csv, lines: rows)
        try fixture.expectRefusedAlike(
            bundle, "the bundle holds events.csv, which the manifest does not list (every file of a bundle must be listed with its hash)")
    }

    @Test func aCSVWhoseManifestEntryWasDeletedIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("csv", csv: true)
        try AuditFixture.edit(bundle, ExportBundle.csv, fixManifest: false) { $0[2] = $0[2].replacingOccurrences(of: "latency", with: "all clear") }
        try AuditFixture.rehashManifest(bundle) { manifest in
            guard case .object(var files)? = manifest["files"] else { return }
            files[ExportBundle.csv] = nil
            manifest["files"] = .object(files)
        }
        try fixture.expectRefusedAlike(
            bundle, "the bundle holds events.csv, which the manifest does not list (every file of a bundle must be listed with its hash)")
    }

    @Test func aListedFileThatIsMissingIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("filtered", query: EventQuery(incident: "INC-1"), csv: true)
        for name in [ExportBundle.proofs, ExportBundle.csv] {
            try FileManager.default.removeItem(atPath: bundle + "/" + name)
            try fixture.expectRefusedAlike(bundle, "\(name) is listed in the manifest but missing from the bundle")
        }
        // A folder or a link where a listed file should be is no file.
        try FileManager.default.createDirectory(atPath: bundle + "/" + ExportBundle.csv, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: bundle + "/" + ExportBundle.proofs, withDestinationPath: bundle + "/" + ExportBundle.events)
        try fixture.expectRefusedAlike(bundle, "events.csv is listed in the manifest but missing from the bundle")
        try FileManager.default.removeItem(atPath: bundle + "/" + ExportBundle.csv)
        try Data().write(to: URL(fileURLWithPath: bundle + "/" + ExportBundle.csv))
        try fixture.expectRefusedAlike(bundle, "proofs.jsonl is not a regular file")
    }

    @Test func aSecondCopyUnderAnotherNameIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("full")
        let events = bundle + "/" + ExportBundle.events
        for name in ["events-copy.jsonl", ".events.jsonl", "old/events.jsonl", "a/b/.hidden"] {
            let copy = bundle + "/" + name
            try FileManager.default.createDirectory(atPath: (copy as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: events, toPath: copy)
            try fixture.expectRefusedAlike(
                bundle, "the bundle holds \(name), which the manifest does not list (every file of a bundle must be listed with its hash)")
            try FileManager.default.removeItem(atPath: copy)
        }
        // An empty folder left behind is refused too; removed, the bundle is honest again.
        try fixture.expectRefusedAlike(bundle, "the bundle holds a/b/, which the manifest does not list (every file of a bundle must be listed with its hash)")
        try FileManager.default.removeItem(atPath: bundle + "/a")
        try FileManager.default.removeItem(atPath: bundle + "/old")
        let cleaned = try fixture.refusals(bundle)
        #expect(cleaned.swift == nil && cleaned.python == nil)
    }

    @Test func aRepeatedEventCountIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("full")
        // The forger's count first, the true one after it (the Python verifier used to keep the last).
        let text = try Self.manifestText(bundle)
        try Self.writeManifest(bundle, text.replacingOccurrences(of: "  \"eventCount\": 40,\n", with: "  \"eventCount\": 39,\n  \"eventCount\": 40,\n"))
        try fixture.expectRefusedAlike(bundle, "manifest.json: malformed JSON at line 3, column 3: the member name \"eventCount\" appears twice")
        try Self.writeManifest(bundle, text.replacingOccurrences(of: "  \"eventCount\": 40,\n", with: "  \"eventCount\": 40,\n  \"eventCount\": 41,\n"))
        try fixture.expectRefusedAlike(bundle, "manifest.json: malformed JSON at line 3, column 3: the member name \"eventCount\" appears twice")
    }

    @Test func aRepeatedKindIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("filtered", query: EventQuery(incident: "INC-2"))
        let text = try Self.manifestText(bundle)
        let line = text.split(separator: "\n").firstIndex { $0.hasPrefix("  \"kind\": ") }! + 1
        try Self.writeManifest(bundle, text.replacingOccurrences(of: "  \"kind\": \"filtered\",\n", with: "  \"kind\": \"full\",\n  \"kind\": \"filtered\",\n"))
        try fixture.expectRefusedAlike(bundle, "manifest.json: malformed JSON at line \(line + 1), column 3: the member name \"kind\" appears twice")
        // The same in a nested object and in every other JSON file of a bundle.
        try Self.writeManifest(bundle, text.replacingOccurrences(of: "      \"bytes\": ", with: "      \"bytes\": 0,\n      \"bytes\": "))
        #expect(try fixture.refusals(bundle).swift?.hasSuffix("the member name \"bytes\" appears twice") == true)
        try fixture.expectRefusedAlike(bundle, try fixture.refusals(bundle).swift ?? "passed")
        try Self.writeManifest(bundle, text)
        try AuditFixture.edit(bundle, ExportBundle.proofs) { $0[0] = $0[0].replacingOccurrences(of: "{\"path\"", with: "{\"position\":5,\"path\"") }
        try fixture.expectRefusedAlike(bundle, "proofs.jsonl line 1: not an inclusion proof line {\"path\": [...], \"position\": N}")
        let incremental = try fixture.export("incremental", after: try SignedCheckpoint(contentsOf: bundle + "/" + ExportBundle.checkpoint))
        var oldSizeLine = 0
        try AuditFixture.edit(incremental, ExportBundle.consistency) { lines in
            let index = lines.firstIndex { $0.hasPrefix("  \"oldSize\": ") }!
            lines.insert("  \"oldSize\": 0,", at: index)
            oldSizeLine = index + 2
        }
        try fixture.expectRefusedAlike(
            incremental, "consistency.json: malformed JSON at line \(oldSizeLine), column 3: the member name \"oldSize\" appears twice")
    }

    @Test func anUnknownMemberIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("full")
        try AuditFixture.rehashManifest(bundle) { $0["signedBy"] = .string("the auditor") }
        try fixture.expectRefusedAlike(bundle, "manifest.json: unknown member \"signedBy\"")
        try AuditFixture.rehashManifest(bundle) { manifest in
            manifest["signedBy"] = nil
            guard case .object(var query)? = manifest["query"] else { return }
            query["severity"] = .array([.string("sev1")])
            manifest["query"] = .object(query)
        }
        try fixture.expectRefusedAlike(bundle, "manifest.json: unknown member \"query.severity\"")
        try AuditFixture.rehashManifest(bundle) { manifest in
            guard case .object(var query)? = manifest["query"] else { return }
            query["severity"] = nil
            query["until"] = nil
            manifest["query"] = .object(query)
        }
        try fixture.expectRefusedAlike(bundle, "manifest.json: missing member \"query.until\"")
    }

    @Test func aMemberOfTheWrongTypeIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("full")
        let cases: [(String, JSONValue, String)] = [
            ("eventCount", .string("40"), "a whole number"), ("kind", .integer(1), "a string"), ("firstPosition", .bool(true), "a whole number or null"),
            ("query", .array([]), "an object"), ("origin", .null, "a string"), ("files", .string("events.jsonl"), "an object"),
        ]
        for (member, value, type) in cases {
            let path = bundle + "/" + ExportBundle.manifest
            let honest = try Data(contentsOf: URL(fileURLWithPath: path))
            try AuditFixture.rehashManifest(bundle) { $0[member] = value }
            try fixture.expectRefusedAlike(bundle, "manifest.json: member \"\(member)\" must be \(type)")
            try honest.write(to: URL(fileURLWithPath: path))
        }
        try AuditFixture.rehashManifest(bundle) { manifest in
            guard case .object(var files)? = manifest["files"], case .object(var entry)? = files[ExportBundle.events] else { return }
            entry["bytes"] = .string("many")
            files[ExportBundle.events] = .object(entry)
            manifest["files"] = .object(files)
        }
        try fixture.expectRefusedAlike(bundle, "manifest.json: member \"files.events.jsonl.bytes\" must be a whole number")
    }

    @Test func aNonCanonicalNumberIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("full")
        let text = try Self.manifestText(bundle)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = lines.firstIndex { $0.hasPrefix("  \"eventCount\": ") }!
        let column = "  \"eventCount\": ".count + 1
        // A leading zero, a fraction, an exponent, a sign: each the same count, written otherwise.
        for spelling in ["040", "40.0", "4e1", "4.0E+1", "+40", "-40"] {
            try Self.writeManifest(bundle, text.replacingOccurrences(of: "  \"eventCount\": 40,", with: "  \"eventCount\": \(spelling),"))
            try fixture.expectRefusedAlike(
                bundle, "manifest.json: the number \(spelling) at line \(line + 1), column \(column) is not a whole number in canonical form")
        }
        let empty = try fixture.export("empty", query: EventQuery(incident: "INC-none"))
        let emptyText = try Self.manifestText(empty)
        let emptyLine = emptyText.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  \"eventCount\": ") }!
        try Self.writeManifest(empty, emptyText.replacingOccurrences(of: "  \"eventCount\": 0,", with: "  \"eventCount\": -0,"))
        try fixture.expectRefusedAlike(empty, "manifest.json: the number -0 at line \(emptyLine + 1), column \(column) is not a whole number in canonical form")
        // A count past 64 bits is written canonically but is not a count either verifier can hold.
        try Self.writeManifest(bundle, text.replacingOccurrences(of: "  \"eventCount\": 40,", with: "  \"eventCount\": 400000000000000000000,"))
        try fixture.expectRefusedAlike(bundle, "manifest.json: member \"eventCount\" must be a whole number")
    }

    @Test func aManifestInAnotherFormOrWithAnotherClaimIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("full")
        let text = try Self.manifestText(bundle)
        for changed in [text.replacingOccurrences(of: "\n", with: "\r\n"), text.replacingOccurrences(of: ": ", with: ":"), text + "\n"] {
            try Self.writeManifest(bundle, changed)
            try fixture.expectRefusedAlike(bundle, "manifest.json: not in the exact form the exporter writes (white space, member order or escapes changed)")
        }
        try Self.writeManifest(bundle, text)
        let root = try SignedCheckpoint(contentsOf: bundle + "/" + ExportBundle.checkpoint).checkpoint.treeHead.root.hex
        try Self.writeManifest(bundle, text.replacingOccurrences(of: root, with: root.uppercased()))
        try fixture.expectRefusedAlike(bundle, "the manifest's rootHash is not 64 lower-case hexadecimal digits")
        try AuditFixture.rehashManifest(bundle) { $0["rootHash"] = .string(root) }
        try AuditFixture.rehashManifest(bundle) { $0["previousTreeSize"] = .integer(10) }
        try fixture.expectRefusedAlike(bundle, "the manifest says full but states a previousTreeSize")
        // A full export relabelled filtered, with inclusion proofs the forger computed itself.
        try AuditFixture.rehashManifest(bundle) { $0["previousTreeSize"] = .null; $0["kind"] = .string("filtered") }
        try fixture.expectRefusedAlike(bundle, "the manifest says filtered but states no filter")
        try AuditFixture.rehashManifest(bundle) { manifest in
            manifest["kind"] = .string("full")
            manifest["query"] = ["incident": .null, "since": .string("2026-03-01T10:00:00+00:00"), "types": .array([]), "until": .null]
        }
        try fixture.expectRefusedAlike(bundle, "the manifest's query.since is not an RFC 3339 time as the ledger writes it")
    }

    @Test func aCheckpointWithAnAddedSignatureOrLineIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("full")
        let path = bundle + "/" + ExportBundle.checkpoint
        let honest = try String(contentsOfFile: path, encoding: .utf8)
        let signature = honest.split(separator: "\n").last!
        for changed in [honest + signature + "\n", honest + "\n", honest.replacingOccurrences(of: "\n\n", with: "\n\n\n")] {
            try Data(changed.utf8).write(to: URL(fileURLWithPath: path))
            try AuditFixture.rehashManifest(bundle)
            try fixture.expectRefusedAlike(bundle, "checkpoint.txt: not in the exact form the exporter writes (the body, a blank line, one signature line)")
        }
    }

    @Test func eventLinesAreReadAsStrictlyByBoth() async throws {
        let fixture = try await AuditFixture.make()
        // Each a line whose fields decode to the same record, spelled otherwise: neither may pass.
        let changes: [(inout String) -> Void] = [
            { $0 = $0.replacingOccurrences(of: #""position":1,"#, with: #""position":true,"#) },
            { $0 = $0.replacingOccurrences(of: #""schemaVersion":1,"#, with: #""schemaVersion":true,"#) },
            { line in line = line.replacingOccurrences(of: #""stream":"#, with: #""stream":"INC-9","stream":"#) },
            { line in
                let id = line.components(separatedBy: #""id":""#)[2].prefix(36)
                line = line.replacingOccurrences(of: String(id), with: id.uppercased())
            },
        ]
        for (number, change) in changes.enumerated() {
            let bundle = try fixture.export("line-\(number)")
            try AuditFixture.edit(bundle, ExportBundle.events) { change(&$0[0]) }
            let (swift, python) = try fixture.refusals(bundle)
            #expect(swift?.hasPrefix("events.jsonl line 1: ") == true, "\(number): Swift \(swift ?? "passed")")
            #expect(python?.hasPrefix("events.jsonl line 1: ") == true, "\(number): Python \(python ?? "passed")")
        }
    }
}
