@testable import LedgerAudit
import Foundation
import IncidentGenerator
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The differential test of the two verifiers (docs/audit.md): honest bundles of every kind are
/// mutated in thousands of seeded ways, each mutation changing at least one byte, file or name;
/// `ExportVerifier` (in process) and Tools/verify-export.py (once, over every bundle, in its batch
/// mode) must both refuse every one. Replay a run with `INCIDENTS_MUTATION_SEED=<seed>`; with
/// `INCIDENTS_MUTATION_MESSAGES=1` it also prints each mutation refused in different words.
@Suite struct VerifierMutationTests {
    /// A bundle in memory: file contents by path; a path ending in `/` is an empty folder.
    typealias Files = [String: [UInt8]]

    struct Mutation {
        /// The index of the honest bundle mutated.
        var source: Int
        var kind: String
        var detail: String
        var files: Files
    }

    static let minimumMutations = 2_000

    @Test func bothVerifiersRefuseEveryMutationAlike() async throws {
        let seed = ProcessInfo.processInfo.environment["INCIDENTS_MUTATION_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
        print("VerifierMutationTests: seed \(seed) (replay with INCIDENTS_MUTATION_SEED=\(seed))")
        let started = ContinuousClock.now
        let fixture = try await AuditFixture.make(count: 24)
        var honest = [(String, String)]()  // name, path
        honest.append(("full", try fixture.export("full")))
        honest.append(("full with CSV", try fixture.export("full-csv", csv: true)))
        honest.append(("filtered", try fixture.export("filtered", query: EventQuery(incident: "INC-1", types: ["incident.status_changed"]))))
        honest.append(("filtered with CSV", try fixture.export("filtered-csv", query: EventQuery(incident: "INC-2"), csv: true)))
        let earlier = try SignedCheckpoint(contentsOf: honest[0].1 + "/" + ExportBundle.checkpoint)
        // Half of the later events carry sourceRecordedAt (record format 2), so the incremental
        // bundles mix both formats and mutations reach that field too.
        for number in 25...30 {
            var event = SampleEvents.event(number)
            if number % 2 == 0 { event.sourceRecordedAt = SampleEvents.epoch.adding(seconds: Int64(number)) }
            _ = try await fixture.ledger.append([event], to: "INC-\(number % 3)")
        }
        honest.append(("incremental", try fixture.export("incremental", after: earlier)))
        honest.append(("incremental with CSV", try fixture.export("incremental-csv", after: earlier, csv: true)))

        var random = SeededRandom(seed: seed)
        let stranger = CheckpointSigningKey(name: fixture.key.verifier.name)
        var mutations = [Mutation]()
        var sources = [Files]()
        for (source, (name, path)) in honest.enumerated() {
            #expect(fixture.refusal(path) == nil, "the honest \(name) bundle")
            let files = try Self.read(path)
            sources.append(files)
            var generator = Generator(bundle: name, source: source, honest: files, stranger: stranger, random: SeededRandom(seed: random.next()))
            generator.structured()
            generator.flips(count: 150)
            // Nothing may count that left the bundle as it was.
            mutations += generator.mutations.filter { $0.files != files }
        }
        #expect(mutations.count >= Self.minimumMutations)

        // Minutes of writing, verifying and waiting for Python: on a thread of its own, not on the two
        // cooperative threads that every other test of the run shares (`onItsOwnThread`).
        let (root, key, frozen, originals, bundles) = (fixture.root, fixture.key.verifier, mutations, sources, honest)
        let (paths, swift, python) = try await onItsOwnThread {
            let folder = root.file("mutations")
            var paths = [String]()
            for (index, mutation) in frozen.enumerated() {
                let path = folder + "/" + String(format: "%05d", index)
                try Self.write(mutation.files, to: path, linkingFrom: bundles[mutation.source].1, honest: originals[mutation.source])
                paths.append(path)
            }
            let swift = paths.map { path -> String? in
                do throws(AuditError) {
                    _ = try ExportVerifier.verify(bundle: path, key: key)
                    return nil
                } catch {
                    return error.message
                }
            }
            return (paths, swift, try Self.runPythonBatch(paths, key: key, scratch: root))
        }
        #expect(python.count == paths.count)

        // Set to print every mutation the two verifiers refuse in different words.
        let showDifferences = ProcessInfo.processInfo.environment["INCIDENTS_MUTATION_MESSAGES"] != nil
        var failures = 0
        var agreeing = 0
        var kinds = [String: Int]()
        for (index, mutation) in mutations.enumerated() {
            kinds[mutation.kind, default: 0] += 1
            let pythonVerdict = python[paths[index]] ?? "no verdict"
            if swift[index] == pythonVerdict {
                agreeing += 1
            } else if showDifferences {
                print("messages differ on \(index) (\(mutation.kind): \(mutation.detail)):\n  Swift:  \(swift[index] ?? "passed")\n  Python: \(pythonVerdict)")
            }
            guard swift[index] == nil || pythonVerdict == "ok" else { continue }
            failures += 1
            if failures <= 20 {
                Issue.record(
                    "seed \(seed), mutation \(index) (\(mutation.kind): \(mutation.detail)): Swift \(swift[index] ?? "passed"); Python \(pythonVerdict == "ok" ? "passed" : pythonVerdict)")
            }
        }
        let elapsed = ContinuousClock.now - started
        print(
            "VerifierMutationTests: \(mutations.count) mutations of \(kinds.count) kinds over \(honest.count) bundles in \(elapsed); every one refused by both: \(failures == 0); the same message from both for \(agreeing)")
        for (kind, count) in kinds.sorted(by: { $0.key < $1.key }) { print("  \(count) \(kind)") }
    }

    // MARK: Bundles on disk

    static func read(_ bundle: String) throws -> Files {
        var files = Files()
        for name in try FileManager.default.contentsOfDirectory(atPath: bundle) {
            files[name] = Array(try Data(contentsOf: URL(fileURLWithPath: bundle + "/" + name)))
        }
        return files
    }

    /// Writes a mutated bundle; a file left as in the honest bundle is a hard link to it (thousands
    /// of bundles are written, and this file system is slow to write).
    static func write(_ files: Files, to bundle: String, linkingFrom original: String, honest: Files) throws {
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        for (name, bytes) in files {
            let path = bundle + "/" + name
            if honest[name] == bytes, link(original + "/" + name, path) == 0 { continue }
            if name.hasSuffix("/") {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                continue
            }
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
    }

    /// Runs Tools/verify-export.py once over every bundle: each one's verdict, "ok" or the refusal.
    static func runPythonBatch(_ bundles: [String], key: CheckpointVerifierKey, scratch: TemporaryDirectory) throws -> [String: String] {
        let keyPath = scratch.file("batch-key.pub")
        try Data((key.text + "\n").utf8).write(to: URL(fileURLWithPath: keyPath))
        let outcome = try ChildProcess.run(
            "/usr/bin/env", ["python3", AuditFixture.repository + "/Tools/verify-export.py", "--batch", "--key", keyPath] + bundles)
        #expect(outcome.stderr.isEmpty, "\(outcome.stderr)")
        var verdicts = [String: String]()
        for line in outcome.stdout.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2 { verdicts[String(parts[0])] = String(parts[1]) }
        }
        return verdicts
    }

    // MARK: Mutations

    /// Makes the mutations of one honest bundle.
    struct Generator {
        let bundle: String
        let source: Int
        let honest: Files
        let stranger: CheckpointSigningKey
        var random: SeededRandom
        var mutations = [Mutation]()

        init(bundle: String, source: Int, honest: Files, stranger: CheckpointSigningKey, random: SeededRandom) {
            self.bundle = bundle
            self.source = source
            self.honest = honest
            self.stranger = stranger
            self.random = random
        }

        /// The first and last of `range`, and `extra` more picked at random.
        mutating func some(_ range: Range<Int>, extra: Int) -> [Int] {
            guard !range.isEmpty else { return [] }
            var picked: Set<Int> = [range.lowerBound, range.upperBound - 1]
            for _ in 0..<extra { picked.insert(range.lowerBound + Int(random.next() % UInt64(range.count))) }
            return picked.sorted()
        }

        var listed: [String] { ExportVerifier.sorted(honest.keys.filter { $0 != ExportBundle.manifest }) }
        var manifest: String { String(decoding: honest[ExportBundle.manifest]!, as: UTF8.self) }
        var manifestJSON: [String: JSONValue] {
            guard case .object(let fields) = try! JSONParser.parse(honest[ExportBundle.manifest]!) else { fatalError("manifest") }
            return fields
        }

        mutating func add(_ kind: String, _ detail: String, rehash: Bool = false, _ change: (inout Files) -> Void) {
            var files = honest
            change(&files)
            if rehash { Self.rehash(&files) }
            mutations.append(Mutation(source: source, kind: kind + (rehash ? ", manifest rehashed" : ""), detail: "\(bundle): \(detail)", files: files))
        }

        /// Sets the manifest's sizes and hashes to the files' present ones, as a forger would.
        static func rehash(_ files: inout Files) {
            guard let text = files[ExportBundle.manifest], case .object(var manifest)? = try? JSONParser.parse(text),
                case .object(var listed)? = manifest["files"]
            else { return }
            for (name, _) in listed {
                guard let bytes = files[name] else { continue }
                listed[name] = ["bytes": .integer(Int64(bytes.count)), "sha256": .string(Hash256.sha256(bytes).hex)]
            }
            manifest["files"] = .object(listed)
            files[ExportBundle.manifest] = Array(JSONValue.object(manifest).prettyText.utf8)
        }

        static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
            bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map(Array.init)
        }

        static func joined(_ lines: [[UInt8]]) -> [UInt8] {
            lines.flatMap { $0 + [0x0A] }
        }

        mutating func editManifest(_ kind: String, _ detail: String, _ change: (inout [String: JSONValue]) -> Void) {
            var fields = manifestJSON
            change(&fields)
            add(kind, detail) { $0[ExportBundle.manifest] = Array(JSONValue.object(fields).prettyText.utf8) }
        }

        mutating func editManifestText(_ kind: String, _ detail: String, _ change: (inout String) -> Void) {
            var text = manifest
            change(&text)
            add(kind, detail) { $0[ExportBundle.manifest] = Array(text.utf8) }
        }

        mutating func structured() {
            files()
            lineEdits()
            manifestMembers()
            manifestText()
            proofSteps()
            checkpoints()
        }

        /// Files removed, renamed, copied, cut, extended and added.
        mutating func files() {
            for name in listed {
                let bytes = honest[name]!
                add("file removed", name) { $0[name] = nil }
                if name != ExportBundle.csv {
                    // Without its entry too (the CSV alone may be left out of a bundle: it is derived).
                    add("file removed with its manifest entry", name) { files in
                        files[name] = nil
                        Self.dropEntry(name, from: &files)
                    }
                }
                for other in ["\(name).bak", ".\(name)", "old/\(name)", "\(name.uppercased())"] {
                    add("file renamed", "\(name) to \(other)") { files in
                        files[other] = files.removeValue(forKey: name)
                    }
                    add("file copied", "\(name) to \(other)") { $0[other] = bytes }
                }
                add("file renamed with its manifest entry", name) { files in
                    files["renamed-\(name)"] = files.removeValue(forKey: name)
                    Self.renameEntry(name, to: "renamed-\(name)", in: &files)
                }
                for rehash in [false, true] {
                    add("file truncated", "\(name) to half", rehash: rehash) { $0[name] = Array(bytes.prefix(bytes.count / 2)) }
                    add("file emptied", name, rehash: rehash) { $0[name] = [] }
                    add("file extended", "\(name) + newline", rehash: rehash) { $0[name] = bytes + [0x0A] }
                    add("file extended", "\(name) without its last newline", rehash: rehash) { $0[name] = Array(bytes.dropLast()) }
                }
            }
            for extra in ["notes.txt", ".DS_Store", "sub/events.csv", "sub/.hidden", "empty/"] {
                add("file added", extra) { $0[extra] = extra.hasSuffix("/") ? [] : Array("forged\n".utf8) }
            }
            add("file added and listed", "notes.txt", rehash: true) { files in
                files["notes.txt"] = Array("forged\n".utf8)
                Self.renameEntry(ExportBundle.events, to: ExportBundle.events, in: &files, adding: "notes.txt")
            }
            if honest[ExportBundle.csv] == nil {
                // A forged CSV, the events' CSV with one row changed, and unlisted.
                var rows = [EventCSV.header]
                for line in Self.lines(honest[ExportBundle.events]!) {
                    rows.append(EventCSV.row(try! RecordedEvent(jsonLine: line)))
                }
                let forged = rows.flatMap { $0 }
                add("file added", "a forged events.csv") { $0[ExportBundle.csv] = forged }
                add("file added", "the true events.csv, unlisted") { $0[ExportBundle.csv] = forged }
            } else {
                add("manifest entry removed", "events.csv, the file kept") { Self.dropEntry(ExportBundle.csv, from: &$0) }
            }
        }

        static func dropEntry(_ name: String, from files: inout Files) {
            guard case .object(var manifest)? = try? JSONParser.parse(files[ExportBundle.manifest]!), case .object(var listed)? = manifest["files"] else { return }
            listed[name] = nil
            manifest["files"] = .object(listed)
            files[ExportBundle.manifest] = Array(JSONValue.object(manifest).prettyText.utf8)
        }

        static func renameEntry(_ name: String, to other: String, in files: inout Files, adding: String? = nil) {
            guard case .object(var manifest)? = try? JSONParser.parse(files[ExportBundle.manifest]!), case .object(var listed)? = manifest["files"] else { return }
            listed[other] = listed.removeValue(forKey: name)
            if let adding { listed[adding] = listed[other] }
            manifest["files"] = .object(listed)
            files[ExportBundle.manifest] = Array(JSONValue.object(manifest).prettyText.utf8)
            rehash(&files)
        }

        /// Lines dropped, duplicated and swapped in every line-based file.
        mutating func lineEdits() {
            for name in ExportVerifier.sorted(honest.keys) {
                let lines = Self.lines(honest[name]!)
                for index in some(lines.indices, extra: 3) {
                    for rehash in name == ExportBundle.manifest ? [false] : [false, true] {
                        add("line dropped", "\(name) line \(index + 1)", rehash: rehash) { files in
                            var changed = lines
                            changed.remove(at: index)
                            files[name] = Self.joined(changed)
                        }
                        add("line duplicated", "\(name) line \(index + 1)", rehash: rehash) { files in
                            var changed = lines
                            changed.insert(lines[index], at: index)
                            files[name] = Self.joined(changed)
                        }
                        if index + 1 < lines.count, lines[index] != lines[index + 1] {
                            add("lines swapped", "\(name) lines \(index + 1) and \(index + 2)", rehash: rehash) { files in
                                var changed = lines
                                changed.swapAt(index, index + 1)
                                files[name] = Self.joined(changed)
                            }
                        }
                    }
                }
            }
            // A filtered bundle's events and their proofs moved together, so each proof still matches its line.
            guard let proofs = honest[ExportBundle.proofs].map(Self.lines) else { return }
            let events = Self.lines(honest[ExportBundle.events]!)
            for index in some(events.indices, extra: 2) {
                let edits: [(String, ([[UInt8]]) -> [[UInt8]])] = [
                    ("dropped", { var lines = $0; lines.remove(at: index); return lines }),
                    ("duplicated", { var lines = $0; lines.insert(lines[index], at: index); return lines }),
                    ("swapped", { var lines = $0; lines.swapAt(index, (index + 1) % lines.count); return lines }),
                ]
                for (name, edit) in edits where name != "swapped" || events.count > 1 {
                    add("event and proof lines \(name)", "line \(index + 1)", rehash: true) { files in
                        files[ExportBundle.events] = Self.joined(edit(events))
                        files[ExportBundle.proofs] = Self.joined(edit(proofs))
                    }
                }
            }
        }

        /// The manifest's members edited, removed, added and mistyped, in the exporter's own form.
        mutating func manifestMembers() {
            let fields = manifestJSON
            for (member, value) in fields.sorted(by: { $0.key < $1.key }) {
                editManifest("manifest member removed", member) { $0[member] = nil }
                var replacements: [JSONValue] = [.string("forged"), .bool(true), .array([]), .object([:]), .number(1.5)]
                switch value {
                case .integer(let number): replacements += [.integer(number + 1), .null] + (number > 0 ? [.integer(number - 1), .integer(0)] : [])
                case .null: replacements += [.integer(0), .integer(3)]
                case .string(let text):
                    replacements += [.string(text + "x"), .string(String(text.dropLast())), .string(text.uppercased()), .integer(1), .null]
                    if member == "kind" { replacements += ["full", "filtered", "incremental"].map(JSONValue.string) }
                default: replacements += [.null, .integer(1)]
                }
                for replacement in replacements where replacement != value {
                    editManifest("manifest member edited", "\(member) = \(replacement.canonicalText)") { $0[member] = replacement }
                }
            }
            editManifest("manifest member added", "signedBy") { $0["signedBy"] = .string("the auditor") }
            // The query, only ever narrowed past what the events match, or given to an unfiltered kind:
            // a filtered bundle's query is not signed, so one widened that its events still match cannot
            // be told from the truth (docs/audit.md).
            if case .object(let query)? = fields["query"] {
                let narrowed: [(String, JSONValue)] = [
                    ("incident", .string("INC-9")), ("types", .array([.string("incident.declared")])),
                    ("since", .string("2100-01-01T00:00:00Z")), ("until", .string("2000-01-01T00:00:00Z")), ("severity", .string("sev1")),
                ]
                for (member, value) in narrowed {
                    editManifest("manifest query edited", "\(member) = \(value.canonicalText)") { fields in
                        var changed = query
                        changed[member] = value
                        fields["query"] = .object(changed)
                    }
                }
                for member in query.keys.sorted() {
                    editManifest("manifest member removed", "query.\(member)") { fields in
                        var changed = query
                        changed[member] = nil
                        fields["query"] = .object(changed)
                    }
                }
            }
            if case .object(let listed)? = fields["files"] {
                for (name, entry) in listed.sorted(by: { $0.key < $1.key }) {
                    guard case .object(let digest) = entry else { continue }
                    let edits: [(String, JSONValue?)] = [
                        ("bytes", .integer((digest["bytes"]?.wholeNumber ?? 0) + 1)), ("bytes", nil), ("bytes", .string("1")),
                        ("sha256", .string(Hash256.sha256(Array(name.utf8)).hex)), ("sha256", nil),
                        ("sha256", .string(digest["sha256"]?.stringValue?.uppercased() ?? "")), ("extra", .integer(1)),
                    ]
                    for (member, value) in edits {
                        editManifest("manifest file entry edited", "\(name).\(member) = \(value?.canonicalText ?? "removed")") { fields in
                            var changed = digest
                            changed[member] = value
                            var files = listed
                            files[name] = .object(changed)
                            fields["files"] = .object(files)
                        }
                    }
                }
            }
        }

        /// The manifest's text: members repeated, numbers written otherwise, white space and order changed.
        mutating func manifestText() {
            let lines = manifest.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let respaced = Set(some(lines.indices, extra: 3))
            var numbers = 0
            for (index, line) in lines.enumerated() {
                guard let colon = line.range(of: "\": ") else { continue }
                let indent = String(line.prefix { $0 == " " })
                let key = line[line.startIndex..<colon.upperBound]
                // A scalar member repeated with its own value before it, and with another after it; an
                // object's or list's name repeated before it.
                let scalar = !line.hasSuffix("{") && !line.hasSuffix("[")
                let bare = line.hasSuffix(",") ? String(line.dropLast()) : line
                editManifestText("manifest member repeated", "line \(index + 1), first, \(scalar ? "the same value" : "a number")") { text in
                    var changed = lines
                    changed.insert((scalar ? bare : "\(key)0") + ",", at: index)
                    text = changed.joined(separator: "\n")
                }
                if scalar {
                    editManifestText("manifest member repeated", "line \(index + 1), second, another value") { text in
                        var changed = lines
                        changed[index] = bare + ","
                        changed.insert("\(key)0" + (line.hasSuffix(",") ? "," : ""), at: index + 1)
                        text = changed.joined(separator: "\n")
                    }
                }
                let value = line[colon.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: ","))
                if let number = UInt64(value) {
                    // Every spelling for the first number, one picked at random for each other.
                    var spellings = ["0\(number)", "\(number).0", "\(number)e0", "\(number)E+0", "+\(number)", "-\(number)", "\(number).", "-0"]
                    if numbers > 0 { spellings = [spellings[Int(random.next() % UInt64(spellings.count))]] }
                    numbers += 1
                    for spelling in spellings {
                        editManifestText("manifest number non-canonical", "line \(index + 1): \(spelling)") { text in
                            var changed = lines
                            changed[index] = line.replacingOccurrences(of: ": \(number)", with: ": \(spelling)")
                            text = changed.joined(separator: "\n")
                        }
                    }
                }
                guard respaced.contains(index) else { continue }
                editManifestText("manifest re-spaced", "line \(index + 1) indented with a tab") { text in
                    var changed = lines
                    changed[index] = "\t" + line.dropFirst(indent.count)
                    text = changed.joined(separator: "\n")
                }
                editManifestText("manifest re-spaced", "line \(index + 1) with a trailing space") { text in
                    var changed = lines
                    changed[index] = line + " "
                    text = changed.joined(separator: "\n")
                }
                if index + 1 < lines.count, line.hasSuffix(","), lines[index + 1].hasSuffix(","), lines[index + 1].hasPrefix(indent + "\"") {
                    editManifestText("manifest members reordered", "lines \(index + 1) and \(index + 2)") { text in
                        var changed = lines
                        changed.swapAt(index, index + 1)
                        text = changed.joined(separator: "\n")
                    }
                }
            }
            editManifestText("manifest re-spaced", "CRLF line ends") { $0 = $0.replacingOccurrences(of: "\n", with: "\r\n") }
            editManifestText("manifest re-spaced", "no final newline") { $0.removeLast() }
            editManifestText("manifest re-spaced", "on one line") { $0 = String(decoding: try! JSONParser.parse($0).canonicalBytes, as: UTF8.self) + "\n" }
            editManifestText("manifest re-escaped", "a / written \\/") { $0 = $0.replacingOccurrences(of: "/", with: "\\/") }
        }

