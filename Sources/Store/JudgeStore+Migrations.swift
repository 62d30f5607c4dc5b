import GRDB

extension JudgeStore {
    // MARK: - Schema

    /// The schema, as add-only migrations: a shipped migration is never edited; changes come as new ones.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-suites-candidates-judgments") { db in
            try db.create(table: "suite") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("file", .text)
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "task") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("suite_id", .integer).notNull().references("suite", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("description", .text)
                t.column("held_out", .boolean).notNull().defaults(to: false)
                t.uniqueKey(["suite_id", "name"])
            }
            try db.create(table: "item") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("task_id", .integer).notNull().references("task", onDelete: .cascade)
                t.column("external_id", .text).notNull()
                t.column("prompt", .text).notNull()
                t.column("system", .text)
                t.column("reference", .text)
                t.uniqueKey(["task_id", "external_id"])
            }
            try db.create(table: "model") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("kind", .text).notNull().defaults(to: "imported")
                    .check { ["imported", "local", "remote"].contains($0) }
                t.column("spec", .text)
            }
            try db.create(table: "candidate") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("model_id", .integer).notNull().references("model", onDelete: .cascade)
                t.column("item_id", .integer).notNull().references("item", onDelete: .cascade)
                t.column("output", .text).notNull()
                t.column("content_key", .text).notNull()
                t.column("source", .text).notNull().check { ["import", "local", "remote"].contains($0) }
                t.column("settings", .text)
                t.column("revision", .integer).notNull()
                t.column("created_at", .datetime).notNull()
                t.uniqueKey(["model_id", "item_id", "content_key"])
            }
            try db.create(index: "candidate_on_item_model", on: "candidate", columns: ["item_id", "model_id", "revision"])
            try db.create(table: "judgment") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("key", .text).notNull().unique()
                t.column("item_id", .integer).notNull().references("item", onDelete: .cascade)
                t.column("model_a_id", .integer).notNull().references("model", onDelete: .cascade)
                t.column("model_b_id", .integer).notNull().references("model", onDelete: .cascade)
                t.column("candidate_a_id", .integer).notNull().references("candidate", onDelete: .cascade)
                t.column("candidate_b_id", .integer).notNull().references("candidate", onDelete: .cascade)
                t.column("position", .text).notNull().check { ["ab", "ba"].contains($0) }
                t.column("orders_planned", .integer).notNull().check { [1, 2].contains($0) }
                t.column("template_id", .text).notNull()
                t.column("template_version", .text).notNull()
                t.column("judge_model", .text).notNull()
                t.column("method", .text).notNull().check { ["judge", "identical"].contains($0) }
                t.column("raw_reply", .text)
                t.column("verdict", .text).check { $0 == nil || Verdict.allCases.map(\.rawValue).contains($0) }
                t.column("unparsed", .boolean).notNull().defaults(to: false)
                t.column("latency", .double)
                t.column("prompt_tokens", .integer)
                t.column("completion_tokens", .integer)
                t.column("cost", .double)
                t.column("error", .text)
                t.column("created_at", .datetime).notNull()
                // A verdict, an unparsed reply or an error: exactly one state.
                t.check(sql: "(verdict IS NOT NULL) + (unparsed = 1) + (error IS NOT NULL) = 1")
            }
            try db.create(index: "judgment_on_item_pair", on: "judgment",
                          columns: ["item_id", "model_a_id", "model_b_id"])
        }
        migrator.registerMigration("v2-logprob-verdicts") { db in
            // The logprob verdict mode: the probabilities behind a verdict, and why a reply gave none.
            try db.alter(table: "judgment") { t in
                t.add(column: "unparsed_reason", .text)
                t.add(column: "verdict_probabilities", .text)  // JSON: VerdictProbabilities
                t.add(column: "preference", .double).check { $0 == nil || ($0 >= 0 && $0 <= 1) }
            }
        }
        migrator.registerMigration("v3-judge-sampling-settings") { db in
            // The judge's temperature and max_tokens, part of the judge configuration and of new keys.
            // Rows stored before keep NULL: "not recorded". They stay a configuration of their own — never
            // merged with, nor reused by, a run that records its settings (whose keys differ).
            try db.alter(table: "judgment") { t in
                t.add(column: "judge_temperature", .double)
                t.add(column: "judge_max_tokens", .integer)
            }
        }
        migrator.registerMigration("v4-judge-batches") { db in
            // Judge calls sent through OpenAI's Batch API: the provider's batch id and state, so an
            // interrupted run resumes polling instead of submitting the same calls again.
            try db.create(table: "judge_batch") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("batch_id", .text).notNull().unique()
                t.column("input_file_id", .text).notNull()
                t.column("endpoint", .text).notNull()
                t.column("judge_model", .text).notNull()
                t.column("status", .text).notNull()
                t.column("keys", .text).notNull()  // JSON array of judgment keys (the lines' custom_id)
                t.column("output_file_id", .text)
                t.column("error_file_id", .text)
                t.column("errors", .text)
                t.column("created_at", .datetime).notNull()
                t.column("collected_at", .datetime)
            }
        }
        migrator.registerMigration("v5-work-leases") { db in
            // Work shared by several processes (or machines): one row per unit of work (a judgment key),
            // claimed with a lease that its owner renews while alive. A killed worker's leases expire and
            // another worker takes the work over. Uniqueness of the key lives here: enqueueing twice is a no-op.
            try db.create(table: "job") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("scope", .text).notNull()
                t.column("key", .text).notNull().unique()
                t.column("owner", .text)
                t.column("lease_until", .integer)  // milliseconds since 1970, the store's clock
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("finished", .integer).notNull().defaults(to: 0)
            }
            try db.create(index: "job_to_claim", on: "job", columns: ["scope", "finished", "lease_until"])
        }
        return migrator
    }

    /// Brings a SQLite store's schema up to date, also when other processes open the same new store at once.
    ///
    /// GRDB reads which migrations are applied before it takes the write lock, then runs each in a transaction of
    /// its own; so workers starting together on a new store all tried the first migration, and all but one failed
    /// ("table "suite" already exists", `ConcurrentOpenTests`). Such a failure rolls back, and means another
    /// process applied that migration: read again and go on. Each retry follows another process's progress, so
    /// one retry per migration is enough; an error that is not a race is thrown after them.
    static func migrate(_ writer: any DatabaseWriter) throws {
        var retries = 0
        while true {
            do {
                return try migrator.migrate(writer)
            } catch {
                retries += 1
                guard retries <= migrator.migrations.count else { throw error }
                if (try? writer.read({ try migrator.hasCompletedMigrations($0) })) == true { return }
            }
        }
    }

    /// Refuses a store that a newer judge migrated: its schema has migrations this binary does not know,
    /// and writing with the older schema in mind could break it. Nothing is written.
    static func refuseNewerSchema(_ writer: any DatabaseWriter, location: String) throws {
        let applied = try writer.read { db -> [String] in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        try refuseNewer(applied: applied, location: location)
    }

    /// The check itself, shared with PostgreSQL: every applied migration must be one this binary knows.
    static func refuseNewer(applied: [String], location: String) throws {
        let known = Set(migrator.migrations)
        let unknown = applied.filter { !known.contains($0) }.sorted()
        guard let newest = unknown.last else { return }
        throw StoreError.schemaTooNew(location: location, store: newest, binary: migrator.migrations.last ?? "none")
    }
}

