@testable import LedgerAudit
import Foundation
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// Honest bundles pass; every kind of damage is refused with a message that says what failed.
@Suite struct ExportBundleTests {
    @Test func honestBundlesOfEveryKindPass() async throws {
        let fixture = try await AuditFixture.make()
        let full = try fixture.export("full")
        #expect(try fixture.verify(full).eventsChecked == 40)
        #expect(fixture.refusal(full) == nil)
        let filtered = try fixture.export("filtered", query: EventQuery(incident: "INC-1", types: ["incident.status_changed"]))
        let result = try fixture.verify(filtered)
        #expect(fixture.refusal(filtered) == nil)
        #expect(result.manifest.kind == .filtered)
        #expect(result.eventsChecked == (1...40).filter { $0 % 3 == 1 && $0 % 4 != 0 }.count)
        let earlier = try SignedCheckpoint(contentsOf: full + "/" + ExportBundle.checkpoint)
        for number in 41...45 { _ = try await fixture.ledger.append([SampleEvents.event(number)], to: "INC-7") }
        let incremental = try fixture.export("incremental", after: earlier)
        let next = try fixture.verify(incremental, previous: earlier)
        #expect(next.manifest.kind == .incremental && next.manifest.firstPosition == 41 && next.eventsChecked == 5)
        #expect(fixture.refusal(incremental, previous: earlier) == nil)
        // The full export of today also shows the auditor's earlier checkpoint is a prefix of the log.
        #expect(try fixture.verify(try fixture.export("full-2"), previous: earlier).eventsChecked == 45)
        // Nothing new: an empty incremental export, still with its proof.
        let later = try SignedCheckpoint(contentsOf: incremental + "/" + ExportBundle.checkpoint)
        #expect(try fixture.verify(try fixture.export("empty", after: later)).eventsChecked == 0)
    }

    /// Records are read and written in chunks on every core: whatever the chunk size, the files
    /// hold the same bytes, in position order, and verify.
    @Test func chunkBoundariesChangeNoByte() async throws {
        let fixture = try await AuditFixture.make()
        let queries = [EventQuery(), EventQuery(incident: "INC-2"), EventQuery(types: ["incident.declared", "status_update.published"])]
        for (number, query) in queries.enumerated() {
            let reference = try fixture.export("reference-\(number)", query: query, csv: true)
            for chunk in [1, 7, 40, 41] {
                var writer = try ExportWriter(ledger: fixture.ledger, keys: CheckpointKeyFiles(ledgerPath: fixture.ledgerPath))
                writer.chunkRecords = chunk
                let path = fixture.root.file("chunk-\(number)-\(chunk)")
                _ = try writer.export(query: query, csv: true, to: path)
                for file in [ExportBundle.events, ExportBundle.csv, ExportBundle.proofs] where FileManager.default.fileExists(atPath: reference + "/" + file) {
                    #expect(FileManager.default.contents(atPath: path + "/" + file) == FileManager.default.contents(atPath: reference + "/" + file), "\(file), chunks of \(chunk)")
                }
                #expect(try fixture.verify(path).eventsChecked == fixture.verify(reference).eventsChecked)
            }
        }
    }

    @Test func aChangedByteInAnyLineIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        for line in [0, 17, 39] {
            let bundle = try fixture.export("full-\(line)")
            try AuditFixture.edit(bundle, ExportBundle.events, fixManifest: false) { $0[line] = $0[line].replacingOccurrences(of: "latency", with: "latencY") }
            #expect(fixture.refusal(bundle)?.contains(line == 39 ? "do not hash to the checkpoint's root" : "is not the hash of the line before it") == true)
            try AuditFixture.rehashManifest(bundle)
            #expect(fixture.refusal(bundle) != nil)
        }
        let unhashed = try fixture.export("unhashed")
        try AuditFixture.edit(unhashed, ExportBundle.events, fixManifest: false) { $0[39] = $0[39].replacingOccurrences(of: "latency", with: "latencY") }
        try AuditFixture.rehashManifest(unhashed)
        #expect(fixture.refusal(unhashed)?.contains("do not hash to the checkpoint's root") == true)
        // White space alone changes no field, but the line is no longer the one the ledger printed.
        let spaced = try fixture.export("spaced")
        try AuditFixture.edit(spaced, ExportBundle.events) { $0[5] = $0[5].replacingOccurrences(of: #","type""#, with: #", "type""#) }
        #expect(fixture.refusal(spaced)?.contains("line 6: the line is not in the exact canonical form") == true)
        let filtered = try fixture.export("filtered", query: EventQuery(incident: "INC-2"))
        try AuditFixture.edit(filtered, ExportBundle.events) { $0[3] = $0[3].replacingOccurrences(of: "latency", with: "latencY") }
        #expect(fixture.refusal(filtered)?.contains("line 4: inclusion proof for position 11 failed") == true)
    }

    @Test func aRemovedSwappedOrDuplicatedLineIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let cases: [(String, (inout [String]) -> Void, String)] = [
            ("removed", { $0.remove(at: 10) }, "line 11: position 12 where 11 was due"),
            ("removed-last", { $0.removeLast() }, "ends at position 39 but the checkpoint covers 40 events"),
            ("swapped", { $0.swapAt(3, 4) }, "line 4: position 5 where 4 was due"),
            ("duplicated", { $0.insert($0[7], at: 8) }, "line 9: position 8 where 9 was due"),
        ]
        for (name, change, message) in cases {
            let bundle = try fixture.export(name)
            try AuditFixture.edit(bundle, ExportBundle.events, change)
            #expect(fixture.refusal(bundle)?.contains(message) == true, "\(name): \(fixture.refusal(bundle) ?? "passed")")
        }
        // In a filtered export, with the proofs moved along so each still matches its line.
        let filteredCases: [(String, (inout [String]) -> Void, String)] = [
            ("f-swapped", { $0.swapAt(1, 2) }, "line 3: position 5 does not come after 8 (lines swapped or duplicated)"),
            ("f-duplicated", { $0.insert($0[1], at: 2) }, "line 3: position 5 does not come after 5"),
            ("f-removed", { $0.remove(at: 1) }, "the manifest says 13 events"),
        ]
        for (name, change, message) in filteredCases {
            let bundle = try fixture.export(name, query: EventQuery(incident: "INC-2"))
            try AuditFixture.edit(bundle, ExportBundle.events, fixManifest: false, change)
            try AuditFixture.edit(bundle, ExportBundle.proofs, change)
            #expect(fixture.refusal(bundle)?.contains(message) == true, "\(name): \(fixture.refusal(bundle) ?? "passed")")
        }
        let orphan = try fixture.export("orphan", query: EventQuery(incident: "INC-2"))
        try AuditFixture.edit(orphan, ExportBundle.events) { $0.remove(at: 1) }
        #expect(fixture.refusal(orphan)?.contains("proves position 5, not the event's 8") == true)
    }

    @Test func theCSVMustBeTheCSVFormOfTheVerifiedEvents() async throws {
        let fixture = try await AuditFixture.make()
        for query in [EventQuery(), EventQuery(incident: "INC-1")] {
            let bundle = try fixture.export("csv-\(query.isFiltered)", query: query, csv: true)
            #expect(fixture.refusal(bundle) == nil)
            #expect(try AuditFixture.lines(bundle, ExportBundle.csv).count == 1 + (try AuditFixture.lines(bundle, ExportBundle.events).count))
            try AuditFixture.edit(bundle, ExportBundle.csv) { $0[2] = $0[2].replacingOccurrences(of: "latency", with: "latencY") }
            #expect(fixture.refusal(bundle)?.contains("events.csv is not the CSV form of the verified events") == true)
        }
        let dropped = try fixture.export("csv-dropped", csv: true)
        try FileManager.default.removeItem(atPath: dropped + "/" + ExportBundle.csv)
        #expect(fixture.refusal(dropped) != nil)
    }