        /// Every step of every inclusion proof, and of the consistency proof and the earlier tree's subtrees.
        mutating func proofSteps() {
            if let proofs = honest[ExportBundle.proofs] {
                let lines = Self.lines(proofs)
                for (index, line) in lines.enumerated() {
                    guard case .object(let proof) = try! JSONParser.parse(line), case .array(let path)? = proof["path"] else { continue }
                    func edit(_ detail: String, _ change: (inout [String: JSONValue]) -> Void) {
                        var changed = proof
                        change(&changed)
                        var all = lines
                        all[index] = JSONValue.object(changed).canonicalBytes
                        add("inclusion proof edited", "line \(index + 1): \(detail)", rehash: true) { $0[ExportBundle.proofs] = Self.joined(all) }
                    }
                    for step in path.indices {
                        edit("step \(step) replaced") { fields in
                            var changed = path
                            changed[step] = .string(Hash256.sha256(Array("forged \(step)".utf8)).hex)
                            fields["path"] = .array(changed)
                        }
                        edit("step \(step) removed") { fields in
                            var changed = path
                            changed.remove(at: step)
                            fields["path"] = .array(changed)
                        }
                        if step + 1 < path.count {
                            edit("steps \(step) and \(step + 1) swapped") { fields in
                                var changed = path
                                changed.swapAt(step, step + 1)
                                fields["path"] = .array(changed)
                            }
                        }
                    }
                    edit("a step added") { $0["path"] = .array(path + [.string(Hash256.sha256([1]).hex)]) }
                    edit("position + 1") { $0["position"] = .integer(($0["position"]?.wholeNumber ?? 0) + 1) }
                    edit("an unknown member") { $0["note"] = .string("x") }
                }
            }
            if let consistency = honest[ExportBundle.consistency], case .object(let fields) = try! JSONParser.parse(consistency) {
                func edit(_ detail: String, _ change: (inout [String: JSONValue]) -> Void) {
                    var changed = fields
                    change(&changed)
                    add("consistency proof edited", detail, rehash: true) { $0[ExportBundle.consistency] = Array(JSONValue.object(changed).prettyText.utf8) }
                }
                for member in ["proof", "oldSubtrees"] {
                    guard case .array(let hashes)? = fields[member] else { continue }
                    for step in hashes.indices {
                        edit("\(member) step \(step) replaced") { all in
                            var changed = hashes
                            changed[step] = .string(Hash256.sha256(Array("forged \(step)".utf8)).hex)
                            all[member] = .array(changed)
                        }
                        edit("\(member) step \(step) removed") { all in
                            var changed = hashes
                            changed.remove(at: step)
                            all[member] = .array(changed)
                        }
                    }
                    edit("\(member): a step added") { $0[member] = .array(hashes + [.string(Hash256.sha256([2]).hex)]) }
                }
                for member in ["oldSize", "newSize"] {
                    let size = fields[member]?.wholeNumber ?? 0
                    edit("\(member) + 1") { $0[member] = .integer(size + 1) }
                    if size > 0 { edit("\(member) - 1") { $0[member] = .integer(size - 1) } }
                }
                for member in ["oldRoot", "newRoot"] {
                    edit("\(member) replaced") { $0[member] = .string(Hash256.sha256(Array(member.utf8)).hex) }
                }
            }
        }

