#!/usr/bin/env python3
"""Independent reference implementation of the ten NeuroScope diagnostics, and the golden fixture.

Follows shared/spec/diagnostics.md (v1) and shared/spec/telemetry-schema.md literally. It does not share
code or reading with the Java job: its purpose is to catch disagreements with the spec.

Run from the repository root:

    python3 jobs/src/test/python/reference.py

It (1) generates a small telemetry fixture with a fixed seed and writes it as JSON lines to
jobs/src/test/resources/golden/telemetry/{runs,layers,epochs,tensors}.jsonl, (2) reads those files back
(so every figure is computed from exactly what a reader of the files sees: float32 tensor values widened
to float64), (3) computes every diagnostic row and writes jobs/src/test/resources/golden/expected.jsonl,
and (4) prints a status summary and any comparison that falls within 1e-9 (relative) of its threshold,
where two correct implementations could legitimately disagree.
"""
import json
import math
import os
import sys
from collections import Counter, defaultdict

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.normpath(os.path.join(HERE, "..", "resources", "golden"))
TELEMETRY = os.path.join(GOLDEN, "telemetry")
SEED = 20260101

DIAGNOSTICS = [
    "dead_neurons", "vanishing_gradients", "exploding_gradients", "activation_saturation", "gradient_snr",
    "weight_update_ratio", "plateau", "overfitting", "weight_health", "learning_progress",
]
HEALTHY, WARNING, CRITICAL, UNKNOWN = "HEALTHY", "WARNING", "CRITICAL", "UNKNOWN"

# ======================================================================================================
# Numeric conventions (spec "Conventions")
# ======================================================================================================

NEAR_TIES = []      # comparisons of computed figures that sit within 1e-9 (relative) of their threshold
_WHERE = [""]


def _watch(a, b):
    a, b = float(a), float(b)
    if math.isfinite(a) and math.isfinite(b) and abs(a - b) <= 1e-9 * max(abs(a), abs(b)):
        NEAR_TIES.append("%s: %r vs threshold %r" % (_WHERE[0], a, b))


def lt(a, b):
    _watch(a, b)
    return a < b


def le(a, b):
    _watch(a, b)
    return a <= b


def gt(a, b):
    _watch(a, b)
    return a > b


def ge(a, b):
    _watch(a, b)
    return a >= b


def mean(x):
    """Population mean; NaN if any element is NaN."""
    return float(np.mean(np.asarray(x, dtype=np.float64)))


def var(x):
    """Population variance (divide by n), two-pass. NaN if it touches NaN (or ±Infinity)."""
    x = np.asarray(x, dtype=np.float64)
    m = np.mean(x)
    return float(np.mean((x - m) ** 2))


def std(x):
    v = var(x)
    return float("nan") if math.isnan(v) else math.sqrt(v)


def rms(x):
    m2 = mean(np.asarray(x, dtype=np.float64) ** 2)
    return float("nan") if math.isnan(m2) else math.sqrt(m2)


def fro(x):
    """Frobenius / L2 norm: sqrt of the sum of squares."""
    x = np.asarray(x, dtype=np.float64)
    return math.sqrt(float(np.sum(x * x)))


def nan_min(xs):
    xs = [float(v) for v in xs]
    return float("nan") if any(math.isnan(v) for v in xs) else min(xs)


def nan_max(xs):
    xs = [float(v) for v in xs]
    return float("nan") if any(math.isnan(v) for v in xs) else max(xs)


def P(mask):
    """P(condition) = satisfying elements / elements (NaN elements satisfy nothing but count)."""
    mask = np.asarray(mask)
    return float(np.count_nonzero(mask)) / float(mask.size)


def slope(y):
    """Least-squares slope of y against x = 0, 1, ..., n-1."""
    y = np.asarray(y, dtype=np.float64)
    n = len(y)
    x = np.arange(n, dtype=np.float64)
    xm = (n - 1) / 2.0
    ym = np.mean(y)
    return float(np.sum((x - xm) * (y - ym)) / np.sum((x - xm) ** 2))


def percentile(x, q):
    """Linear interpolation at position (n-1)*q/100 of the sorted values."""
    x = np.sort(np.asarray(x, dtype=np.float64).ravel())
    if np.isnan(x).any():
        return float("nan")
    pos = (len(x) - 1) * q / 100.0
    lo = int(math.floor(pos))
    hi = min(lo + 1, len(x) - 1)
    frac = pos - lo
    return float(x[lo] + (x[hi] - x[lo]) * frac)


