#!/usr/bin/env python3
"""Builds a synthetic judge store for the report benchmark and the sample report.

The store is written with SQL matching Store's schema up to migration v3-judge-sampling-settings
(recorded in grdb_migrations, so that JudgeStore opens it as its own — readers such as `judge
leaderboard` open a store read-only and need its schema current). Every judgment is made by one judge
configuration: gpt-4, template pairwise version 2, temperature 0, max_tokens 1024. Models have known Bradley-Terry strengths; each (item, model pair) is
judged in both orders, with a position bias, a length bias, a few unparsed replies and failed
calls, tokens and cost, so every part of the report has something real to show.

    python3 scripts/bench/report_store.py --out /tmp/bench.sqlite --judgments 1000000
"""
import argparse
import hashlib
import math
import os
import random
import sqlite3
import sys

SCHEMA = """
CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
CREATE TABLE suite (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, file TEXT,
  created_at DATETIME NOT NULL);
CREATE TABLE task (id INTEGER PRIMARY KEY AUTOINCREMENT,
  suite_id INTEGER NOT NULL REFERENCES suite(id) ON DELETE CASCADE, name TEXT NOT NULL, description TEXT,
  held_out BOOLEAN NOT NULL DEFAULT 0, UNIQUE(suite_id, name));
CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE, external_id TEXT NOT NULL,
  prompt TEXT NOT NULL, system TEXT, reference TEXT, UNIQUE(task_id, external_id));
CREATE TABLE model (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL DEFAULT 'imported' CHECK (kind IN ('imported', 'local', 'remote')), spec TEXT);
CREATE TABLE candidate (id INTEGER PRIMARY KEY AUTOINCREMENT,
  model_id INTEGER NOT NULL REFERENCES model(id) ON DELETE CASCADE,
  item_id INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE, output TEXT NOT NULL,
  content_key TEXT NOT NULL, source TEXT NOT NULL CHECK (source IN ('import', 'local', 'remote')),
  settings TEXT, revision INTEGER NOT NULL, created_at DATETIME NOT NULL,
  UNIQUE(model_id, item_id, content_key));
CREATE INDEX candidate_on_item_model ON candidate(item_id, model_id, revision);
CREATE TABLE judgment (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE,
  item_id INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
  model_a_id INTEGER NOT NULL REFERENCES model(id) ON DELETE CASCADE,
  model_b_id INTEGER NOT NULL REFERENCES model(id) ON DELETE CASCADE,
  candidate_a_id INTEGER NOT NULL REFERENCES candidate(id) ON DELETE CASCADE,
  candidate_b_id INTEGER NOT NULL REFERENCES candidate(id) ON DELETE CASCADE,
  position TEXT NOT NULL CHECK (position IN ('ab', 'ba')),
  orders_planned INTEGER NOT NULL CHECK (orders_planned IN (1, 2)),
  template_id TEXT NOT NULL, template_version TEXT NOT NULL, judge_model TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('judge', 'identical')), raw_reply TEXT,
  verdict TEXT CHECK (verdict IS NULL OR verdict IN ('A>>B', 'A>B', 'A=B', 'B>A', 'B>>A')),
  unparsed BOOLEAN NOT NULL DEFAULT 0, latency DOUBLE, prompt_tokens INTEGER, completion_tokens INTEGER,
  cost DOUBLE, error TEXT, created_at DATETIME NOT NULL,
  unparsed_reason TEXT, verdict_probabilities TEXT,
  preference DOUBLE CHECK (preference IS NULL OR (preference >= 0 AND preference <= 1)),
  judge_temperature DOUBLE, judge_max_tokens INTEGER,
  CHECK ((verdict IS NOT NULL) + (unparsed = 1) + (error IS NOT NULL) = 1));
CREATE INDEX judgment_on_item_pair ON judgment(item_id, model_a_id, model_b_id);
CREATE TABLE judge_batch (id INTEGER PRIMARY KEY AUTOINCREMENT, batch_id TEXT NOT NULL UNIQUE,
  input_file_id TEXT NOT NULL, endpoint TEXT NOT NULL, judge_model TEXT NOT NULL, status TEXT NOT NULL,
  keys TEXT NOT NULL, output_file_id TEXT, error_file_id TEXT, errors TEXT, created_at DATETIME NOT NULL,
  collected_at DATETIME);
CREATE TABLE job (id INTEGER PRIMARY KEY AUTOINCREMENT, scope TEXT NOT NULL, key TEXT NOT NULL UNIQUE,
  owner TEXT, lease_until INTEGER, attempts INTEGER NOT NULL DEFAULT 0, finished INTEGER NOT NULL DEFAULT 0);
CREATE INDEX job_to_claim ON job(scope, finished, lease_until);
INSERT INTO grdb_migrations VALUES ('v1-suites-candidates-judgments');
INSERT INTO grdb_migrations VALUES ('v2-logprob-verdicts');
INSERT INTO grdb_migrations VALUES ('v3-judge-sampling-settings');
INSERT INTO grdb_migrations VALUES ('v4-judge-batches');
INSERT INTO grdb_migrations VALUES ('v5-work-leases');
"""

