#!/usr/bin/env python3
"""Reference Bradley-Terry fits for Tests/RankTests/Fixtures/rank/ (choix + scipy).

Run once (not needed by tests):  PY=$(bash scripts/reference/setup.sh); $PY scripts/reference/rank_reference.py [mle]
(`mle` writes only the unpenalized fits, mle*.json*, leaving the others as they are).

Writes, for each dataset, <name>.jsonl (battles, Chatbot Arena format plus our "strong" and
"length_a"/"length_b" fields) and <name>.expected.json (reference log-strengths theta, Elo
ratings centered on 1000, Davidson nu or length beta, log-likelihood), and correlation.json
(scipy's Kendall tau-b and Spearman rho).

The objective mirrors Rank's exactly (see Sources/Rank/BradleyTerry.swift):
    minimize  -sum_k w_k log P(outcome_k)  +  alpha * sum(params**2)      (alpha = 0.05)
  ties as half wins:  a tie adds half a win to each side; A>>B counts as `strong` (3) wins;
  Davidson:           P(i) = pi_i/D, P(j) = pi_j/D, P(tie) = nu*sqrt(pi_i pi_j)/D, eta = log nu;
  length control:     logit P(i beats j) = theta_i - theta_j + beta*x,
                      x = ((|A|-|B|)/(|A|+|B|)) / RMS over all comparisons;
  the prior covers theta and eta/beta alike.
The mle* datasets use alpha = 0, the plain maximum likelihood (the gauge fixed by centering theta);
choix checks them with alpha = 0 too.
choix (opt_pairwise, which minimizes alpha*sum(theta**2) + NLL) checks every dataset it can
express: ties and graded wins by replicating (winner, loser) pairs — each count doubled so a tie
becomes one win each way — with alpha doubled to match. Fixtures are written only when choix
and scipy agree.
"""
import json
import math
import pathlib

import choix
import numpy as np
from scipy import optimize, stats

ALPHA = 0.05
STRONG = 3.0
ELO = 400 / math.log(10)
OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/RankTests/Fixtures/rank"


# MARK: - datasets

def simulate(name, rng, n_models, n_battles, tie_rate=0.0, strong_rate=0.0, bothbad_share=0.3,
             spread=1.0, with_tasks=False, lengths=False, length_effect=0.0):
    models = [f"{name}-m{k:02d}" for k in range(n_models)]
    theta = rng.normal(0, spread, n_models)
    rows = []
    for _ in range(n_battles):
        i, j = rng.choice(n_models, 2, replace=False)
        la = lb = None
        x = 0.0
        if lengths:
            la, lb = int(rng.integers(50, 800)), int(rng.integers(50, 800))
            x = (la - lb) / (la + lb)
        p = 1 / (1 + math.exp(-(theta[i] - theta[j] + length_effect * x)))
        u = rng.random()
        row = {"model_a": models[i], "model_b": models[j]}
        if u < tie_rate:
            row["winner"] = "tie (bothbad)" if rng.random() < bothbad_share else "tie"
        else:
            row["winner"] = "model_a" if rng.random() < p else "model_b"
            if rng.random() < strong_rate:
                row["strong"] = True
        if with_tasks:
            row["task"] = ["code", "math", "writing"][int(rng.integers(0, 3))]
        if lengths:
            row["length_a"], row["length_b"] = la, lb
        rows.append(row)
    return rows


def unbeaten(rng):
    """m-top never loses; m-bottom never wins; the rest play normally."""
    models = ["top", "bottom", "a", "b", "c"]
    rows = []
    for _ in range(120):
        i, j = rng.choice(5, 2, replace=False)
        mi, mj = models[i], models[j]
        if "top" in (mi, mj):
            winner = "model_a" if mi == "top" else "model_b"
        elif "bottom" in (mi, mj):
            winner = "model_b" if mi == "bottom" else "model_a"
        else:
            winner = "model_a" if rng.random() < 0.5 else "model_b"
        rows.append({"model_a": mi, "model_b": mj, "winner": winner})
    return rows


# MARK: - data to arrays

def arrays(rows, ties):
    models = sorted({r["model_a"] for r in rows} | {r["model_b"] for r in rows})
    idx = {m: k for k, m in enumerate(models)}
    a = np.array([idx[r["model_a"]] for r in rows])
    b = np.array([idx[r["model_b"]] for r in rows])
    wa = np.zeros(len(rows)); wb = np.zeros(len(rows)); t = np.zeros(len(rows))
    for k, r in enumerate(rows):
        w = STRONG if r.get("strong") else 1.0
        if r["winner"] == "model_a":
            wa[k] = w
        elif r["winner"] == "model_b":
            wb[k] = w
        elif ties == "half":
            wa[k] = wb[k] = 0.5
        else:
            t[k] = 1.0
    return models, a, b, wa, wb, t