def median(xs):
    xs = [float(v) for v in xs]
    if any(math.isnan(v) for v in xs):
        return float("nan")
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 == 1 else (xs[n // 2 - 1] + xs[n // 2]) / 2.0


def relvar(w):
    return var(w) / (mean(w) ** 2 + 1e-8)


# Status bands, tested in order; a value passing none (NaN) takes the last band.
def band_below(v, h, w):
    if lt(v, h):
        return HEALTHY
    if lt(v, w):
        return WARNING
    return CRITICAL


def band_above(v, h, w):
    if gt(v, h):
        return HEALTHY
    if gt(v, w):
        return WARNING
    return CRITICAL


# ======================================================================================================
# The ten diagnostics. Each takes a Ctx for one (run, epoch) and returns
#   (network_value, network_status, [(layer, value, status), ...])
# ======================================================================================================

class Ctx:
    """Everything one (run, epoch) can see.

    layers: list of layer dicts in forward order; L = len(layers)
    t[kind][layer]: 2-D float64 array (all chunks stacked along rows)
    T, V: train / non-null val loss histories (epochs <= e, last 50)
    train_e, val_e: this epoch's losses (val_e None when null)
    grad_norm_history: global weight-gradient norms of the run's epochs <= e that logged gradients
    """


def hidden(ctx):
    return [l for l in range(ctx.L - 1)]


def activation_family(name):
    n = name.lower()
    if n == "relu":
        return "relu"
    if n == "leaky_relu":
        return "leaky_relu"
    if "relu" in n and ("leaky" in n or "lrelu" in n):
        return "leaky_relu"
    if "relu" in n:
        return "relu"
    return "default"


DEAD_PARAMS = {"relu": (1e-8, 0.90), "leaky_relu": (1e-6, 0.85), "default": (1e-7, 0.85)}


def dead_band(v):
    if gt(v, 30):
        return CRITICAL
    if gt(v, 10):
        return WARNING
    return HEALTHY


# ---- 1. dead_neurons ---------------------------------------------------------------------------------
def dead_neurons(ctx):
    acts = ctx.t["activations"]
    rows, total_dead, total_neurons = [], 0, 0
    for l in hidden(ctx):
        if l not in acts:
            continue
        a = acts[l]
        tol, thr = DEAD_PARAMS[activation_family(ctx.layers[l]["activation"])]
        zero = np.abs(a) <= tol                           # NaN: False
        nsamples, neurons = a.shape
        zero_ratio = zero.sum(axis=0) / float(nsamples)
        dead = int(np.count_nonzero(zero_ratio > thr))    # element-wise on exact ratios
        value = (100.0 * dead) / neurons
        rows.append((l, value, dead_band(value)))
        total_dead += dead
        total_neurons += neurons
    if total_neurons == 0:
        return 0.0, UNKNOWN, rows
    value = (100.0 * total_dead) / total_neurons
    return value, dead_band(value), rows


# ---- 2. vanishing_gradients --------------------------------------------------------------------------
def rms_band(r):
    if lt(r, 1e-7):
        return CRITICAL
    if lt(r, 1e-5):
        return WARNING
    return HEALTHY


def vanishing_gradients(ctx):
    grads = ctx.t["gradients"]
    with_grads = sorted(grads)
    v = {l: var(grads[l]) for l in with_grads}
    r = {l: rms(grads[l]) for l in with_grads}
    rows = [(l, r[l], rms_band(r[l])) for l in with_grads]
    if len(with_grads) < 2:
        return 0.0, UNKNOWN, rows
    hid = [l for l in with_grads if l < ctx.L - 1]          # hidden layers with gradients, forward order
    ratios = []
    for a, b in zip(hid, hid[1:]):                           # consecutive ones in that list
        if le(v[a], 1e-12):
            continue
        ratios.append(v[b] / v[a])                           # output side over input side
    severity = 0.0
    if ratios:
        mr = sum(ratios) / len(ratios)
        if gt(mr, 2):
            severity = min(0.8, (mr - 2) / 8)
    min_rms = nan_min(r.values())
    if lt(min_rms, 1e-7):
        severity = max(severity, 0.7)
    elif lt(min_rms, 1e-5):
        severity = max(severity, 0.4)
    return severity, band_below(severity, 0.15, 0.4), rows


# ---- 3. exploding_gradients --------------------------------------------------------------------------
def exploding_gradients(ctx):
    grads, biases = ctx.t["gradients"], ctx.t["bias_gradients"]
    if not grads:
        return 0.0, UNKNOWN, []
    norms = {l: fro(grads[l]) for l in sorted(grads)}
    sq = 0.0
    for l in sorted(norms):
        sq += norms[l] ** 2
    for l in sorted(biases):                                 # every layer whose bias_gradients were logged
        sq += fro(biases[l]) ** 2
    total = math.sqrt(sq)
    severity = 0.0
    if gt(total, 10):
        severity = min(1.0, (total - 10) / 10)
    elif gt(total, 5):
        severity = 0.6 * (total - 5) / 5
    max_layer = nan_max(norms.values())
    if gt(max_layer, 5):
        severity = min(1.0, severity + min(0.5, (max_layer - 5) / 5))
    if math.isnan(total):
        severity = 1.0
    rows = []
    for l, n in norms.items():
        if math.isnan(n):
            ls = 1.0
        elif gt(n, 5):
            ls = min(0.5, (n - 5) / 5)
        else:
            ls = 0.0
        rows.append((l, n, band_below(ls, 0.1, 0.4)))
    return severity, band_below(severity, 0.1, 0.4), rows


# ---- 4. activation_saturation ------------------------------------------------------------------------
TANH_1_5 = 0.9051482536448664


def layer_saturation(name, x):
    f = name.lower()
    x = x.ravel()
    fam = activation_family(f)
    if f == "tanh":
        extreme = P(x > 0.9) + P(x < -0.9)
    elif f == "sigmoid":
        extreme = P(x > 0.9) + P(x < 0.1)
    elif fam in ("relu", "leaky_relu"):
        extreme = P(x > 10)
    else:
        extreme = 0.8 if lt(percentile(x, 99) - percentile(x, 1), 0.1) else 0.0
    v = var(x)
    if f == "tanh":
        distribution = 0.4 if lt(v, 0.05) else (0.2 if lt(v, 0.1) else 0.0)
    elif f == "sigmoid":
        distribution = 0.4 if lt(v, 0.02) else (0.2 if lt(v, 0.05) else 0.0)
    else:
        distribution = 0.3 if lt(v, 0.01) else 0.0
    if f == "tanh":
        gradient_dead = P(np.abs(x) > TANH_1_5)
    elif f == "sigmoid":
        gradient_dead = P((x < 0.05) | (x > 0.95))
    else:
        gradient_dead = 0.0
    return 0.5 * extreme + 0.3 * distribution + 0.2 * gradient_dead


def activation_saturation(ctx):
    acts = ctx.t["activations"]
    hs = [l for l in hidden(ctx) if l in acts]
    H = len(hs)
    if H == 0:
        return 0.0, UNKNOWN, []
    rows, acc = [], 0.0
    for i, l in enumerate(hs):
        s = layer_saturation(ctx.layers[l]["activation"], acts[l])
        rows.append((l, s, band_below(s, 0.1, 0.25)))
        acc += (1 + (H - i) * 0.1) * s
    value = min(1.0, (acc / H) / 1.5)
    return value, band_below(value, 0.1, 0.25), rows


# ---- 5. gradient_snr ---------------------------------------------------------------------------------
def snr(mags):
    """(value, status) of mean|g| / (std|g| + 1e-10) over the magnitudes mags."""
    if bool(np.all(mags < 1e-10)):
        return 0.0, UNKNOWN
    m = mean(mags)
    if lt(m, 1e-10):
        return 0.0, UNKNOWN
    value = m / (std(mags) + 1e-10)
    return value, band_above(value, 1.5, 0.4)


def gradient_snr(ctx):
    grads = ctx.t["gradients"]
    if not grads:
        return 0.0, UNKNOWN, []
    rows = []
    for l in sorted(grads):
        value, status = snr(np.abs(grads[l].ravel()))
        rows.append((l, value, status))
    allmags = np.concatenate([np.abs(grads[l].ravel()) for l in sorted(grads)])
    value, status = snr(allmags)
    return value, status, rows


# ---- 6. weight_update_ratio --------------------------------------------------------------------------
def wur_band(v):
    if ge(v, 1e-3) and le(v, 1e-2):
        return HEALTHY
    if ge(v, 1e-4) and le(v, 5e-2):
        return WARNING
    return CRITICAL


def weight_update_ratio(ctx):
    W, dW = ctx.t["weights"], ctx.t["weight_updates"]
    rows = []
    for l in sorted(set(W) & set(dW)):
        wn = fro(W[l])
        if not gt(wn, 1e-10):                                # a NaN norm fails this
            continue
        r = fro(dW[l]) / wn
        rows.append((l, r, wur_band(r)))
    if not rows:
        return 0.0, UNKNOWN, []
    value = median([r for _, r, _ in rows])
    return value, wur_band(value), rows


# ---- 7. plateau --------------------------------------------------------------------------------------
def plateau(ctx):
    losses = ctx.T
    n = len(losses)
    if n < 15:
        return 0.0, HEALTHY, []
    score = 0.0
    # method 1
    for window, weight in ((5, 0.2), (10, 0.4), (15, 0.4)):
        w = losses[-window:]
        rv = relvar(w)
        nslope = slope(w) / (w[0] + 1e-8)
        score += weight * ((1 if lt(rv, 1e-4) else 0) + (1 if lt(abs(nslope), 1e-4) else 0)) / 2
    # method 2
    if n >= 20:
        early, recent = losses[n - 20:n - 10], losses[n - 10:n]
        pooled = (var(early) + var(recent)) / 2
        if gt(pooled, 1e-10):
            d = abs(mean(early) - mean(recent)) / math.sqrt(pooled)
            if lt(d, 0.2):
                score += 0.3
            elif lt(d, 0.5):
                score += 0.1
    # method 3
    g = ctx.grad_norm_history[-10:]
    if len(g) >= 5:
        gm = mean(g)
        rg = var(g) / (gm ** 2 + 1e-8)
        if lt(rg, 1e-3) and lt(gm, 1e-3):
            score += 0.25
        elif lt(rg, 1e-2):
            score += 0.15
    # method 4
    if ctx.val_e is not None and len(ctx.V) >= 10:
        rv_v, rv_t = relvar(ctx.V[-10:]), relvar(losses[-10:])
        if lt(rv_v, 1e-3) and lt(rv_t, 1e-3):
            score += 0.2
        elif lt(rv_v, 1e-2) and lt(rv_t, 1e-2):
            score += 0.1
    value = min(1.0, score)
    return value, band_below(value, 0.2, 0.5), []


# ---- 8. overfitting ----------------------------------------------------------------------------------
def overfitting(ctx):
    k = min(len(ctx.V), len(ctx.T))
    V, T = ctx.V[len(ctx.V) - k:], ctx.T[len(ctx.T) - k:]
    if ctx.val_e is None or len(V) < 5:
        return 0.0, UNKNOWN, []
    score = 0.0
    rel = (ctx.val_e - ctx.train_e) / (ctx.train_e + 1e-8)
    if gt(rel, 0.5):
        score += 0.4
    elif gt(rel, 0.2):
        score += 0.25
    elif gt(rel, 0.1):
        score += 0.1
    if len(V) >= 10:
        s = slope(V[-10:])
        if gt(s, 0.01):
            score += 0.35
        elif gt(s, 0.005):
            score += 0.2
        elif gt(s, 0.001):
            score += 0.1
    t5, v5 = T[-5:], V[-5:]
    tt = (t5[-1] - t5[0]) / (t5[0] + 1e-8)
    vt = (v5[-1] - v5[0]) / (v5[0] + 1e-8)
    if lt(tt, -0.01) and gt(vt, 0.01):
        score += 0.25
    elif lt(tt, 0) and gt(vt, 0):
        score += 0.15
    value = min(1.0, score)
    return value, band_below(value, 0.15, 0.4), []


# ---- 9. weight_health --------------------------------------------------------------------------------
def wh_band(v):
    if ge(v, 0.8):
        return HEALTHY
    if ge(v, 0.5):
        return WARNING
    return CRITICAL


def weight_health(ctx):
    W = ctx.t["weights"]
    rows = []
    for l in sorted(W):
        w = W[l]
        fan_in = ctx.layers[l]["fan_in"]
        ref = math.sqrt(2 / (fan_in + 1e-8))                 # He (the default)
        ratio = std(w) / (ref + 1e-8)
        init = 1 if (ge(ratio, 0.5) and le(ratio, 2)) else 0
        dead = 1 if lt(P(np.abs(w) < 1e-8), 0.1) else 0
        finite = 1 if bool(np.all(np.isfinite(w))) else 0
        h = (init + dead + finite) / 3
        rows.append((l, h, wh_band(h)))
    if not rows:
        return 0.0, UNKNOWN, []
    value = sum(h for _, h, _ in rows) / len(rows)
    return value, wh_band(value), rows


# ---- 10. learning_progress ---------------------------------------------------------------------------
def learning_progress(ctx):
    losses = ctx.T
    n = len(losses)
    if n < 5:
        return 0.7, HEALTHY, []
    score = 0.0
    recent = losses[-min(20, n):]
    if len(recent) >= 10:
        if any((not math.isfinite(v)) or v + 1e-8 <= 0 for v in recent):
            score += 0.1
        else:
            s = slope([math.log(v + 1e-8) for v in recent])
            if lt(s, -0.01):
                score += 0.4
            elif lt(s, -0.001):
                score += 0.25
            elif lt(s, 0.001):
                score += 0.1
    last5 = losses[-5:]
    rel = (nan_max(last5) - nan_min(last5)) / (mean(last5) + 1e-8)
    if lt(rel, 0.01):
        score += 0.0
    elif lt(rel, 0.05):
        score += 0.1
    elif lt(rel, 0.2):
        score += 0.3
    else:
        score += 0.1
    if ctx.val_e is not None and len(ctx.V) >= 3:
        rel = (ctx.val_e - ctx.train_e) / (ctx.train_e + 1e-8)
        if lt(rel, 0.3):
            score += 0.3
        elif lt(rel, 0.5):
            score += 0.1
    else:
        score += 0.3 if n < 10 else 0.15
    return score, band_above(score, 0.5, 0.25), []


FUNCS = [dead_neurons, vanishing_gradients, exploding_gradients, activation_saturation, gradient_snr,
         weight_update_ratio, plateau, overfitting, weight_health, learning_progress]
LAYERLESS = {"plateau", "overfitting", "learning_progress"}


# ======================================================================================================
# Reading the telemetry files and computing every row
# ======================================================================================================

def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def load(telemetry_dir):
    runs = read_jsonl(os.path.join(telemetry_dir, "runs.jsonl"))
    layers = defaultdict(list)
    for r in read_jsonl(os.path.join(telemetry_dir, "layers.jsonl")):
        layers[r["run_id"]].append(r)
    for rid in layers:
        layers[rid].sort(key=lambda r: r["layer"])
        assert [r["layer"] for r in layers[rid]] == list(range(len(layers[rid])))
    epochs = defaultdict(list)
    for r in read_jsonl(os.path.join(telemetry_dir, "epochs.jsonl")):
        epochs[r["run_id"]].append(r)
    for rid in epochs:
        epochs[rid].sort(key=lambda r: r["epoch"])
    chunks = defaultdict(list)
    for r in read_jsonl(os.path.join(telemetry_dir, "tensors.jsonl")):
        assert len(r["values"]) == r["rows"] * r["cols"]
        vals = np.array(r["values"], dtype=np.float64)
        assert np.array_equal(vals.astype(np.float32).astype(np.float64), vals, equal_nan=True)
        chunks[(r["run_id"], r["epoch"], r["layer"], r["kind"])].append((r["chunk"], vals.reshape(r["rows"], r["cols"])))
    tensors = defaultdict(lambda: defaultdict(dict))       # (run, epoch) -> kind -> layer -> array
    for (rid, e, l, kind), parts in chunks.items():
        parts.sort(key=lambda p: p[0])
        assert [c for c, _ in parts] == list(range(len(parts)))
        tensors[(rid, e)][kind][l] = np.vstack([a for _, a in parts])
    return runs, layers, epochs, tensors


def compute(runs, layers, epochs, tensors):
    out = []
    for run in sorted(runs, key=lambda r: r["run_id"]):
        rid = run["run_id"]
        hist = epochs[rid]
        grad_norms = []
        for i, er in enumerate(hist):
            e = er["epoch"]
            ctx = Ctx()
            ctx.layers, ctx.L = layers[rid], len(layers[rid])
            ctx.t = {k: dict(tensors[(rid, e)].get(k, {})) for k in
                     ("activations", "gradients", "weights", "weight_updates", "bias_gradients")}
            upto = hist[:i + 1]
            ctx.T = [float(r["train_loss"]) for r in upto][-50:]
            ctx.V = [float(r["val_loss"]) for r in upto if r["val_loss"] is not None][-50:]
            ctx.train_e = float(er["train_loss"])
            ctx.val_e = None if er["val_loss"] is None else float(er["val_loss"])
            if ctx.t["gradients"]:
                grad_norms.append(math.sqrt(sum(float(np.sum(g * g)) for _, g in sorted(ctx.t["gradients"].items()))))
            ctx.grad_norm_history = list(grad_norms)
            for name, fn in zip(DIAGNOSTICS, FUNCS):
                _WHERE[0] = "%s e=%s %s" % (rid, e, name)
                value, status, rows = fn(ctx)
                if status == UNKNOWN:
                    value = 0.0
                out.append(dict(run_id=rid, epoch=e, layer=None, diagnostic=name, value=value, status=status))
                assert not (rows and name in LAYERLESS)
                for l, v, s in rows:
                    out.append(dict(run_id=rid, epoch=e, layer=l, diagnostic=name,
                                    value=0.0 if s == UNKNOWN else v, status=s))
    return out


# ======================================================================================================
# Fixture generation
# ======================================================================================================

RNG = np.random.default_rng(SEED)


def f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32)


def pattern(shape, kind):
    """A random matrix of unit Frobenius norm; kind: gauss | sign (near-constant magnitude) | sparse."""
    if kind == "gauss":
        m = RNG.normal(0, 1, shape)
    elif kind == "sign":
        m = RNG.choice([-1.0, 1.0], shape) * (1 + 0.15 * RNG.normal(0, 1, shape))
    elif kind == "sparse":
        m = RNG.normal(0, 1, shape) * (RNG.random(shape) < 0.2)
        if not m.any():
            m.flat[0] = 1.0
    else:
        raise ValueError(kind)
    return m / np.sqrt(np.sum(m * m))


def with_norm(shape, norm, kind="gauss"):
    return pattern(shape, kind) * norm


def weights_std(shape, std):
    m = RNG.normal(0, 1, shape)
    return m / m.std() * std


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def leaky(z, a=0.01):
    return np.where(z > 0, z, a * z)


def selu(z):
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    return scale * np.where(z > 0, z, alpha * (np.exp(np.minimum(z, 0)) - 1))


def he(fan_in):
    return math.sqrt(2.0 / fan_in)


class Run:
    def __init__(self, run_id, experiment, started_at, params, layers):
        self.run_id, self.experiment, self.started_at, self.params = run_id, experiment, started_at, params
        self.layers = [dict(run_id=run_id, layer=i, name=n, activation=a, fan_in=fi, fan_out=fo)
                       for i, (n, a, fi, fo) in enumerate(layers)]
        self.epochs = []              # dicts
        self.tensors = {}             # (epoch, layer, kind) -> float32 2-D array

    def dims(self, l):
        return self.layers[l]["fan_in"], self.layers[l]["fan_out"]

    def epoch(self, e, train, val):
        self.epochs.append(dict(run_id=self.run_id, epoch=e, train_loss=float(train),
                                val_loss=None if val is None else float(val)))

    def put(self, e, l, kind, arr):
        self.tensors[(e, l, kind)] = f32(arr)

    def grad(self, e, l, norm, kind="gauss"):
        self.put(e, l, "gradients", with_norm(self.dims(l), norm, kind))

    def bias(self, e, l, norm):
        self.put(e, l, "bias_gradients", with_norm((1, self.dims(l)[1]), norm))

    def weights(self, e, l, std_factor, update_ratio=None):
        """Weights with std = std_factor x He std; updates with |dW| = update_ratio x |W|."""
        w = weights_std(self.dims(l), std_factor * he(self.dims(l)[0]))
        self.put(e, l, "weights", w)
        if update_ratio is not None:
            self.put(e, l, "weight_updates", with_norm(w.shape, update_ratio * np.sqrt(np.sum(w * w))))
        return w


def run_healthy():
    """exp mlp-sweep: relu/relu/tanh/softmax, decreasing losses, tensors on most epochs."""
    r = Run("mlp-relu-healthy", "mlp-sweep", "2026-01-05T09:00:00Z",
            {"learning_rate": "0.01", "optimizer": "adam", "batch_size": "64", "hidden_activation": "relu",
             "init": "he"},
            [("fc1", "relu", 8, 10), ("fc2", "relu", 10, 8), ("fc3", "tanh", 8, 6), ("out", "softmax", 6, 4)])
    ns = 16
    for e in range(28):
        train = 0.3 + 2.0 * math.exp(-0.12 * e) + 0.01 * RNG.normal()
        val = None if e in (3, 11) else train * 1.06 + 0.02
        r.epoch(e, train, val)
        if e in (5, 17):
            continue                                          # no tensors at all
        scale = train
        for l, n in enumerate((0.3, 0.3, 0.3, 0.5)):
            if e == 13 and l == 2:
                r.put(e, l, "gradients", np.zeros(r.dims(l)))  # frozen layer: all-zero gradient
            else:
                r.grad(e, l, n * scale, "sign")
            if e % 2 == 0:
                r.bias(e, l, 0.05 * scale)
        if e == 9:
            continue                                          # gradients only
        z0 = RNG.normal(0.3, 1.0, (ns, 10))
        if e >= 24:
            z0[:, 0] = -np.abs(z0[:, 0]) - 0.1                 # neuron 0 dead -> 10% (not > 10)
        r.put(e, 0, "activations", np.maximum(z0, 0))
        z1 = RNG.normal(0.2, 1.0, (ns, 8))
        if e >= 20:
            z1[:, 3] = -1.0                                   # neuron 3 dead -> 12.5%
        r.put(e, 1, "activations", np.maximum(z1, 0))
        sigma = 0.8 if e < 18 else 0.8 + (e - 17) * 0.5      # tanh saturates late
        r.put(e, 2, "activations", np.tanh(RNG.normal(0, sigma, (ns, 6))))
        if e % 4 == 0:
            r.put(e, 3, "activations", RNG.dirichlet(np.ones(4), ns))  # output layer: no rows
        if e % 2 == 1 and e > 4 and e != 13:
            continue                                          # weights on even epochs (and 0..4, 13) only
        for l in range(4):
            ratio = 0.02 if e < 4 else 0.003
            if e == 13 and l == 2:
                w = r.weights(e, l, 1.0)
                r.put(e, l, "weight_updates", np.zeros(w.shape))
            else:
                r.weights(e, l, 1.0, ratio)
    return r


def run_plateau():
    """exp mlp-sweep: sigmoid/sigmoid/selu/linear, flat loss, vanishing gradients; epochs 0,2,...,52."""
    r = Run("mlp-sigmoid-plateau", "mlp-sweep", None,
            {"learning_rate": "0.001", "optimizer": "sgd", "batch_size": "32", "hidden_activation": "sigmoid",
             "init": "xavier"},
            [("fc1", "sigmoid", 8, 8), ("fc2", "sigmoid", 8, 8), ("fc3", "selu", 8, 6), ("out", "linear", 6, 2)])
    ns = 12
    for k in range(27):
        e = 2 * k
        train = 0.69 + 0.25 * math.exp(-0.8 * k) + 0.0006 * RNG.normal()
        val = None if k in (5, 15) else train + 0.012 + 0.0006 * RNG.normal()
        r.epoch(e, train, val)
        if k == 3:
            continue                                          # no tensors
        if k != 4:                                            # k == 4: weights only
            G = 1e-2 * 10 ** (-k / 12) if k < 16 else 2e-4 * (1 + 0.004 * RNG.normal())
            if k == 26:
                G = 1e-5
            b = 1.0 if k < 9 else (0.54 if k < 15 else 0.24)
            a = 0.8
            for l, n in enumerate((G * a * b * b, G * a * b, G * a, G)):
                r.grad(e, l, n, "sparse" if k % 3 else "gauss")
        # activations
        sigma = 1.0 + 7.0 * k / 26
        for l in (0, 1):
            z = RNG.normal(0, sigma, (ns, 8))
            if k >= 20 and l == 0:
                z[:, 2:4] = -20.0                             # two neurons stuck near 0 (default family)
            r.put(e, l, "activations", sigmoid(z))
        if k >= 18:
            r.put(e, 2, "activations", 0.3 + 0.004 * RNG.normal(0, 1, (ns, 6)))   # narrow range
        else:
            r.put(e, 2, "activations", selu(RNG.normal(0, 1, (ns, 6))))
        ratio = 0.002 if k < 10 else (0.0004 if k < 20 else 2e-5)
        for l in range(4):
            factor = 0.7
            if (k >= 20 and l == 0) or (k >= 24 and l == 1):
                factor = 0.2
            r.weights(e, l, factor, ratio)
    return r


def run_overfit():
    """exp mlp-sweep: relu/selu/linear, val rises while train falls, growing dead neurons."""
    r = Run("mlp-overfit", "mlp-sweep", "2026-01-06T14:30:00Z",
            {"learning_rate": "0.005", "optimizer": "adam", "batch_size": "16", "hidden_activation": "relu",
             "init": "he", "dropout": "0.0"},
            [("fc1", "relu", 6, 10), ("fc2", "selu", 10, 6), ("out", "linear", 6, 1)])
    ns = 16
    for e in range(24):
        train = 0.05 + 1.5 * math.exp(-0.15 * e) + 0.003 * RNG.normal()
        val = 0.4 + 1.2 * math.exp(-0.3 * e) + 0.03 * max(0, e - 8) + 0.003 * RNG.normal()
        r.epoch(e, train, None if e in (0, 1, 14) else val)
        ndead = e // 3
        dead_cols = list(range(ndead))
        if e % 2 == 0:
            z = RNG.normal(0.5, 1.0, (ns, 10))
            z[:, dead_cols] = -1.0
            if ndead >= 2:
                z[0, dead_cols[-1]] = 0.7                      # 15/16 zeros: still dead (> 0.90)
                z[3, dead_cols[-1]] = 3e-9                     # <= 1e-8: counts as zero
            z[:, 9] = -1.0
            z[:2, 9] = 0.5                                     # 14/16 zeros: not dead
            if e >= 16:
                z[:, 8] = 12.0 + RNG.random(ns)                # relu extreme: P(x > 10)
            act = np.maximum(z, 0)
            act[act == 0] = 0.0
            r.put(e, 0, "activations", act)
            if e == 12:
                r.put(e, 1, "activations", -0.2 + 0.005 * RNG.normal(0, 1, (ns, 6)))
            else:
                r.put(e, 1, "activations", selu(RNG.normal(0, 1, (ns, 6))))
        if e <= 20:
            n0, n1 = (0.3, 0.3) if e < 12 else ((0.2, 0.4) if e < 18 else (0.1, 0.5))
            g0 = with_norm(r.dims(0), n0, "gauss")
            if e % 2 == 0:
                g0[:, dead_cols] = 0.0
            r.put(e, 0, "gradients", g0)
            r.grad(e, 1, n1, "gauss" if e % 5 else "sign")
            r.grad(e, 2, 0.2, "gauss")
            if e in (6, 7, 8):
                for l in range(3):
                    r.bias(e, l, 0.05)
        if e >= 4:
            ratios = {4: (0.02, 0.004, 0.08), 8: (5e-5, 2e-5, 0.001), 12: (0.003, 0.004, 0.006),
                      16: (0.2, 0.3, 0.001), 20: (0.0004, 0.02, 0.0002)}.get(e, (None, None, None))
            for l in range(3):
                factor = 1.0 if e < 16 else (2.6 if l < 2 else 1.0)
                w = r.weights(e, l, factor, ratios[l])
                if e >= 20 and l == 0:
                    w = w.copy()
                    w.flat[::6] = 0.0                          # >= 10% exact zeros
                    r.put(e, l, "weights", w)
                if e == 22 and l == 2:
                    w = w.copy()
                    w[1, 0] = np.inf
                    r.put(e, l, "weights", w)
    return r


def run_diverge():
    """exp cnn-lr-sweep: LeakyReLU/relu/tanh/linear; gradients explode, loss becomes Infinity/NaN."""
    r = Run("cnn-diverge", "cnn-lr-sweep", "2026-01-07T08:00:00Z",
            {"learning_rate": "0.5", "optimizer": "sgd", "batch_size": "128", "hidden_activation": "leaky_relu",
             "init": "he", "momentum": "0.9"},
            [("conv1", "LeakyReLU", 9, 8), ("conv2", "relu", 8, 8), ("fc", "tanh", 8, 6), ("out", "linear", 6, 3)])
    ns = 16
    totals = [1.0, 1.0, 0.9, 0.9, 1.0, 1.1, 1.2, 1.5, 2.5, 3.5, 4.5, 6.2, 7.5, 8.0, 9.5, 12.0, 16.0, 25.0,
              60.0, 80.0, 200.0, 400.0]
    for e in range(22):
        if e < 8:
            train = 2.3 - 0.05 * e + 0.01 * RNG.normal()
        else:
            train = 1.95 * 1.45 ** (e - 8)
        train = {18: math.inf, 19: math.nan, 20: math.nan, 21: math.inf}.get(e, train)
        if e < 8:
            val = train + 0.05
        elif e <= 16:
            val = 1.6 * train + 0.2
        else:
            val = None
        if e == 4:
            val = None
        r.epoch(e, train, val)
        # gradients
        t = totals[e]
        shares = (0.2, 0.5, 0.2, 0.1)
        if e == 12:
            shares = (0.25, 0.25, 0.25, 0.25)
        if e == 13:
            shares = (0.2, 0.5625, 0.137, 0.1)
        kind = "sign" if e < 10 else "gauss"
        for l in range(4):
            if e == 7 and l == 1:
                continue                                       # hidden layer 1 without gradients
            if e == 12 and l == 3:
                continue                                       # output: bias gradient only
            g = with_norm(r.dims(l), t * math.sqrt(shares[l]), kind)
            if e == 19 and l == 1:
                g[2, 3] = np.nan
            r.put(e, l, "gradients", g)
            if e >= 10:
                r.bias(e, l, 0.1 * t / 4)
        if e == 12:
            r.bias(e, 3, 0.3)
        # activations
        if e not in (3, 15):
            z0 = RNG.normal(0, 1, (ns, 8))
            a0 = leaky(z0)
            ndead = 0 if e < 10 else (1 if e < 14 else 3)
            for j in range(ndead):
                a0[:14, j] = 5e-7 * RNG.choice([-1.0, 1.0], 14)   # |x| <= 1e-6: zero for leaky_relu
            r.put(e, 0, "activations", a0)
            s1 = 1.0 if e < 12 else 1.0 + (e - 11) * 2.0
            a1 = np.maximum(RNG.normal(0.5, s1, (ns, 8)), 0)
            if e == 18:
                a1[5, 2] = np.inf
            r.put(e, 1, "activations", a1)
            s2 = 0.2 if e < 2 else (0.6 if e < 12 else 0.6 + (e - 11) * 1.0)
            a2 = np.tanh(RNG.normal(0, s2, (ns, 6)))
            if e == 19:
                a2[7, 1] = np.nan
            r.put(e, 2, "activations", a2)
        # weights
        ratio = 0.006 if e < 9 else (0.03 if e < 13 else 0.12)
        for l in range(4):
            factor = 1.0 if e < 14 else (1.5 if e < 16 else 3.0)
            w = r.weights(e, l, factor, ratio)
            if e == 20 and l == 1:
                w = w.copy()
                w[4, 4] = np.inf
                r.put(e, l, "weights", w)
    return r


def run_single():
    """exp cnn-lr-sweep: one layer (no hidden layers); epochs 0..9, 12..27; sparse validation."""
    r = Run("cnn-single", "cnn-lr-sweep", "2026-01-08T10:15:00Z",
            {"learning_rate": "0.05", "optimizer": "sgd", "batch_size": "256", "init": "zeros"},
            [("logreg", "softmax", 10, 3)])
    epochs = list(range(10)) + list(range(12, 28))
    for e in epochs:
        train = 0.6 + 0.5 * math.exp(-0.05 * e) + 0.002 * RNG.normal()
        val = train * 1.22 + 0.01 if e % 3 == 0 else None
        r.epoch(e, train, val)
        if e in (0, 1):
            continue
        norm = 0.05 * (1 + 0.02 * RNG.normal())
        if e == 22:
            norm = 3e-12
        r.grad(e, 0, norm, "sign" if e % 4 == 0 else "gauss")
        if e % 5 == 0:
            r.bias(e, 0, 0.01)
        if e == 2:
            r.put(e, 0, "weights", np.zeros(r.dims(0)))
            r.put(e, 0, "weight_updates", with_norm(r.dims(0), 0.01))
        else:
            r.weights(e, 0, 0.9, 0.004 if e < 20 else 0.0008)
        if e % 6 == 0:
            r.put(e, 0, "activations", RNG.dirichlet(np.ones(3), 12))
    return r


def chunk_sizes(rows):
    n = 1 if rows < 4 else int(RNG.choice([1, 1, 2, 3]))
    if n == 1:
        return [rows]
    cuts = sorted(RNG.choice(np.arange(1, rows), n - 1, replace=False).tolist())
    return [b - a for a, b in zip([0] + cuts, cuts + [rows])]


def dump(obj):
    return json.dumps(obj, allow_nan=True)


def write_fixture(runs):
    os.makedirs(TELEMETRY, exist_ok=True)
    with open(os.path.join(TELEMETRY, "runs.jsonl"), "w") as f:
        for r in runs:
            f.write(dump(dict(run_id=r.run_id, experiment=r.experiment, started_at=r.started_at,
                              params=r.params)) + "\n")
    with open(os.path.join(TELEMETRY, "layers.jsonl"), "w") as f:
        for r in runs:
            for l in r.layers:
                f.write(dump(l) + "\n")
    with open(os.path.join(TELEMETRY, "epochs.jsonl"), "w") as f:
        for r in runs:
            for e in r.epochs:
                f.write(dump(e) + "\n")
    kinds = ["activations", "gradients", "weights", "weight_updates", "bias_gradients"]
    with open(os.path.join(TELEMETRY, "tensors.jsonl"), "w") as f:
        for r in runs:
            for (e, l, kind) in sorted(r.tensors, key=lambda k: (k[0], k[1], kinds.index(k[2]))):
                arr = r.tensors[(e, l, kind)]
                start = 0
                for c, rows in enumerate(chunk_sizes(arr.shape[0])):
                    part = arr[start:start + rows]
                    start += rows
                    values = [float(v) for v in part.ravel()]      # float32 widened: repr round-trips
                    f.write(dump(dict(run_id=r.run_id, epoch=e, layer=l, kind=kind, chunk=c,
                                      rows=int(part.shape[0]), cols=int(part.shape[1]), values=values)) + "\n")


def write_expected(rows):
    with open(os.path.join(GOLDEN, "expected.jsonl"), "w") as f:
        for r in rows:
            f.write(dump(r) + "\n")


def summary(rows):
    print("%-24s %-8s %8s %8s %8s %8s" % ("diagnostic", "rows", HEALTHY, WARNING, CRITICAL, UNKNOWN))
    for d in DIAGNOSTICS:
        for scope, pick in (("network", lambda r: r["layer"] is None), ("layer", lambda r: r["layer"] is not None)):
            c = Counter(r["status"] for r in rows if r["diagnostic"] == d and pick(r))
            if sum(c.values()):
                print("%-24s %-8s %8d %8d %8d %8d" % (d, scope, c[HEALTHY], c[WARNING], c[CRITICAL], c[UNKNOWN]))


def main():
    with np.errstate(all="ignore"):
        runs = [run_healthy(), run_plateau(), run_overfit(), run_diverge(), run_single()]
        write_fixture(runs)
        rows = compute(*load(TELEMETRY))
    write_expected(rows)
    net = sum(1 for r in rows if r["layer"] is None)
    print("expected rows: %d (network %d, layer %d)" % (len(rows), net, len(rows) - net))
    summary(rows)
    if NEAR_TIES:
        print("\ncomparisons within 1e-9 of their threshold:")
        for t in NEAR_TIES:
            print("  " + t)
    return 0


if __name__ == "__main__":
    sys.exit(main())
