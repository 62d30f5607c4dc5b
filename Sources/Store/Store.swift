// Store: the SQLite store (GRDB) of suites, items, models, candidate outputs and judgments.
