import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for tests: `initdb` in a temporary directory, started with
/// `pg_ctl` on a free loopback port (its Unix socket in the same directory, `fsync` on), stopped
/// and deleted when the test process exits. One per test process (``shared()``), a new database
/// per test (``createDatabase()``).
///
/// PostgreSQL refuses to run as root; when the tests are root (as CI is), the server runs as
/// `nobody` through `runuser`, with the directory handed to that user. Nothing depends on a system
/// service. Without PostgreSQL's programs the tests fail, saying to install them: they never skip.
public final class PostgresCluster: Sendable {
    /// Why no cluster could be had, or why it did not do what a test asked.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The loopback port the server listens on.
    public let port: Int
    /// The folder of `initdb`, `pg_ctl` and `createdb`.
    public let binaries: String
    private let directory: TemporaryDirectory
    private let databases = Atomic<Int>(0)

    /// The cluster of this test process, started by the first test that asks.
    public static func shared() throws -> PostgresCluster {
        try started.get()
    }

    /// The same, from an async test: the first call starts the cluster on a thread of its own.
    public static func shared() async throws -> PostgresCluster {
        try await onItsOwnThread { try shared() }
    }

    private static let started: Result<PostgresCluster, Unavailable> = Result { () throws(Unavailable) in try PostgresCluster() }

    /// The folder of the cluster's data and logs.
    public var path: String { directory.path }

