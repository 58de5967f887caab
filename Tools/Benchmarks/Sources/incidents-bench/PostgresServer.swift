import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for rows P1–P4: `initdb` in a fresh temporary directory, started
/// with `pg_ctl` on a free loopback port with PostgreSQL's default durability (`fsync` and
/// `synchronous_commit` on), stopped and deleted by ``stop()``.
///
/// The approach of the tests' `PostgresCluster` (a test target, which the bench cannot import):
/// PostgreSQL refuses to run as root, so when the bench is root the server runs as `nobody`
/// through `runuser`, with the directory handed to that user.
struct PostgresServer {
    let port: Int
    /// The folder of `initdb`, `pg_ctl` and `psql`.
    let binaries: String
    /// The folder holding the cluster's data (`data/`) and logs.
    let directory: String
    private let runAs: String?

    /// Makes a cluster and starts its server; a failure names the program and shows its output.
    static func start() throws -> PostgresServer {
        let binaries = try findBinaries()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("incidents-bench-postgres-\(UUID().uuidString.lowercased())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        var runAs: String? = nil
        if geteuid() == 0 {
            guard let user = getpwnam("nobody"), chown(directory, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
                throw BenchFailure("running as root, and \(directory) could not be handed to the user nobody to run PostgreSQL as")
            }
            runAs = "nobody"
        }
        let data = directory + "/data"
        // initdb's own final sync is skipped (the cluster is thrown away); the server runs with fsync on.
        try run(runAs, "\(binaries)/initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], in: directory)
        let port = freePort()
        let options = "-c listen_addresses=127.0.0.1 -p \(port) -c unix_socket_directories=\(directory) "
            + "-c fsync=on -c synchronous_commit=on -c max_connections=300"
        try run(runAs, "\(binaries)/pg_ctl", ["-D", data, "-l", directory + "/server.log", "-w", "-t", "60", "-o", options, "start"], in: directory)
        return PostgresServer(port: port, binaries: binaries, directory: directory, runAs: runAs)
    }

    /// Stops the server (fast shutdown) and deletes its directory.
    func stop() {
        try? Self.run(runAs, "\(binaries)/pg_ctl", ["-D", directory + "/data", "-m", "fast", "-w", "stop"], in: directory)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The URL of a database of this server, for the superuser `postgres` (trust authentication on loopback).
    func url(database: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)"
    }

    /// A new, empty database, as its URL.
    func createDatabase(_ name: String) throws -> String {
        _ = try sql("CREATE DATABASE \(name)", database: "postgres")
        return url(database: name)
    }

    /// Runs one SQL statement with `psql` and returns its unaligned output.
    func sql(_ statement: String, database: String) throws -> String {
        try Subprocess.run(
            "\(binaries)/psql",
            ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-Atc", statement])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The server's version and the settings that decide how fast a durable commit is.
    func settings() throws -> String {
        let names = ["fsync", "synchronous_commit", "wal_sync_method", "wal_level", "shared_buffers", "max_wal_size", "commit_delay"]
        let version = try sql("SHOW server_version", database: "postgres")
        let values = try names.map { "\($0)=\(try sql("SHOW \($0)", database: "postgres"))" }
        return "PostgreSQL \(version), " + values.joined(separator: ", ")
    }

    /// The folder of PostgreSQL's programs: `$POSTGRES_BIN`, Debian's newest /usr/lib/postgresql/N/bin, or the PATH.
    static func findBinaries() throws -> String {
        let files = FileManager.default
        var candidates = [String]()
        if let configured = ProcessInfo.processInfo.environment["POSTGRES_BIN"] { candidates.append(configured) }
        let versions = ((try? files.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted(by: >)
        candidates += versions.map { "/usr/lib/postgresql/\($0)/bin" }
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        guard let found = candidates.first(where: { folder in ["initdb", "pg_ctl", "psql"].allSatisfy { files.isExecutableFile(atPath: "\(folder)/\($0)") } })
        else {
            throw BenchFailure(
                "PostgreSQL is not installed (no initdb, pg_ctl and psql in /usr/lib/postgresql/*/bin, $POSTGRES_BIN or the PATH): "
                    + "install Debian's postgresql package (Tools/Benchmarks/run does when root)")
        }
        return found
    }

    /// Runs one of PostgreSQL's programs, as `user` when one is given (through `runuser`), its
    /// output in `directory`/programs.log.
    ///
    /// Spawned directly, with every descriptor above standard error closed, not through
    /// Foundation's `Process`: that learns of a child's end when a socket it hands the child is
    /// closed, and the server `pg_ctl` leaves running would hold it open for ever.
    private static func run(_ user: String?, _ program: String, _ arguments: [String], in directory: String) throws {
        let (executable, all) = user.map { ("/usr/sbin/runuser", ["-u", $0, "--", program] + arguments) } ?? (program, arguments)
        let log = directory + "/programs.log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        guard SpawnActions.closeFrom(&actions, 3) == 0, SpawnActions.changeDirectory(&actions, directory) == 0 else {
            throw BenchFailure("could not prepare to run \(executable)")
        }
        let argv = ([executable] + all).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw BenchFailure("could not run \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw BenchFailure("\((program as NSString).lastPathComponent) failed (wait status \(status)): \(output.suffix(4000))")
        }
    }

    /// A loopback port nobody listens on now.
    private static func freePort() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// glibc's spawn actions that close every descriptor from a number on and change directory (2.34
/// and 2.29 on), which Swift's Glibc module does not declare: found by name.
private enum SpawnActions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let closeFrom: CloseFrom = unsafeBitCast(dlsym(nil, "posix_spawn_file_actions_addclosefrom_np"), to: CloseFrom.self)
    static let changeDirectory: ChangeDirectory = unsafeBitCast(dlsym(nil, "posix_spawn_file_actions_addchdir_np"), to: ChangeDirectory.self)
}
