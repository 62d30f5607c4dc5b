#!/usr/bin/env python3
"""Reference figures for Rank's agreement and judge-reliability statistics
(Tests/RankTests/Fixtures/agreement/, computed with scikit-learn, scipy and numpy, not by our code).

Run once (not needed by tests):  PY=$(bash scripts/reference/setup.sh); $PY scripts/reference/agreement_reference.py

Writes
- votes.jsonl: seeded votes in MT-Bench's human-judgments shape ({"question_id", "model_a", "model_b",
  "winner", "judge", "turn"}), by three raters: "judge-1" and "judge-2" (one vote per question and pair,
  models in either order) and human voters "expert_0".."expert_2" (zero to three votes per question
  and pair, "tie" and "tie (bothbad)" among them);
- agreement.expected.json: for (judge-1, humans) and (judge-1, judge-2): MT-Bench's agreement with and
  without ties (FastChat's compute_agreement.py rule, written out below), scikit-learn's
  cohen_kappa_score and confusion_matrix over the matched vote pairs, oriented by sorted model names;
- proportions.expected.json: scipy's binomtest(k, n, 0.5) p-value and Wilson 95% interval;
- reliability.jsonl / reliability.expected.json: seeded both-order verdicts of a position-biased judge
  and their consistency, chance consistency, consistency beyond position, first-position and
  longer-answer shares (numpy, from the definitions in Sources/Rank/JudgeReliability.swift).
"""
import json
import pathlib

import numpy as np
from scipy import stats
from sklearn.metrics import cohen_kappa_score, confusion_matrix

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/RankTests/Fixtures/agreement"
MODELS = ["alpaca-13b", "gpt-3.5-turbo", "gpt-4", "vicuna-13b"]
STRENGTH = {"alpaca-13b": -1.0, "gpt-3.5-turbo": 0.6, "gpt-4": 1.4, "vicuna-13b": 0.0}
LABELS = ["model_a", "tie", "model_b"]


# MARK: - votes

def vote(rng, a, b, noise, tie_rate):
    """A noisy rater's winner for a vs b."""
    if rng.random() < tie_rate:
        return "tie (bothbad)" if rng.random() < 0.3 else "tie"
    p = 1 / (1 + np.exp(-(STRENGTH[a] - STRENGTH[b]) / noise))
    return "model_a" if rng.random() < p else "model_b"


def make_votes(rng):
    rows = []
    pairs = [(a, b) for i, a in enumerate(MODELS) for b in MODELS[i + 1:]]
    for q in range(81, 121):
        for a, b in pairs:
            for judge, noise, tie_rate, present in (("judge-1", 0.8, 0.12, 0.9), ("judge-2", 1.5, 0.25, 0.85)):
                if rng.random() < present:
                    x, y = (a, b) if rng.random() < 0.5 else (b, a)
                    rows.append({"question_id": q, "model_a": x, "model_b": y,
                                 "winner": vote(rng, x, y, noise, tie_rate), "judge": judge, "turn": 1})
            for h in range(int(rng.integers(0, 4))):
                x, y = (a, b) if rng.random() < 0.5 else (b, a)
                rows.append({"question_id": q, "model_a": x, "model_b": y,
                             "winner": vote(rng, x, y, 1.0, 0.15), "judge": f"expert_{h}", "turn": 1})
    return rows


def oriented(rows, rater):
    """MT-Bench's get_mt_bench_votes_data: key (question, sorted pair), winner flipped with the pair."""
    out = {}
    for r in rows:
        if not rater(r["judge"]):
            continue
        a, b, w = r["model_a"], r["model_b"], r["winner"]
        if a > b:
            a, b = b, a
            w = {"model_a": "model_b", "model_b": "model_a"}.get(w, w)
        out.setdefault((r["question_id"], a, b), []).append(w)
    return out


def label(w):
    return "tie" if "tie" in w else w


def agreement(rows, first, second):
    x, y = oriented(rows, first), oriented(rows, second)
    matched = sorted(set(x) & set(y))
    # FastChat's get_mt_bench_agreement: every first vote against every second vote on the key.
    with_ties = [0, 0]
    without = [0, 0]
    left, right = [], []
    for k in matched:
        for u in x[k]:
            for v in y[k]:
                left.append(label(u))
                right.append(label(v))
                with_ties[1] += 1
                with_ties[0] += label(u) == label(v)
                if label(u) != "tie" and label(v) != "tie":
                    without[1] += 1
                    without[0] += u == v
    return {
        "matched_keys": len(matched), "only_first": len(set(x) - set(y)), "only_second": len(set(y) - set(x)),
        "vote_pairs": len(left),
        "with_ties": {"agreements": with_ties[0], "total": with_ties[1], "value": with_ties[0] / with_ties[1]},
        "without_ties": {"agreements": without[0], "total": without[1], "value": without[0] / without[1]},
        "kappa": float(cohen_kappa_score(left, right, labels=LABELS)),
        "confusion": confusion_matrix(left, right, labels=LABELS).tolist(),
    }


