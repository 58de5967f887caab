import ArgumentParser
import Foundation
import IncidentService
import IncidentEvents
import LedgerModel
import LedgerPostgres
import LedgerStore
import Synchronization

/// The options every command that touches a ledger shares.
struct LedgerOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The ledger: a directory, or a PostgreSQL database as postgres://user@host:port/db. Defaults to $INCIDENTS_LEDGER, or ./\(Ledger.defaultDirectoryName).",
            valueName: "path-or-url"))
    var ledger: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "For a ledger in PostgreSQL: the directory of this machine's local copy, which every read uses. Defaults to $INCIDENTS_MIRROR, or ~/.cache/incident-ledger/mirrors/HOST-PORT-DB.",
            valueName: "path"))
    var mirror: String?

    func validate() throws {
        try PathOption.require(ledger, "--ledger")
        try PathOption.require(mirror, "--mirror")
    }

    /// The ledger as given: a directory, or a `postgres://` URL.
    var location: String { Self.path(given: ledger) }

    /// Whether the ledger is a PostgreSQL database.
    var isPostgres: Bool { PostgresLocation.isPostgresURL(location) }

    /// The directory the command works on: the ledger's, or for a database the mirror's.
    var path: String {
        guard isPostgres else { return location }
        let environment = ProcessInfo.processInfo.environment["INCIDENTS_MIRROR"].flatMap { $0.isEmpty ? nil : $0 }
        return mirror ?? environment ?? (try? PostgresMirror.defaultDirectory(for: location)) ?? location
    }

    /// The ledger directory: `given`, or $INCIDENTS_LEDGER, or the default. A command without
    /// --ledger asks with nil, for the ledger it must not write its output into.
    static func path(given ledger: String?) -> String {
        if let ledger { return ledger }
        if let fromEnvironment = ProcessInfo.processInfo.environment["INCIDENTS_LEDGER"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return Ledger.defaultDirectoryName
    }

    /// Opens the ledger; read-only when this user may not write it (a write then fails, exit 5).
    /// A ledger in PostgreSQL is its mirror, brought up to date with the database first.
    func open() async throws -> Ledger {
        if isPostgres { return try await OpenMirror.ledger(url: location, directory: path) }
        let ledger = try Ledger.open(at: path)
        if ledger.access == .readOnlyUnlocked {
            Notice.emit("neither data.mdb nor lock.mdb in \(path) is writable by this user, so this read takes no reader lock: a write by another process meanwhile could disturb it — run it again if its output looks wrong, or ask for write access to lock.mdb")
        }
        return ledger
    }

    /// Opens the ledger for a command that writes: one that this user may only read is refused at
    /// once (exit 5), before any input is read or any notice printed.
    func openForWriting() async throws -> Ledger {
        if isPostgres { return try await OpenMirror.ledger(url: location, directory: path) }
        let ledger = try Ledger.open(at: path)
        guard ledger.isWritable else { throw LedgerError.notWritable(path) }
        return ledger
    }

    /// The service over the ledger, opened read-only when this user may not write it; notices go to
    /// standard error.
    func service() async throws -> LedgerService {
        LedgerService(ledger: try await open(), notice: { Notice.emit($0) })
    }

    /// The service over the ledger for a command that writes, with the future-skew allowance from
    /// INCIDENTS_MAX_FUTURE_SKEW_SECONDS and `actor` recording what names no actor of its own.
    func writingService(actor: Actor? = nil) async throws -> LedgerService {
        var skew = IncidentRules.defaultMaximumFutureSkewSeconds
        if let text = ProcessInfo.processInfo.environment["INCIDENTS_MAX_FUTURE_SKEW_SECONDS"] {
            guard let seconds = Int64(text), seconds >= 0 else {
                throw CommandFailure(.usage, "INCIDENTS_MAX_FUTURE_SKEW_SECONDS must be a whole number of seconds, not \(MessageText.quoted(text))")
            }
            skew = seconds
        }
        return LedgerService(
            ledger: try await openForWriting(), defaults: RecordingDefaults.system.recorded(by: actor), maximumFutureSkewSeconds: skew,
            notice: { Notice.emit($0) })
    }

    /// Who the person running the tool is: `person:$USER`, else `$LOGNAME`, else the login name of
    /// the process's user; nil when none can be told (a user id with no name), and an event that
    /// names no actor is then refused.
    static var userActor: Actor? {
        let environment = ProcessInfo.processInfo.environment
        for variable in ["USER", "LOGNAME"] {
            if let name = environment[variable], !name.isEmpty { return Actor(kind: .person, id: name) }
        }
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return Actor(kind: .person, id: String(cString: name))
    }
}

/// The mirror of a ledger in PostgreSQL this process follows, opened by the first command that
/// asks and kept until the process ends (its follower keeps it current for a server).
enum OpenMirror {
    private static let opened = Mutex<PostgresMirror?>(nil)

    static func ledger(url: String, directory: String) async throws(LedgerError) -> Ledger {
        try await mirror(url: url, directory: directory).ledger
    }

    static func mirror(url: String, directory: String) async throws(LedgerError) -> PostgresMirror {
        if let mirror = opened.withLock({ $0 }) { return mirror }
        let mirror = try await PostgresMirror.open(url: url, mirrorDirectory: directory)
        opened.withLock { $0 = mirror }
        return mirror
    }
}

/// The `--actor kind:id` option of the commands that record.
enum ActorOption {
    /// The actor given, or nil when the option was not; a value that is not `kind:id` is a usage error.
    @discardableResult
    static func parse(_ text: String?) throws -> Actor? {
        try text.map { text in
            guard let parsed = Actor(text) else { throw ValidationError("--actor must be kind:id with kind person, tool or system, not \(MessageText.quoted(text))") }
            return parsed
        }
    }
}

/// Parses an RFC 3339 option value.
struct TimestampArgument: ExpressibleByArgument {
    var value: Timestamp

    static var defaultCompletionKind: CompletionKind { .default }

    init?(argument: String) {
        guard let value = try? Timestamp(rfc3339: argument) else { return nil }
        self.value = value
    }
}

/// The `--expected-version` value that `append` and the recording commands take.
enum ExpectedVersionOption {
    /// nil when the option was not given.
    static func parse(_ text: String?) throws -> ExpectedVersion? {
        guard let text else { return nil }
        guard let parsed = ExpectedVersion(text) else {
            throw ValidationError("--expected-version must be any, no-stream, stream-exists or a whole number, not \(MessageText.quoted(text))")
        }
        return parsed
    }
}
