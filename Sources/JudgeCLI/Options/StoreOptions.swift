import ArgumentParser
import Foundation
import Store

/// `--db PATH`, shared by every command that reads or writes the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite store (default: judge.sqlite beside the suite, or in the current directory).")
    var db: String?

    /// The store's path: `--db`, else `judge.sqlite` beside the suite file, else in the current directory.
    func path(suiteFile: URL?) -> String {
        if let db { return db }
        if let suiteFile { return suiteFile.deletingLastPathComponent().appendingPathComponent("judge.sqlite").path }
        return "judge.sqlite"
    }

    /// Opens the store at ``path(suiteFile:)`` for reading only. It must exist: a report of a missing store
    /// is a mistake in the path, not a reason to create an empty one.
    func openForReading(suiteFile: URL?) throws -> JudgeStore {
        let path = path(suiteFile: suiteFile)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no store at \(path); pass --db PATH, or run `judge compare` first")
        }
        return try JudgeStore(readingAt: path)
    }

    /// Opens (creating and migrating if needed) the store at ``path(suiteFile:)``.
    func open(suiteFile: URL?) throws -> JudgeStore {
        try JudgeStore(path: path(suiteFile: suiteFile))
    }
}