# MARK: - proportions

def proportions():
    cases = [(0, 10), (10, 10), (60, 100), (526, 1000), (680, 1000), (7, 20), (1, 3), (250, 384), (0, 1)]
    out = []
    for k, n in cases:
        t = stats.binomtest(k, n, 0.5)
        ci = t.proportion_ci(confidence_level=0.95, method="wilson")
        out.append({"successes": k, "trials": n, "p_value": float(t.pvalue),
                    "ci_low": float(ci.low), "ci_high": float(ci.high)})
    return out


# MARK: - reliability

def reliability(rng):
    """A judge that reads the answers a little and favours the first position a lot."""
    rows = []
    for _ in range(300):
        quality = rng.normal(0, 2)          # A's advantage over B
        la, lb = int(rng.integers(20, 400)), int(rng.integers(20, 400))
        def verdict(advantage):
            u = advantage + 0.7 + rng.normal(0, 1.0)   # +0.7: the position bias
            return "first" if u > 0.8 else "second" if u < -0.8 else "tie"
        a_first = verdict(quality)
        b_first = verdict(-quality)
        row = {"a_first": a_first, "b_first": b_first, "length_a": la, "length_b": lb}
        if rng.random() < 0.05:
            row["b_first"] = None           # an unparsed reply
        rows.append(row)
    both = [r for r in rows if r["a_first"] and r["b_first"]]
    canon_a = {"first": 1, "tie": 0, "second": -1}
    canon_b = {"first": -1, "tie": 0, "second": 1}
    agree = np.array([canon_a[r["a_first"]] == canon_b[r["b_first"]] for r in both])
    presented = [r["a_first"] for r in both] + [r["b_first"] for r in both]
    f = presented.count("first") / len(presented)
    s = presented.count("second") / len(presented)
    t = presented.count("tie") / len(presented)
    chance = 2 * f * s + t * t
    consistency = agree.mean()
    calls = [(r["a_first"], True, r) for r in rows] + [(r["b_first"], False, r) for r in rows]
    decisive = [(v, a_shown, r) for v, a_shown, r in calls if v in ("first", "second")]
    first = sum(v == "first" for v, _, _ in decisive)
    longer = sum(((v == "first") == a_shown) == (r["length_a"] > r["length_b"])
                 for v, a_shown, r in decisive if r["length_a"] != r["length_b"])
    with_lengths = sum(1 for _, _, r in decisive if r["length_a"] != r["length_b"])
    return rows, {
        "both_order_pairs": len(both), "agreements": int(agree.sum()), "position_consistency": float(consistency),
        "chance_consistency": chance, "consistency_beyond_position": (consistency - chance) / (1 - chance),
        "position_only_p_value": float(stats.binomtest(int(agree.sum()), len(both), chance, alternative="greater").pvalue),
        "first_position": {"successes": first, "trials": len(decisive),
                           "p_value": float(stats.binomtest(first, len(decisive), 0.5).pvalue)},
        "longer_answer_wins": {"successes": longer, "trials": with_lengths},
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261206)
    rows = make_votes(rng)
    with open(OUT / "votes.jsonl", "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    expected = {
        "judge_vs_humans": agreement(rows, lambda j: j == "judge-1", lambda j: j.startswith("expert")),
        "judge_vs_judge": agreement(rows, lambda j: j == "judge-1", lambda j: j == "judge-2"),
    }
    (OUT / "agreement.expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    (OUT / "proportions.expected.json").write_text(json.dumps(proportions(), indent=1) + "\n")
    pairs, figures = reliability(np.random.default_rng(14))
    with open(OUT / "reliability.jsonl", "w") as f:
        for r in pairs:
            f.write(json.dumps(r) + "\n")
    (OUT / "reliability.expected.json").write_text(json.dumps(figures, indent=1) + "\n")
    for name, e in expected.items():
        print(name, {k: e[k] for k in ("vote_pairs", "kappa")}, e["with_ties"]["value"], e["without_ties"]["value"])
    print("reliability", figures)


if __name__ == "__main__":
    main()