MODELS = [
    ("llama-3-8b-ft-v3", 1.15), ("llama-3-8b-ft-v2", 1.0), ("mistral-7b-sft", 0.9), ("gpt-4", 0.8),
    ("llama-3-8b-ft-v1", 0.55), ("qwen2-7b-dpo", 0.5), ("phi-3-mini-ft", 0.2), ("gemma-7b-it", 0.1),
    ("smollm2-1.7b-ft", -0.1), ("smollm2-greedy", -0.4), ("smollm2-sampled-0.8", -0.6),
    ("smollm2-terse-system", -0.9), ("tinyllama-chat", -1.1), ("llama-3-8b-base", -0.2),
    ("mistral-7b-base", -0.3), ("olmo-7b-ft", 0.0), ("falcon-7b-ft", -0.5), ("stablelm-3b-ft", -0.7),
    ("pythia-2.8b-ft", -1.3), ("opt-2.7b-ft", -1.5),
]
TASKS = [("extraction", False), ("classification", False), ("summarization", False), ("structured-extraction", True)]
PROMPTS = {
    "extraction": "Extract the invoice number, date and total from: \"Invoice #{n}, issued {d} March 2024, total due EUR {t}.00\"",
    "classification": "Classify the sentiment of this review as positive, negative or neutral: \"Order {n}: arrived after {d} days, {t} stars.\"",
    "summarization": "Summarize in one sentence: The council voted {d}-{n} on Tuesday to extend the bike-lane network by {t} km.",
    "structured-extraction": "Return JSON with keys id, day and amount for: \"Ref {n}, day {d}, amount {t}\"",
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="the store file to create (must not exist)")
    ap.add_argument("--judgments", type=int, default=1_000_000, help="judgment rows (two per comparison)")
    ap.add_argument("--models", type=int, default=20, help="number of models (at most %d)" % len(MODELS))
    ap.add_argument("--suite", default="bench")
    ap.add_argument("--days", type=int, default=1, help="spread judgments over this many days (last: 2025-11-25)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--hostile", action="store_true", help="put HTML/Markdown injection into some outputs")
    args = ap.parse_args()
    if os.path.exists(args.out):
        sys.exit(f"report_store: {args.out} exists; remove it or choose another path")
    if not 2 <= args.models <= len(MODELS):
        sys.exit(f"report_store: --models must be in 2...{len(MODELS)}")
    rng = random.Random(args.seed)
    models = MODELS[:args.models]
    pairs = [(a, b) for a in range(len(models)) for b in range(a + 1, len(models))]
    items_needed = max(1, math.ceil(args.judgments / 2 / len(pairs)))

    db = sqlite3.connect(args.out)
    db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;" + SCHEMA)
    created = "2025-11-20 09:00:00.000"
    db.execute("INSERT INTO suite (id, name, file, created_at) VALUES (1, ?, ?, ?)",
               (args.suite, f"suites/{args.suite}.yaml", created))
    for i, (name, _) in enumerate(models):
        db.execute("INSERT INTO model (id, name, kind) VALUES (?, ?, 'imported')", (i + 1, name))
    for t, (name, held) in enumerate(TASKS):
        db.execute("INSERT INTO task (id, suite_id, name, held_out) VALUES (?, 1, ?, ?)", (t + 1, name, int(held)))

    # Items, and one current candidate per (model, item).
    items = []      # (item_id, task index)
    candidates = {} # (model index, item id) -> (candidate id, length)
    cand_rows = []
    next_cand = 1
    for k in range(items_needed):
        t = k % len(TASKS)
        item_id = k + 1
        task = TASKS[t][0]
        prompt = PROMPTS[task].format(n=1000 + k, d=1 + k % 28, t=10 + k % 90)
        db.execute("INSERT INTO item (id, task_id, external_id, prompt, reference) VALUES (?, ?, ?, ?, ?)",
                   (item_id, t + 1, f"{task[:3]}-{k:05d}", prompt, None))
        items.append((item_id, t))
        for m, (name, _) in enumerate(models):
            words = 8 + rng.randrange(60)
            output = f"[{name}] answer to item {k}: " + " ".join(rng.choice(
                ["the", "invoice", "total", "is", "EUR", "date", "March", "positive", "summary", "lane", "km"])
                for _ in range(words))
            if args.hostile and k % 97 == 0:
                output += ' <script>document.title="x"</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) | # h'
            key = hashlib.sha256(f"import\x00{output}".encode()).hexdigest()
            cand_rows.append((next_cand, m + 1, item_id, output, key, "import", None, 1, created))
            candidates[(m, item_id)] = (next_cand, len(output))
            next_cand += 1
    db.executemany("INSERT INTO candidate VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", cand_rows)

    # Judgments: both orders per (item, pair), until the requested count.
    verdict_of = {1: "A>B", -1: "B>A", 0: "A=B"}
    rows = []
    jid = 0
    total_seconds = args.days * 86400
    for item_id, t in items:
        held = TASKS[t][1]
        for a, b in pairs:
            if jid >= args.judgments:
                break
            sa, sb = models[a][1], models[b][1]
            if held and a == 0:
                sa -= 0.9  # the top model overfits: it drops on the held-out task
            ca, la = candidates[(a, item_id)]
            cb, lb = candidates[(b, item_id)]
            # One latent verdict per (item, pair) in canonical terms, from the strengths and a length
            # bias; each order then keeps it, or (position bias) turns towards the answer shown first.
            x = sa - sb + 0.25 * math.tanh((la - lb) / 150)
            p_a = 1 / (1 + math.exp(-x))
            u = rng.random()
            canonical = 1 if u < p_a - 0.04 else (0 if u < p_a + 0.04 else -1)
            strong = canonical != 0 and rng.random() < 0.25
            for position in ("ab", "ba"):
                if jid >= args.judgments:
                    break
                jid += 1
                d = canonical if position == "ab" else -canonical
                r = rng.random()
                if r < 0.10:
                    d = min(1, d + 1)   # first-position bias: one step towards A
                elif r < 0.16:
                    d = max(-1, d - 1)  # noise the other way
                verdict, unparsed, error, raw = None, 0, None, None
                r = rng.random()
                if r < 0.004:
                    unparsed, raw = 1, "Both answers have merits; I cannot decide between them."
                elif r < 0.006:
                    error = "HTTP 503 after 5 attempts"
                else:
                    verdict = verdict_of[d]
                    if d != 0 and strong:
                        verdict = "A>>B" if d == 1 else "B>>A"
                    raw = f"Assistant A is {'more' if d >= 0 else 'less'} complete and accurate.\n\nFinal verdict: [[{verdict}]]"
                created_at = total_seconds * (jid - 1) // max(1, args.judgments)
                day = 25 - args.days + 1 + created_at // 86400
                sec = created_at % 86400
                stamp = f"2025-11-{day:02d} {sec // 3600:02d}:{sec % 3600 // 60:02d}:{sec % 60:02d}.000"
                key = hashlib.sha256(f"{item_id}/{a}/{b}/{position}".encode()).hexdigest()
                pt, ct = (350 + la // 3 + lb // 3, 40 + rng.randrange(80)) if error is None else (None, None)
                cost = None if error else round(pt * 10e-6 + ct * 30e-6, 8)
                rows.append((jid, key, item_id, a + 1, b + 1, ca, cb, position, 2, "pairwise", "2", "gpt-4", "judge",
                             raw, verdict, unparsed, 1.2 if error is None else None, pt, ct, cost, error, stamp,
                             None, None, None, 0.0, 1024))
                if len(rows) >= 50_000:
                    db.executemany("INSERT INTO judgment VALUES (" + ",".join("?" * 27) + ")", rows)
                    rows.clear()
    if rows:
        db.executemany("INSERT INTO judgment VALUES (" + ",".join("?" * 27) + ")", rows)
    db.commit()
    db.execute("PRAGMA journal_mode=DELETE")
    db.close()
    print(f"report_store: {args.out}: {len(models)} models, {len(items)} items, {jid} judgments", file=sys.stderr)


if __name__ == "__main__":
    main()