def length_feature(rows):
    raw = np.array([(r["length_a"] - r["length_b"]) / (r["length_a"] + r["length_b"]) for r in rows])
    rms = math.sqrt(np.mean(raw ** 2))
    return raw / rms, rms


# MARK: - scipy fits

def newton_polish(f, grad, x, steps=20, gauge=0):
    """Newton steps with a central-difference Hessian of the analytic gradient.

    gauge = n (unpenalized fits): the first n parameters only matter through their differences, so the
    Hessian is singular along their common shift; the least-squares solve takes the minimum-norm step,
    and theta is centered at the end."""
    h = 1e-6
    for _ in range(steps):
        g = grad(x)
        if np.max(np.abs(g)) < 1e-12:
            break
        H = np.empty((len(x), len(x)))
        for k in range(len(x)):
            e = np.zeros(len(x)); e[k] = h
            H[:, k] = (grad(x + e) - grad(x - e)) / (2 * h)
        H = (H + H.T) / 2
        x = x - (np.linalg.lstsq(H, g, rcond=1e-12)[0] if gauge else np.linalg.solve(H, g))
    if gauge:
        x = x.copy(); x[:gauge] -= x[:gauge].mean()
    return x


def fit_logistic(n, a, b, wa, wb, x=None, alpha=ALPHA):
    """Half-win BT (optionally with a covariate): params theta (n) [+ beta]."""
    p = n + (1 if x is not None else 0)

    def parts(v):
        z = v[a] - v[b] + (v[n] * x if x is not None else 0.0)
        return z

    def f(v):
        z = parts(v)
        return np.sum(wa * np.logaddexp(0, -z) + wb * np.logaddexp(0, z)) + alpha * np.sum(v ** 2)

    def grad(v):
        z = parts(v)
        s = 1 / (1 + np.exp(-z))
        gz = (wa + wb) * s - wa
        g = 2 * alpha * v
        np.add.at(g, a, gz)
        np.add.at(g, b, -gz)
        if x is not None:
            g[n] += np.sum(gz * x)
        return g

    res = optimize.minimize(f, np.zeros(p), jac=grad, method="BFGS", options={"gtol": 1e-11, "maxiter": 10000})
    v = newton_polish(f, grad, res.x, gauge=n if alpha == 0 else 0)
    assert np.max(np.abs(grad(v))) < 1e-9, np.max(np.abs(grad(v)))
    ll = -(f(v) - alpha * np.sum(v ** 2))
    return v, ll


def fit_davidson(n, a, b, wa, wb, t, alpha=ALPHA):
    """Davidson's tie model, written from the probabilities; params theta (n) + eta."""

    def logp(v):
        pa, pb = np.exp(v[a]), np.exp(v[b])
        tie = np.exp(v[n]) * np.sqrt(pa * pb)
        d = pa + pb + tie
        return np.log(pa / d), np.log(pb / d), np.log(tie / d)

    def f(v):
        la, lb, lt = logp(v)
        return -np.sum(wa * la + wb * lb + t * lt) + alpha * np.sum(v ** 2)

    def grad(v):
        pa, pb = np.exp(v[a]), np.exp(v[b])
        tie = np.exp(v[n]) * np.sqrt(pa * pb)
        d = pa + pb + tie
        tot = wa + wb + t
        # d(-ll)/d theta_a = -(wa + t/2) + tot * (pa + tie/2)/d ; symmetric for b; eta: -t + tot*tie/d
        ga = -(wa + t / 2) + tot * (pa + tie / 2) / d
        gb = -(wb + t / 2) + tot * (pb + tie / 2) / d
        g = 2 * alpha * v
        np.add.at(g, a, ga)
        np.add.at(g, b, gb)
        g[n] += np.sum(-t + tot * tie / d)
        return g

    share = t.sum() / (wa.sum() + wb.sum() + t.sum())
    v0 = np.zeros(n + 1); v0[n] = math.log(2 * share / (1 - share))
    res = optimize.minimize(f, v0, jac=grad, method="BFGS", options={"gtol": 1e-11, "maxiter": 10000})
    v = newton_polish(f, grad, res.x, gauge=n if alpha == 0 else 0)
    assert np.max(np.abs(grad(v))) < 1e-9, np.max(np.abs(grad(v)))
    ll = -(f(v) - alpha * np.sum(v ** 2))
    return v, ll


# MARK: - choix cross-check

