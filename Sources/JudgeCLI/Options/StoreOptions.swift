import ArgumentParser

/// `--db PATH`, shared by every command that reads or writes the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite store (default: judge.sqlite beside the suite, or in the current directory).")
    var db: String?
}
