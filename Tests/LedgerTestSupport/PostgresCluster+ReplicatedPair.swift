import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

extension PostgresCluster {
    /// A primary and a synchronous standby streaming from it, for failover tests: apart from the
    /// shared cluster, each pair in a temporary directory of its own on loopback ports of its own,
    /// both servers stopped (immediately) and the directory removed when the pair is released or
    /// the test process exits.
    ///
    /// The primary runs with `synchronous_commit = on` and `synchronous_standby_names = 'FIRST 1
    /// (standby1)'`; the standby is a `pg_basebackup -R` of it whose connection calls itself
    /// `standby1` (docs/postgres.md, "A primary and a synchronous standby"). So a commit is
    /// acknowledged only once the standby has flushed it: after ``killPrimary()`` and
    /// ``promoteStandby()`` every acknowledged commit is on the promoted standby.
    public final class ReplicatedPair: Sendable {
        public enum Server: Sendable {
            case primary, standby
        }

        /// The `application_name` the standby streams under, which the primary waits for.
        public static let standbyName = "standby1"
        /// The settings added to the primary's `postgresql.conf` (and copied to the standby by `pg_basebackup`).
        public static let primarySettings = """
            wal_level = replica
            max_wal_senders = 4
            synchronous_commit = on
            synchronous_standby_names = 'FIRST 1 (\(standbyName))'
            """
        /// The primary's whole `pg_hba.conf`: trust on loopback, replication for `postgres` included.
        static let hostBasedAuthentication = """
            local all all trust
            host all all 127.0.0.1/32 trust
            host replication postgres 127.0.0.1/32 trust
            """

        public let primaryPort: Int
        public let standbyPort: Int
        private let binaries: String
        private let runAs: String?
        private let directory: TemporaryDirectory
        private let databases = Atomic<Int>(0)

        private var primaryData: String { directory.file("primary") }
        private var standbyData: String { directory.file("standby") }

