import ArgumentParser
import Foundation
import Store

/// `judge store …`: the store as a whole.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Work with a store as a whole (copy between SQLite and PostgreSQL).",
        subcommands: [StoreCopyCommand.self]
    )
}

/// `judge store copy FROM TO`: every suite, candidate, judgment and batch, ids included.
struct StoreCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole store into another: SQLite to PostgreSQL, PostgreSQL to SQLite, or alike.",
        discussion: """
            FROM and TO are SQLite files or postgres://USER@HOST:PORT/DB (the password in the URL or in \
            PGPASSWORD). TO is created and migrated if needed. Rows TO already has (same id) are left alone, so \
            copying again, or after an interrupted copy, adds only what is missing. Leases of running workers \
            are not copied.
            """
    )

    @Argument(help: "The store to read.")
    var from: String

    @Argument(help: "The store to write.")
    var to: String

    func run() throws {
        if !PostgresLocation.isPostgresURL(from), !FileManager.default.fileExists(atPath: from) {
            throw ValidationError("\(from): no such store file")
        }
        do {
            let source = try JudgeStore.open(from)
            let destination = try JudgeStore.open(to)
            let summary = try destination.copy(from: source)
            print(summary)
            print("copied \(source.location) to \(destination.location)")
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
