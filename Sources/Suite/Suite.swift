// Suite: the suite file (YAML) and its tasks and items (JSONL) — the start of the data flow.