        /// Makes the primary, the standby from a base backup of it, and waits (up to 30 s) until
        /// the standby streams and the primary counts it as synchronous.
        public init() throws(Unavailable) {
            binaries = try PostgresCluster.findBinaries()
            guard FileManager.default.isExecutableFile(atPath: "\(binaries)/pg_basebackup") else {
                throw Unavailable(description: "there is no pg_basebackup in \(binaries): install Debian's postgresql package")
            }
            directory = TemporaryDirectory("postgres-pair")
            directory.removeAtExit()
            runAs = try PostgresCluster.unprivilegedUser(owning: directory.path)
            let (primary, standby) = (directory.file("primary"), directory.file("standby"))
            try PostgresCluster.run(
                runAs, "\(binaries)/initdb", ["-D", primary, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"],
                in: directory.path)
            do {
                let configuration = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(primary)/postgresql.conf"))
                defer { try? configuration.close() }
                try configuration.seekToEnd()
                try configuration.write(contentsOf: Data("\n\(Self.primarySettings)\n".utf8))
                // Written in place, so the file keeps its owner (the server's user).
                try "\(Self.hostBasedAuthentication)\n".write(toFile: "\(primary)/pg_hba.conf", atomically: false, encoding: .utf8)
            } catch {
                throw Unavailable(description: "could not configure the primary in \(primary): \(error)")
            }
            primaryPort = try PostgresCluster.start(runAs, binaries: binaries, data: primary, in: directory.path, log: "primary.log")
            do {
                try PostgresCluster.run(
                    runAs, "\(binaries)/pg_basebackup",
                    ["-h", "127.0.0.1", "-p", String(primaryPort), "-U", "postgres", "-d", "application_name=\(Self.standbyName)",
                     "-D", standby, "-R", "-X", "stream", "-c", "fast"],
                    in: directory.path)
                standbyPort = try PostgresCluster.start(runAs, binaries: binaries, data: standby, in: directory.path, log: "standby.log")
            } catch {
                PostgresCluster.stopNow(data: primary)
                PostgresCluster.stopNow(data: standby)
                throw error
            }
            // From here on, a failure releases the pair, which stops both servers.
            let query = "SELECT sync_state FROM pg_stat_replication WHERE application_name = '\(Self.standbyName)' AND state = 'streaming'"
            try waitUntil("the standby streams synchronously", seconds: 30) { try sql(query, on: .primary) == "sync" }
        }

        deinit {
            PostgresCluster.stopNow(data: primaryData)
            PostgresCluster.stopNow(data: standbyData)
        }

        /// The port a server listens on.
        public func port(_ server: Server) -> Int {
            server == .primary ? primaryPort : standbyPort
        }

        /// The URL of a database on one of the servers, for the superuser `postgres` (trust on loopback).
        public func url(_ server: Server, database: String) -> String {
            "postgres://postgres@127.0.0.1:\(port(server))/\(database)"
        }

        /// A new, empty database made on the primary (and so replicated to the standby); returns its name.
        public func createDatabase() throws -> String {
            let name = "ledger_\(databases.wrappingAdd(1, ordering: .relaxed).newValue)"
            _ = try sql("CREATE DATABASE \(name)", on: .primary)
            return name
        }

        /// Runs a SQL statement with `psql` on one of the servers; its output trimmed, one row a line.
        public func sql(_ statement: String, database: String = "postgres", on server: Server) throws -> String {
            try PostgresCluster.psql(statement, binaries: binaries, port: port(server), database: database)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// Kills the primary's postmaster with SIGKILL (its process id is the first line of
        /// `postmaster.pid`), as a crash of its machine would, and waits (up to 10 s) until it is
        /// gone. Its backends end as they notice; a commit waiting for the standby is never acknowledged.
        public func killPrimary() throws {
            let pidFile = "\(primaryData)/postmaster.pid"
            let contents = try String(contentsOfFile: pidFile, encoding: .utf8)
            guard let line = contents.split(separator: "\n").first, let pid = pid_t(line.trimmingCharacters(in: .whitespaces)) else {
                throw Unavailable(description: "\(pidFile) does not start with a process id: \(contents.prefix(80))")
            }
            // Not stopped at exit: the file is stale now, and its process id may be another's by then.
            PostgresCluster.forget(data: primaryData)
            guard kill(pid, SIGKILL) == 0 else {
                throw Unavailable(description: "could not kill the primary's postmaster \(pid): \(String(cString: strerror(errno)))")
            }
            try waitUntil("the primary's postmaster \(pid) is gone", seconds: 10) { !Self.isRunning(pid) }
        }

        /// Promotes the standby (`pg_ctl promote`), waits (up to 30 s) until it has left recovery,
        /// and clears its `synchronous_standby_names` (copied from the primary): it has no standby,
        /// and its commits would otherwise wait for one.
        public func promoteStandby() throws {
            try PostgresCluster.run(runAs, "\(binaries)/pg_ctl", ["-D", standbyData, "-w", "-t", "30", "promote"], in: directory.path)
            try waitUntil("the standby leaves recovery", seconds: 30) { try sql("SELECT pg_is_in_recovery()", on: .standby) == "f" }
            _ = try sql("ALTER SYSTEM SET synchronous_standby_names = ''", on: .standby)
            _ = try sql("SELECT pg_reload_conf()", on: .standby)
        }

        /// Asks `condition` every 100 ms until it holds; fails after `seconds`, saying what was awaited.
        private func waitUntil(_ what: String, seconds: Double, _ condition: () throws -> Bool) throws(Unavailable) {
            let deadline = Date().addingTimeInterval(seconds)
            var lastError: (any Error)?
            while Date() < deadline {
                do {
                    if try condition() { return }
                } catch {
                    lastError = error
                }
                usleep(100_000)
            }
            let logs = ["primary.log", "standby.log"].map { name in
                "\(name):\n" + ((try? String(contentsOfFile: directory.file(name), encoding: .utf8)) ?? "").suffix(2000)
            }
            throw Unavailable(description: "\(what): not within \(Int(seconds)) s\(lastError.map { " (\($0))" } ?? "")\n" + logs.joined(separator: "\n"))
        }

        /// Whether process `pid` is running: a zombie that no parent has reaped yet is not.
        private static func isRunning(_ pid: pid_t) -> Bool {
            guard kill(pid, 0) == 0 else { return errno == EPERM }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            // The state follows the parenthesised command name.
            guard let end = stat.lastIndex(of: ")") else { return true }
            return stat[end...].dropFirst().trimmingCharacters(in: .whitespaces).first != "Z"
        }
    }
}
