import Foundation
#if canImport(Glibc)
import Glibc
#endif

// MARK: - PostgresTestServer

/// A real PostgreSQL server of the tests' own: `initdb` in a temporary directory, `postgres` on a free
/// loopback port, stopped (and the directory removed) when the test process ends.
///
/// The binaries come from Debian's `postgresql` package (`scripts/bootstrap.sh --test` installs it):
/// `/usr/lib/postgresql/<newest>/bin`, or `$JUDGE_PG_BIN`. `initdb` and `postgres` refuse to run as root,
/// so under root the cluster belongs to the unprivileged `postgres` system user (`$JUDGE_PG_USER` names
/// another) and both run through `setpriv --reuid --regid --clear-groups`; the clients run as whoever we are.
///
/// The cluster's superuser is `judge` with password ``password``, checked by SCRAM over TCP, so a test can
/// also log in wrongly. Each test takes a fresh database from ``createDatabase()``.
///
/// ```swift
/// let server = try PostgresTestServer.shared()
/// let url = try server.createDatabase()   // postgres://judge:…@127.0.0.1:PORT/judge_test_1
/// ```
public final class PostgresTestServer: @unchecked Sendable {
    public let port: Int
    public let user = "judge"
    public let password = "judge-test-password"
    public let directory: URL
    let binaries: URL
    private let owner: String?
    private let lock = NSLock()
    private var databases = 0

    public enum Failure: Error, CustomStringConvertible {
        case noBinaries(String)
        case command(String, status: Int32, output: String)

        public var description: String {
            switch self {
            case .noBinaries(let looked):
                "no PostgreSQL server binaries (looked in \(looked)); run `scripts/bootstrap.sh --test` (Debian's postgresql) or set JUDGE_PG_BIN"
            case let .command(command, status, output):
                "\(command) exited \(status): \(output.suffix(2000))"
            }
        }
    }

    // MARK: - The shared server

    private static let sharedLock = NSLock()
    nonisolated(unsafe) private static var sharedServer: Result<PostgresTestServer, Error>?

    /// The one server of this test process, started on first use and stopped when the process exits.
    public static func shared() throws -> PostgresTestServer {
        try sharedLock.withLock {
            if let sharedServer { return try sharedServer.get() }
            let result = Result { try PostgresTestServer() }
            sharedServer = result
            if case .success = result { atexit { PostgresTestServer.stopShared() } }
            return try result.get()
        }
    }

    private static func stopShared() {
        if case .success(let server)? = sharedServer { server.stop() }
    }

    // MARK: - Lifecycle

    /// initdb + pg_ctl start on a free port; waits until the server accepts connections.
    public init() throws {
        binaries = try Self.locateBinaries()
        owner = getuid() == 0 ? (ProcessInfo.processInfo.environment["JUDGE_PG_USER"] ?? "postgres") : nil
        directory = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("judge-pg-\(getpid())-\(UUID().uuidString.prefix(8))")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let passwordFile = directory.appendingPathComponent("pwfile")
        try Data((password + "\n").utf8).write(to: passwordFile)
        if let owner { try Self.run(["/bin/chown", "-R", owner, directory.path]) }

        try Self.run(as: owner, binaries.appendingPathComponent("initdb").path, [
            "-D", data.path, "-U", user, "--pwfile", passwordFile.path,
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        ])
        var lastError: Error?
        for _ in 0..<5 {
            let port = try Self.freePort()
            do {
                try Self.run(as: owner, binaries.appendingPathComponent("pg_ctl").path, [
                    "-D", data.path, "-l", directory.appendingPathComponent("server.log").path, "-w", "-t", "60",
                    "-o", "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                    "start",
                ])
                self.port = port
                return
            } catch {
                lastError = error  // the port was taken between our probe and the server's bind: try another
            }
        }
        throw lastError!
    }

    /// Stops the server at once and removes its directory.
    public func stop() {
        _ = try? Self.run(as: owner, binaries.appendingPathComponent("pg_ctl").path,
                            ["-D", directory.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - Databases

    /// A new empty database; returns its URL with the password in it.
    public func createDatabase() throws -> String {
        let name = lock.withLock { () -> String in
            databases += 1
            return "judge_test_\(databases)"
        }
        try runClient("createdb", [name])
        return url(database: name)
    }

    /// `postgres://judge:PASSWORD@127.0.0.1:PORT/DATABASE`.
    public func url(database: String, password: String? = nil) -> String {
        "postgres://\(user):\(password ?? self.password)@127.0.0.1:\(port)/\(database)"
    }

    /// Runs one SQL command through psql (for tests that set up or inspect outside the store).
    @discardableResult
    public func psql(_ database: String, _ sql: String) throws -> String {
        try runClient("psql", ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql])
    }

    @discardableResult
    private func runClient(_ tool: String, _ arguments: [String]) throws -> String {
        try Self.run([binaries.appendingPathComponent(tool).path, "-h", "127.0.0.1", "-p", String(port), "-U", user] + arguments,
                     environment: ["PGPASSWORD": password])
    }

    // MARK: - Processes

    /// Runs a server binary as `owner` (nil: as ourselves).
    @discardableResult
    private static func run(as owner: String?, _ executable: String, _ arguments: [String]) throws -> String {
        guard let owner else { return try run([executable] + arguments) }
        return try run(["/usr/bin/setpriv", "--reuid=\(owner)", "--regid=\(owner)", "--clear-groups", "--", executable] + arguments)
    }

    /// Runs a command to its end with its output in a file, through posix_spawn and waitpid. (Not Foundation's
    /// Process: `pg_ctl start` leaves a daemon behind that inherits Process's internal descriptor, and
    /// Process then never sees pg_ctl end.)
    @discardableResult
    private static func run(_ command: [String], environment: [String: String] = [:]) throws -> String {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("judge-pg-cmd-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = command.map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        guard spawned == 0 else { throw Failure.command(command[0], status: spawned, output: String(cString: strerror(spawned))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exited == 0 else {
            throw Failure.command(command.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " "), status: exited, output: output)
        }
        return output
    }

    private static func locateBinaries() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let bin = environment["JUDGE_PG_BIN"] { return URL(fileURLWithPath: bin) }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions {
            let bin = URL(fileURLWithPath: "\(root)/\(version)/bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) { return bin }
        }
        throw Failure.noBinaries("$JUDGE_PG_BIN, \(root)/*/bin")
    }

    /// A port nothing listens on now (the kernel's pick for a socket bound to port 0).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure.command("bind(127.0.0.1:0)", status: errno, output: String(cString: strerror(errno))) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