    /// A new, empty database (named `name`, or `ledger_N`), as a `postgres://` URL for the superuser
    /// `postgres` (trust authentication on loopback).
    public func createDatabase(_ name: String? = nil) throws -> String {
        let name = name ?? "ledger_\(databases.wrappingAdd(1, ordering: .relaxed).newValue)"
        let outcome = try ChildProcess.run("\(binaries)/createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", name])
        guard outcome.status == 0 else {
            throw Unavailable(description: "createdb \(name) failed: \(outcome.stderr)")
        }
        return url(database: name)
    }

    /// The same, from an async test: `createdb` is waited for on a thread of its own.
    public func createDatabase(_ name: String? = nil) async throws -> String {
        try await onItsOwnThread { try self.createDatabase(name) }
    }

    /// The URL of a database of this cluster.
    public func url(database: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)"
    }

    /// The server's version and the settings that decide how fast a durable commit is, for a
    /// benchmark's report.
    public func settings() throws -> String {
        let names = ["fsync", "synchronous_commit", "wal_sync_method", "wal_level", "shared_buffers", "max_wal_size", "commit_delay", "max_connections"]
        let show = { (name: String) in try self.sql("SHOW \(name)", database: "postgres").trimmingCharacters(in: .whitespacesAndNewlines) }
        return "PostgreSQL \(try show("server_version")), " + (try names.map { "\($0)=\(try show($0))" }).joined(separator: ", ")
    }

    /// Runs a SQL statement in a database with `psql`, for tests that change what a store wrote.
    public func sql(_ statement: String, database: String) throws -> String {
        try Self.psql(statement, binaries: binaries, port: port, database: database)
    }

    /// Runs a SQL statement with `psql` as `postgres` on the loopback server at `port`; its output unaligned, one row a line.
    static func psql(_ statement: String, binaries: String, port: Int, database: String) throws -> String {
        let outcome = try ChildProcess.run(
            "\(binaries)/psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-Atc", statement])
        guard outcome.status == 0 else { throw Unavailable(description: "psql failed: \(outcome.stderr)") }
        return outcome.stdout
    }

    private init() throws(Unavailable) {
        let binaries = try Self.findBinaries()
        self.binaries = binaries
        directory = TemporaryDirectory("postgres-cluster")
        directory.removeAtExit()
        let runAs = try Self.unprivilegedUser(owning: directory.path)
        let data = directory.file("data")
        // initdb's own final sync is skipped (the cluster is thrown away); the server runs with fsync on.
        try Self.run(runAs, "\(binaries)/initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], in: directory.path)
        port = try Self.start(runAs, binaries: binaries, data: data, in: directory.path, log: "server.log")
    }

    /// Starts the server of `data` on a free loopback port (tried three times, in case another
    /// process takes the port first), its socket and log `log` in `directory`, and has it stopped at
    /// exit; returns the port.
    static func start(_ runAs: String?, binaries: String, data: String, in directory: String, log: String) throws(Unavailable) -> Int {
        var lastFailure: Unavailable?
        for _ in 0..<3 {
            let port = Self.freePort()
            let options = "-c listen_addresses=127.0.0.1 -p \(port) -c unix_socket_directories=\(directory) -c fsync=on -c max_connections=400"
            do {
                try Self.run(runAs, "\(binaries)/pg_ctl", ["-D", data, "-l", "\(directory)/\(log)", "-w", "-t", "60", "-o", options, "start"], in: directory)
                Self.stopAtExit(runAs: runAs, pgCtl: "\(binaries)/pg_ctl", data: data)
                return port
            } catch {
                lastFailure = error
            }
        }
        let output = (try? String(contentsOfFile: "\(directory)/\(log)", encoding: .utf8)) ?? ""
        throw Unavailable(description: "\(lastFailure?.description ?? "pg_ctl start failed")\n\(output)")
    }

    /// The folder of PostgreSQL's programs: `$POSTGRES_BIN`, Debian's newest /usr/lib/postgresql/N/bin, or the PATH.
    static func findBinaries() throws(Unavailable) -> String {
        let files = FileManager.default
        var candidates = [String]()
        if let configured = ProcessInfo.processInfo.environment["POSTGRES_BIN"] { candidates.append(configured) }
        let versions = ((try? files.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted(by: >)
        candidates += versions.map { "/usr/lib/postgresql/\($0)/bin" }
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let found = candidates.first { folder in
            ["initdb", "pg_ctl", "createdb", "psql"].allSatisfy { files.isExecutableFile(atPath: "\(folder)/\($0)") }
        }
        guard let found else {
            throw Unavailable(description:
                "PostgreSQL is not installed (no initdb, pg_ctl, createdb and psql in /usr/lib/postgresql/*/bin, $POSTGRES_BIN or the PATH): "
                + "the PostgreSQL store's tests and benchmark rows need a real server — install Debian's postgresql package "
                + "(`apt-get install postgresql`, which Tools/install-deps and Tools/Benchmarks/run do as root)")
        }
        return found
    }

    /// The user to run the server as: nil when this process is not root; otherwise `nobody`, made
    /// the owner of `path` (PostgreSQL refuses to run as root).
    static func unprivilegedUser(owning path: String) throws(Unavailable) -> String? {
        guard geteuid() == 0 else { return nil }
        guard let user = getpwnam("nobody") else { throw Unavailable(description: "running as root, and there is no user nobody to run PostgreSQL as") }
        guard chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
            throw Unavailable(description: "could not hand \(path) to the user nobody: \(String(cString: strerror(errno)))")
        }
        return "nobody"
    }

    /// Runs one of PostgreSQL's programs, as `user` when one is given (through `runuser`), its
    /// output in `directory`/programs.log.
    ///
    /// Spawned directly, with every descriptor above standard error closed, not through
    /// Foundation's `Process`: that learns of a child's end when a socket it hands the child is
    /// closed, and the server `pg_ctl` leaves running would hold it open for ever.
    static func run(_ user: String?, _ program: String, _ arguments: [String], in directory: String) throws(Unavailable) {
        let (executable, all) = user.map { ("/usr/sbin/runuser", ["-u", $0, "--", program] + arguments) } ?? (program, arguments)
        let log = "\(directory)/programs.log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        guard SpawnActions.closeFrom(&actions, 3) == 0, SpawnActions.changeDirectory(&actions, directory) == 0 else {
            throw Unavailable(description: "could not prepare to run \(executable)")
        }
        let argv = ([executable] + all).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw Unavailable(description: "could not run \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw Unavailable(description: "\((program as NSString).lastPathComponent) failed (wait status \(status)): \(output.suffix(4000))")
        }
    }

    /// A loopback port nobody listens on now.
    public static func freePort() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The servers to stop when the test process exits, by data directory.
    private static let running = Mutex<[String: (runAs: String?, pgCtl: String)]>([:])

    /// Stops the server when the test process exits (before the directory is removed).
    private static func stopAtExit(runAs: String?, pgCtl: String, data: String) {
        running.withLock { $0[data] = (runAs, pgCtl) }
        _ = registered
    }

    /// Stops the server of `data` at once (`pg_ctl stop -m immediate`), unless it was stopped or forgotten already.
    static func stopNow(data: String) {
        guard let server = running.withLock({ $0.removeValue(forKey: data) }) else { return }
        try? run(server.runAs, server.pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"], in: (data as NSString).deletingLastPathComponent)
    }

    /// Forgets the server of `data`, which was killed: its `postmaster.pid` is stale, and by exit its
    /// process id may be another process's.
    static func forget(data: String) {
        _ = running.withLock { $0.removeValue(forKey: data) }
    }

    private static let registered: Void = {
        atexit {
            for data in PostgresCluster.running.withLock({ Array($0.keys) }) { PostgresCluster.stopNow(data: data) }
        }
    }()
}

/// glibc's spawn actions that close every descriptor from a number on and change directory (2.34
/// and 2.29 on), which Swift's Glibc module does not declare: found by name.
private enum SpawnActions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let closeFrom: CloseFrom = unsafeBitCast(dlsym(nil, "posix_spawn_file_actions_addclosefrom_np"), to: CloseFrom.self)
    static let changeDirectory: ChangeDirectory = unsafeBitCast(dlsym(nil, "posix_spawn_file_actions_addchdir_np"), to: ChangeDirectory.self)
}