    @Test func aTruncatedFileIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("truncated")
        let path = bundle + "/" + ExportBundle.events
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 50).write(to: URL(fileURLWithPath: path))
        #expect(fixture.refusal(bundle)?.contains("events.jsonl is cut short: its last line (line 40) has no newline") == true)
        let missing = try fixture.export("missing")
        try FileManager.default.removeItem(atPath: missing + "/" + ExportBundle.checkpoint)
        #expect(fixture.refusal(missing) == "checkpoint.txt is listed in the manifest but missing from the bundle")
    }

    @Test func aForgedInclusionProofIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let query = EventQuery(incident: "INC-0")
        // A proof of another leaf, relabelled with this event's position.
        let wrongLeaf = try fixture.export("wrong-leaf", query: query)
        try AuditFixture.edit(wrongLeaf, ExportBundle.proofs) { lines in
            lines[2] = lines[3].replacingOccurrences(of: #""position":12"#, with: #""position":9"#)
        }
        #expect(fixture.refusal(wrongLeaf)?.contains("line 3: inclusion proof for position 9 failed") == true)
        // Each hash in the middle of a path replaced in turn.
        for step in 0..<6 {
            let bundle = try fixture.export("forged-\(step)", query: query)
            try AuditFixture.edit(bundle, ExportBundle.proofs) { lines in
                guard case .object(var proof) = try! JSONParser.parse(lines[4]), case .array(var path)? = proof["path"] else { return }
                path[step] = .string(Hash256.sha256(Array("forged".utf8)).hex)
                proof["path"] = .array(path)
                lines[4] = JSONValue.object(proof).canonicalText
            }
            #expect(fixture.refusal(bundle)?.contains("line 5: inclusion proof for position 15 failed: the inclusion proof for leaf 14 does not lead to the root") == true)
        }
        let short = try fixture.export("short", query: query)
        try AuditFixture.edit(short, ExportBundle.proofs) { lines in
            guard case .object(var proof) = try! JSONParser.parse(lines[0]), case .array(let path)? = proof["path"] else { return }
            proof["path"] = .array(Array(path.dropLast()))
            lines[0] = JSONValue.object(proof).canonicalText
        }
        #expect(fixture.refusal(short)?.contains("fewer than a tree of 40 leaves needs") == true)
    }

    @Test func aConsistencyProofBetweenForkedLogsIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let honest = try fixture.export("before")
        let earlier = try SignedCheckpoint(contentsOf: honest + "/" + ExportBundle.checkpoint)
        // The key holder signs a checkpoint of a forked log: same size, another root.
        var forkHead = earlier.checkpoint.treeHead
        forkHead.root = Hash256.sha256(Array("fork".utf8))
        let fork = try SignedCheckpoint(signing: Checkpoint(origin: earlier.checkpoint.origin, treeHead: forkHead), with: fixture.key)
        _ = try await fixture.ledger.append([SampleEvents.event(90)], to: "INC-1")
        // The ledger refuses to continue a fork …
        #expect { try fixture.export("refused", after: fork) } throws: { ($0 as? AuditError)?.message.contains("of another (forked) log") == true }
        // … a bundle doctored to continue one is refused …
        let bundle = try fixture.export("forked", after: earlier)
        try Data(fork.text.utf8).write(to: URL(fileURLWithPath: bundle + "/" + ExportBundle.previousCheckpoint))
        try AuditFixture.edit(bundle, ExportBundle.consistency) { lines in
            lines = lines.map { $0.replacingOccurrences(of: earlier.checkpoint.treeHead.root.hex, with: forkHead.root.hex) }
        }
        #expect(fixture.refusal(bundle)?.contains("consistency proof from 40 to 41 events: the consistency proof does not rebuild the earlier root") == true)
        // … and so is today's honest export, against an auditor's checkpoint of the fork.
        let today = try fixture.export("today")
        #expect(fixture.refusal(today, previous: fork)?.contains("the log was forked or rewritten") == true)
        #expect(fixture.refusal(try fixture.export("today-2", after: earlier), previous: fork)?.contains("forked or rewritten") == true)
    }

    @Test func aCheckpointSignedByAnotherKeyIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("bundle")
        let stranger = CheckpointSigningKey(name: fixture.key.verifier.name)
        #expect(fixture.refusal(bundle, key: stranger.verifier)?.contains("not signed by the given key") == true)
        // The stranger re-signs the bundle's checkpoint: the ledger's key no longer verifies it.
        let original = try SignedCheckpoint(contentsOf: bundle + "/" + ExportBundle.checkpoint)
        let resigned = try SignedCheckpoint(signing: original.checkpoint, with: stranger)
        try Data(resigned.text.utf8).write(to: URL(fileURLWithPath: bundle + "/" + ExportBundle.checkpoint))
        try AuditFixture.rehashManifest(bundle)
        #expect(fixture.refusal(bundle)?.contains("not signed by the given key") == true)
        // A signature carried over to an altered checkpoint does not verify.
        let altered = original.text.replacingOccurrences(of: "\n40\n", with: "\n39\n")
        try Data(altered.utf8).write(to: URL(fileURLWithPath: bundle + "/" + ExportBundle.checkpoint))
        #expect(fixture.refusal(bundle)?.contains("signature does not verify") == true)
    }

    @Test func aManifestWithAWrongCountIsRefused() async throws {
        let fixture = try await AuditFixture.make()
        let bundle = try fixture.export("bundle")
        try AuditFixture.rehashManifest(bundle) { $0["eventCount"] = .integer(41) }
        #expect(fixture.refusal(bundle)?.contains("the manifest says 41 events at positions 1–40 but the bundle holds 40 at 1–40") == true)
        let unhashed = try fixture.export("unhashed")
        try AuditFixture.edit(unhashed, ExportBundle.events, fixManifest: false) { $0.append($0[0]) }
        #expect(fixture.refusal(unhashed)?.contains("line 41: position 1 where 41 was due") == true)
    }

    @Test func keyFilesAreOwnerOnlyAndNeverReplaced() async throws {
        let fixture = try await AuditFixture.make(count: 1)
        let files = CheckpointKeyFiles(ledgerPath: fixture.ledgerPath)
        let mode = try FileManager.default.attributesOfItem(atPath: files.privateKeyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: AuditError.self) { try files.create(name: "another") }
        #expect(try files.signingKey().verifier.text == fixture.key.verifier.text)
        #expect(try CheckpointVerifierKey(text: try files.verifierKey().text).keyID == fixture.key.verifier.keyID)
        let none = CheckpointKeyFiles(directory: fixture.root.file("none"))
        #expect { try none.signingKey() } throws: { ($0 as? AuditError)?.message.contains("incidents keys create") == true }
    }
}
