import ArgumentParser
import Foundation
import Store

/// `--db PATH|postgres://USER@HOST:PORT/DB` (or `JUDGE_DB`), shared by every command that reads or writes the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store: a SQLite file, or postgres://USER@HOST:PORT/DB for a shared PostgreSQL store (default: $JUDGE_DB, else judge.sqlite beside the suite, or in the current directory).")
    var db: String?

    /// The environment variable that names the store when --db is not given.
    static let variable = "JUDGE_DB"

    /// The store's location: `--db`, else `$JUDGE_DB`, else `judge.sqlite` beside the suite file, else in the
    /// current directory.
    func path(suiteFile: URL?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let db { return db }
        if let fromEnvironment = environment[Self.variable], !fromEnvironment.isEmpty { return fromEnvironment }
        if let suiteFile { return suiteFile.deletingLastPathComponent().appendingPathComponent("judge.sqlite").path }
        return "judge.sqlite"
    }

    /// Opens the store at ``path(suiteFile:environment:)`` for reading only. A SQLite file must exist: a report
    /// of a missing store is a mistake in the path, not a reason to create an empty one.
    func openForReading(suiteFile: URL?) throws -> JudgeStore {
        let path = path(suiteFile: suiteFile)
        if PostgresLocation.isPostgresURL(path) { return try JudgeStore.open(path) }
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no store at \(path); pass --db PATH, or run `judge compare` first")
        }
        return try JudgeStore(readingAt: path)
    }

    /// Opens (creating and migrating if needed) the store at ``path(suiteFile:environment:)``.
    func open(suiteFile: URL?) throws -> JudgeStore {
        try JudgeStore.open(path(suiteFile: suiteFile))
    }
}
