import Foundation
import LedgerModel
import LedgerTestSupport

/// Runs the built `incidents` tool in a temporary working directory, as a user would.
struct CLI {
    let directory = TemporaryDirectory("incidents-cli")

    /// The default ledger location, relative to the working directory.
    var ledgerPath: String { directory.file("incident-ledger") }

    @discardableResult
    func run(_ arguments: String..., stdin: String? = nil, environment: [String: String] = [:]) throws -> ChildProcess.Outcome {
        try run(arguments, stdin: stdin, environment: environment)
    }

    /// The same, from an async test: the tool is waited for on a thread of its own, not on one of the
    /// two cooperative threads every test of the run shares (`onItsOwnThread`).
    @discardableResult
    func run(_ arguments: String..., stdin: String? = nil, environment: [String: String] = [:]) async throws -> ChildProcess.Outcome {
        try await run(arguments, stdin: stdin, environment: environment)
    }

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run(
            ChildProcess.executable("incidents"), arguments, stdin: stdin, environment: environment, directory: directory.path)
    }

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> ChildProcess.Outcome {
        try ChildProcess.run(
            ChildProcess.executable("incidents"), arguments, stdin: stdin, environment: environment, directory: directory.path)
    }

    /// Writes a file in the working directory and returns its name.
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory.file(name)))
        return name
    }

    /// An internal note on an incident, a valid event of the catalog carrying any text.
    static func note(stream: String = "INC-1", _ text: String, at time: String = "2026-03-14T10:00:00Z") -> String {
        event(stream: stream, type: "incident.note_added", at: time, payload: JSONValue.object(["text": .string(text)]).canonicalText)
    }

    static func event(
        stream: String = "INC-1", type: String = "incident.declared", id: String? = nil,
        at time: String = "2026-03-14T09:26:53Z", payload: String = #"{"title":"Checkout errors","kind":"unplanned","severity":"sev1"}"#
    ) -> String {
        let idField = id.map { #""id":"\#($0)","# } ?? ""
        return #"{\#(idField)"stream":"\#(stream)","type":"\#(type)","occurredAt":"\#(time)","actor":{"kind":"person","id":"jane@example.com"},"source":"cli","payload":\#(payload)}"#
    }
}
