import LedgerAudit
import Foundation
import LedgerModel
import LedgerStore
import LedgerTestSupport
import Testing

/// A ledger with a key and bundles exported from it, and ways to damage a bundle's files.
struct AuditFixture {
    /// The folder of the ledger and the bundles, removed with the fixture.
    let root: TemporaryDirectory
    let ledger: Ledger
    let key: CheckpointSigningKey

    var ledgerPath: String { root.file("ledger") }

    /// A ledger of `count` events over three incidents, and its key.
    static func make(count: Int = 40) async throws -> AuditFixture {
        let directory = TemporaryDirectory("audit")
        let ledger = try Ledger.create(at: directory.file("ledger"), clock: SampleEvents.fixedClock())
        // One atomic batch, one commit: event n goes to INC-(n mod 3).
        _ = try await ledger.append((1...count).map { number in
            StreamAppend(
                stream: "INC-\(number % 3)", expectedVersion: .any,
                events: [SampleEvents.event(number, type: number % 4 == 0 ? "incident.note_added" : "incident.status_changed")])
        })
        let origin = Checkpoint.origin(ledgerID: try ledger.info().ledgerID!)
        let key = try CheckpointKeyFiles(ledgerPath: directory.file("ledger")).create(name: origin)
        return AuditFixture(root: directory, ledger: ledger, key: key)
    }

    /// Exports a bundle named `name` and returns its path.
    func export(_ name: String, query: EventQuery = EventQuery(), after previous: SignedCheckpoint? = nil, csv: Bool = false) throws -> String {
        let path = root.file(name)
        _ = try ExportWriter(ledger: ledger, keys: CheckpointKeyFiles(ledgerPath: ledgerPath)).export(query: query, after: previous, csv: csv, to: path)
        return path
    }

    /// Runs the Swift verifier alone.
    func verify(_ bundle: String, key: CheckpointVerifierKey? = nil, previous: SignedCheckpoint? = nil) throws -> ExportVerification {
        try ExportVerifier.verify(bundle: bundle, key: key ?? self.key.verifier, previous: previous)
    }

    /// The reason the bundle is refused, or nil when it passes. Tools/verify-export.py, the
    /// independent verifier, is run on the same bundle too and must reach the same verdict.
    func refusal(
        _ bundle: String, key: CheckpointVerifierKey? = nil, previous: SignedCheckpoint? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> String? {
        let swift: String?
        do {
            _ = try verify(bundle, key: key, previous: previous)
            swift = nil
        } catch let error as AuditError {
            swift = error.message
        } catch {
            swift = "\(error)"
        }
        do {
            let python = try Self.runPython(bundle: bundle, key: key ?? self.key.verifier, previous: previous, scratch: root)
            #expect(
                (python.status == 0) == (swift == nil),
                "the verifiers disagree on \(bundle): Swift \(swift ?? "passed"); Python \(python.status == 0 ? "passed" : python.stderr)",
                sourceLocation: sourceLocation)
        } catch {
            Issue.record("cannot run Tools/verify-export.py: \(error)", sourceLocation: sourceLocation)
        }
        return swift
    }

    /// Both verifiers' refusals of `bundle`, nil for one that passes; the Python verifier's
    /// without its `verify-export.py: ` prefix, so the two can be compared word for word.
    func refusals(_ bundle: String) throws -> (swift: String?, python: String?) {
        let swift: String?
        do {
            _ = try verify(bundle)
            swift = nil
        } catch {
            swift = (error as? AuditError)?.message ?? "\(error)"
        }
        let python = try Self.runPython(bundle: bundle, key: key.verifier, previous: nil, scratch: root)
        let line = python.stderr.trimmingCharacters(in: .newlines)
        return (swift, python.status == 0 ? nil : line.hasPrefix("verify-export.py: ") ? String(line.dropFirst(18)) : line)
    }

    /// Expects both verifiers to refuse `bundle` with exactly `message`.
    func expectRefusedAlike(_ bundle: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (swift, python) = try refusals(bundle)
        #expect(swift == message, "Swift", sourceLocation: sourceLocation)
        #expect(python == message, "Python", sourceLocation: sourceLocation)
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Runs the independent Python verifier. It needs Python's `cryptography` (Tools/install-deps).
    static func runPython(bundle: String, key: CheckpointVerifierKey, previous: SignedCheckpoint?, scratch: TemporaryDirectory) throws -> ChildProcess.Outcome {
        let keyPath = scratch.file("key-\(UUID().uuidString.prefix(8)).pub")
        try Data((key.text + "\n").utf8).write(to: URL(fileURLWithPath: keyPath))
        var arguments = [repository + "/Tools/verify-export.py", bundle, "--key", keyPath]
        if let previous {
            let previousPath = scratch.file("previous-\(UUID().uuidString.prefix(8)).txt")
            try Data(previous.text.utf8).write(to: URL(fileURLWithPath: previousPath))
            arguments += ["--previous", previousPath]
        }
        let outcome = try ChildProcess.run("/usr/bin/env", ["python3"] + arguments)
        if outcome.stderr.contains("ModuleNotFoundError") {
            Issue.record("Tools/verify-export.py needs Python's cryptography package: run `bash Tools/install-deps`")
        }
        return outcome
    }

    // MARK: Damage

    static func lines(_ bundle: String, _ file: String) throws -> [String] {
        let text = try String(contentsOfFile: bundle + "/" + file, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    static func write(_ bundle: String, _ file: String, lines: [String]) throws {
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: bundle + "/" + file))
    }

    /// Rewrites one file's lines, then, with `fixManifest`, the manifest's hashes to match — as a
    /// forger who can edit every file of the bundle but cannot sign would.
    static func edit(_ bundle: String, _ file: String, fixManifest: Bool = true, _ change: (inout [String]) -> Void) throws {
        var lines = try lines(bundle, file)
        change(&lines)
        try write(bundle, file, lines: lines)
        if fixManifest { try rehashManifest(bundle) }
    }

    /// Sets every file's size and SHA-256 in the manifest to the files' present ones.
    static func rehashManifest(_ bundle: String, _ change: (inout [String: JSONValue]) -> Void = { _ in }) throws {
        let path = bundle + "/" + ExportBundle.manifest
        guard case .object(var manifest) = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path)))),
            case .object(var files)? = manifest["files"]
        else { fatalError("manifest") }
        for name in files.keys {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: bundle + "/" + name)))
            files[name] = ["bytes": .integer(Int64(bytes.count)), "sha256": .string(Hash256.sha256(bytes).hex)]
        }
        manifest["files"] = .object(files)
        change(&manifest)
        try Data(JSONValue.object(manifest).prettyText.utf8).write(to: URL(fileURLWithPath: path))
    }
}