        /// The checkpoints: a second signature, a stranger's signature, a changed size, an added line.
        mutating func checkpoints() {
            for name in [ExportBundle.checkpoint, ExportBundle.previousCheckpoint] {
                guard let bytes = honest[name] else { continue }
                let text = String(decoding: bytes, as: UTF8.self)
                let signed = try! SignedCheckpoint(text: text)
                let resigned = try! SignedCheckpoint(signing: signed.checkpoint, with: stranger)
                var grown = signed.checkpoint
                grown.treeHead.size += 1
                let variants: [(String, String)] = [
                    ("its signature line twice", text + text.split(separator: "\n").last! + "\n"),
                    ("a stranger's signature added", text + resigned.text.split(separator: "\n").last! + "\n"),
                    ("signed by a stranger", resigned.text),
                    ("the size changed, the signature kept", text.replacingOccurrences(of: "\n\(signed.checkpoint.treeHead.size)\n", with: "\n\(grown.treeHead.size)\n")),
                    ("a blank line added at the end", text + "\n"),
                    ("a blank line added after the body", text.replacingOccurrences(of: "\n\n", with: "\n\n\n")),
                ]
                for (detail, changed) in variants {
                    add("checkpoint edited", "\(name): \(detail)", rehash: true) { $0[name] = Array(changed.utf8) }
                }
            }
        }

        /// Seeded single-byte changes in every file, half of them with the manifest rehashed.
        mutating func flips(count: Int) {
            let names = ExportVerifier.sorted(honest.keys)
            for _ in 0..<count {
                let name = names[Int(random.next() % UInt64(names.count))]
                let bytes = honest[name]!
                guard !bytes.isEmpty else { continue }
                let offset = Int(random.next() % UInt64(bytes.count))
                let mask = UInt8(1 + random.next() % 255)
                let rehash = name != ExportBundle.manifest && random.next() % 2 == 0
                add("byte changed", "\(name) offset \(offset) xor \(mask)", rehash: rehash) { $0[name]![offset] ^= mask }
            }
        }
    }
}

extension JSONValue {
    /// The value as a whole number, when it is one.
    fileprivate var wholeNumber: Int64? {
        if case .integer(let number) = self { number } else { nil }
    }
}