def choix_fit(rows, models, alpha=ALPHA):
    """choix.opt_pairwise on replicated pairs; each count doubled (ties -> one win each way)."""
    idx = {m: k for k, m in enumerate(models)}
    pairs = []
    for r in rows:
        i, j = idx[r["model_a"]], idx[r["model_b"]]
        w = int(2 * (STRONG if r.get("strong") else 1))
        if r["winner"] == "model_a":
            pairs += [(i, j)] * w
        elif r["winner"] == "model_b":
            pairs += [(j, i)] * w
        else:
            pairs += [(i, j), (j, i)]
    if alpha == 0:
        # Unpenalized, choix's Newton-CG stops with a gradient of ~1e-5; its iterative Luce spectral
        # ranking (Maystre & Grossglauser 2015) converges to the MLE itself.
        params = choix.ilsr_pairwise(len(models), pairs, alpha=0.0, tol=1e-13, max_iter=10000)
    else:
        params = choix.opt_pairwise(len(models), pairs, alpha=2 * alpha, method="Newton-CG", tol=1e-13)
    return params - params.mean()


# MARK: - output

def write(name, rows, ties, control=None, note="", alpha=ALPHA):
    models, a, b, wa, wb, t = arrays(rows, ties)
    n = len(models)
    out = {"dataset": name, "note": note, "ties": ties, "control": control, "prior": alpha,
           "strong_win_weight": STRONG, "models": models}
    if ties == "davidson":
        v, ll = fit_davidson(n, a, b, wa, wb, t, alpha=alpha)
        out["tie_parameter"] = math.exp(v[n])
    elif control == "length":
        x, rms = length_feature(rows)
        v, ll = fit_logistic(n, a, b, wa, wb, x, alpha=alpha)
        out["length_coefficient"] = v[n]
        out["length_scale"] = rms
    else:
        v, ll = fit_logistic(n, a, b, wa, wb, alpha=alpha)
        ref = choix_fit(rows, models, alpha=alpha)
        gap = np.max(np.abs(ref - v[:n]))
        assert gap < 1e-7, f"{name}: choix and scipy disagree by {gap}"
        out["choix_max_abs_gap"] = gap
    theta = v[:n]
    out["theta"] = list(theta)
    out["elo"] = list(1000 + ELO * (theta - theta.mean()))
    out["log_likelihood"] = ll
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / f"{name}.jsonl", "w") as fh:
        for r in rows:
            fh.write(json.dumps(r) + "\n")
    with open(OUT / f"{name}.expected.json", "w") as fh:
        json.dump(out, fh, indent=1)
    print(f"{name}: {len(rows)} battles, {n} models, ll {ll:.6f}")


def correlations(rng):
    cases = []
    for k in range(6):
        n = int(rng.integers(5, 15))
        x = rng.normal(size=n)
        y = x + rng.normal(scale=1.0, size=n)
        if k >= 3:   # with ties
            x = np.round(x); y = np.round(y)
        tau = stats.kendalltau(x, y).statistic
        rho = stats.spearmanr(x, y).statistic
        cases.append({"x": list(x), "y": list(y), "kendall_tau_b": tau, "spearman_rho": rho})
    with open(OUT / "correlation.json", "w") as fh:
        json.dump(cases, fh, indent=1)
    print(f"correlation: {len(cases)} cases")


def unpenalized():
    """The plain maximum-likelihood fits (alpha = 0), from their own seed so the others stay as they are."""
    rng = np.random.default_rng(20261206)
    write("mle", simulate("ml", rng, 30, 9000, tie_rate=0.1), "half", alpha=0.0,
          note="9,000 battles, 30 models, no prior: the unpenalized maximum likelihood; choix cross-checked")
    write("mle_davidson", simulate("md", rng, 8, 1500, tie_rate=0.25), "davidson", alpha=0.0,
          note="Davidson tie model, no prior, scipy")
    write("mle_length", simulate("mn", rng, 6, 1200, tie_rate=0.15, lengths=True, length_effect=1.2), "half",
          control="length", alpha=0.0, note="length covariate, no prior, scipy")


def main():
    import sys
    if sys.argv[1:] == ["mle"]:
        return unpenalized()
    rng = np.random.default_rng(20261125)
    write("ties_half", simulate("th", rng, 8, 600, tie_rate=0.25), "half",
          note="ties (some 'tie (bothbad)') count half a win each; choix cross-checked")
    write("graded", simulate("gr", rng, 6, 400, tie_rate=0.1, strong_rate=0.35), "half",
          note="decisive wins (strong: true) count 3 times; choix cross-checked")
    write("unbeaten", unbeaten(rng), "half",
          note="'top' never loses, 'bottom' never wins: finite only thanks to the prior; choix cross-checked")
    write("davidson", simulate("dv", rng, 7, 500, tie_rate=0.3), "davidson",
          note="Davidson tie model, scipy")
    write("length", simulate("ln", rng, 6, 800, tie_rate=0.15, lengths=True, length_effect=1.2), "half",
          control="length", note="length covariate (Arena style control), scipy")
    write("tasks", simulate("tk", rng, 5, 300, tie_rate=0.2, with_tasks=True), "half",
          note="battles with a task field; overall fit (per-task fits are tested against fits of the filtered data)")
    correlations(rng)
    unpenalized()


if __name__ == "__main__":
    main()
