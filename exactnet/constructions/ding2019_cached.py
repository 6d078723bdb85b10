"""Ding et al. (2019): the function-dependent structure for d = n = 1 (Prop. 4, Theorems 3, 4).

Y. Ding, J. Liu, J. Xiong, Y. Shi, "On the universal approximability and
complexity bounds of quantized ReLU neural networks", ICLR 2019,
arXiv:1802.03646, Section 5, Appendix A.4 (Proposition 4), A.5 (Theorem 3,
Figure 5, Table 2) and A.6 (Theorem 4).

The construction, for a 1-Lipschitz f on [0, 1] and an error eps:

1. Proposition 4 moves f to f~: f~(i/T) is f(i/T) rounded *up* to a multiple of
   2^-t / T, and in between f~ chases f^+ (f shifted to the next grid value)
   with slope +-1, then follows it (:func:`transform`, :func:`grid_value`).
2. Theorem 3 interpolates f~ linearly at i/T (f^T; its slopes are integer
   multiples of 2^-t, which is the point of step 1) and adds, on every interval,
   a "cached" piecewise-linear function with m pieces chosen from the 3^m
   patterns of slopes {-2, 0, 2} (after Yarotsky 2017, arXiv:1610.01145,
   Section 4 / Theorem 6's interpolation-and-cached-functions method), with the
   hyper-parameters m = ceil(log(1/eps)/2), t = ceil(log m), delta = 1/(8m),
   T = ceil(8/(eps log(1/eps))) (:func:`hyperparameters`, :func:`cached_net`).

The paper does not fix the base of its logarithms ("we omit base 2", footnote
2, for the bit-width; the hyper-parameters may be read with log_2 or ln), so
:func:`hyperparameters` takes ``base="2"`` or ``base="e"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import networkx as nx

from exactnet.constructions.ding2019 import quantize_weight, weight_net
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Q, QLike, q
from exactnet.pwl import PiecewiseLinear
from exactnet.reals import enclose
from exactnet.targets import Target, as_target, parse_target

__all__ = [
    "BASES",
    "CachedParameters",
    "hyperparameters",
    "grid_value",
    "transform",
    "transform_value",
    "cached_pattern",
    "cached_net",
    "table2_sizes",
    "skeleton_net",
    "split_weight",
    "linear_alphabet",
    "linear_weight_net",
    "quantized_cached_net",
]

BASES = ("2", "e")
"""The two readings of the paper's unspecified logarithm base."""

PAPER = "Ding et al. 2019 (ICLR, arXiv:1802.03646)"
_LOG = parse_target("log(x)").expr


def _ceil(x: Q) -> int:
    return int(-((-x.numerator) // x.denominator))


def _ceil_log(base: str, x: Q, scale: Q = ONE, *, invert: bool = False) -> int:
    """ceil(scale * log_base(x)) or, with `invert`, ceil(scale / log_base(x)), exactly.

    log_2 of a power of two is exact; every other value is irrational (log_2 of a
    rational that is not a power of 2, ln of a rational != 1), so Arb enclosures
    at growing precision separate it from the integers.
    """
    if base == "2" and x.numerator & (x.numerator - 1) == 0 and x.denominator & (x.denominator - 1) == 0:
        v = Q(x.numerator.bit_length() - x.denominator.bit_length())
        if v == 0 and invert:
            raise InvalidArgument("log(1/eps) = 0: eps must be < 1")
        return _ceil(scale / v if invert else scale * v)
    for prec in (128, 512, 2048, 8192):
        box = enclose(_LOG, x, prec=prec)
        if box is None:
            continue
        lo, hi = box
        if base == "2":
            l2 = enclose(_LOG, Q(2), prec=prec)
            assert l2 is not None
            lo, hi = lo / l2[1], hi / l2[0]
        if lo <= 0 <= hi:
            continue
        a, b = (scale / hi, scale / lo) if invert else (scale * lo, scale * hi)
        if _ceil(a) == _ceil(b):
            return _ceil(a)
    raise InvalidArgument(f"could not separate log_{base}({x}) from the integers")


@dataclass(frozen=True, slots=True)
class CachedParameters:
    """The hyper-parameters of Theorem 3 (Appendix A.5) for one eps and one log base.

    Attributes
    ----------
    eps : Q
    base : str
        ``"2"`` or ``"e"``.
    m : int
        ceil(log(1/eps) / 2): pieces of a cached function.
    t : int
        ceil(log m): f~'s grid values are multiples of 2^-t / T.
    delta : Q
        1/(8m) (stated by the paper; see :func:`cached_net`, Notes).
    T : int
        ceil(8 / (eps log(1/eps))): intervals of the linear interpolation.
    """

    eps: Q
    base: str
    m: int
    t: int
    delta: Q
    T: int


def hyperparameters(eps: QLike, *, base: str = "2") -> CachedParameters:
    """Theorem 3's m, t, delta, T for an error eps in (0, 1), computed exactly.

    Examples
    --------
    eps = 1/16, log_2: m = ceil(4/2) = 2, t = ceil(log_2 2) = 1, T = ceil(8/(4/16)) = 32.

    >>> p = hyperparameters("1/16")
    >>> p.m, p.t, str(p.delta), p.T
    (2, 1, '1/16', 32)

    With ln, ln 16 = 2.77...: m = ceil(1.386) = 2, t = ceil(ln 2) = 1,
    T = ceil(128 / 2.77) = 47.

    >>> p = hyperparameters("1/16", base="e")
    >>> p.m, p.t, p.T
    (2, 1, 47)
    """
    e = q(eps)
    if not 0 < e < 1:
        raise InvalidArgument(f"eps={e} must be in (0, 1)")
    if base not in BASES:
        raise InvalidArgument(f"base={base!r}: use one of {BASES}")
    inv = 1 / e
    m = _ceil_log(base, inv, Q(1, 2))
    t = 0 if m == 1 else _ceil_log(base, Q(m))
    T = _ceil_log(base, inv, 8 / e, invert=True)
    return CachedParameters(e, base, m, t, Q(1, 8 * m), T)


def grid_value(fx: QLike, t: int, T: int) -> Q:
    """Proposition 4 (ii): ceil(T f(i/T) / 2^-t) 2^-t / T, f(i/T) rounded up to the grid 2^-t/T.

    Examples
    --------
    >>> print(grid_value("1/3", 1, 2))   # ceil(2 * (1/3) * 2) / 4 = ceil(4/3) / 4
    1/2
    >>> print(grid_value("1/2", 1, 2))   # already on the grid 1/4: unchanged
    1/2
    """
    u = T * 2**t
    return Q(_ceil(q(fx) * u), u)


def _check_tT(t: int, T: int) -> None:
    if not isinstance(t, int) or not isinstance(T, int) or t < 0 or T < 1:
        raise InvalidArgument(f"need integers t >= 0 and T >= 1, got {t=}, {T=}")


def transform(f: PiecewiseLinear, t: int, T: int) -> PiecewiseLinear:
    """Proposition 4's f~ for a piecewise-linear f on [0, 1], by solving its ODE exactly.

    f~(0) is eq. (23); then eq. (24): f~ moves with slope sgn(f^+ - f~) while
    f~ != f^+ and with f's slope once they meet, where on (i/T, (i+1)/T]
    f^+ = f + (grid_value(f((i+1)/T)) - f((i+1)/T)) (eq. (22)).  The solution
    is followed piece by piece; every meeting point is the exact root of a
    linear equation.  Statement (ii) is *not* assumed: each interval starts
    from wherever the previous one ended.

    Parameters
    ----------
    f : PiecewiseLinear
        On [0, 1], 1-Lipschitz (checked).
    t : int, >= 0
    T : int, >= 1

    Examples
    --------
    f = |x - 1/3|, t = 1, T = 2: the grid is 1/4; f(0) = 1/3 -> 1/2,
    f(1/2) = 1/6 -> 1/4, f(1) = 2/3 -> 3/4.

    >>> from exactnet.numbers import Interval
    >>> f = parse_target("abs(x - 1/3)").to_pwl(Interval(0, 1))
    >>> g = transform(f, 1, 2)
    >>> print(g(0), g("1/2"), g(1))
    1/2 1/4 3/4
    >>> [str(x) for x in g.xs]   # chase down at slope -1, meet f^+ at 3/8, follow it
    ['0', '3/8', '1']

    Notes
    -----
    The paper states the ODE for "f in F_{1,1}"; it is solved here for
    piecewise-linear f only (for smooth f the meeting points are roots of
    f(x) + c = v +- x; see :func:`transform_value`).
    """
    _check_tT(t, T)
    if f.xs[0] != 0 or f.xs[-1] != 1:
        raise InvalidArgument(f"f must be given on [0, 1], not {f.domain}")
    if any(abs(s) > 1 for s in f.slopes):
        raise InvalidArgument("f must be 1-Lipschitz (a slope has |s| > 1)")
    xs_f = list(f.xs)
    pts: list[tuple[Q, Q]] = [(ZERO, grid_value(f(0), t, T))]
    v = pts[0][1]
    for i in range(T):
        a, b = Q(i, T), Q(i + 1, T)
        shift = grid_value(f(b), t, T) - f(b)
        cuts = [a] + [x for x in xs_f if a < x < b] + [b]
        following = v == f(a) + shift
        for p, p1 in zip(cuts, cuts[1:]):
            g0, g1 = f(p) + shift, f(p1) + shift
            if following:
                v = g1
                pts.append((p1, v))
                continue
            d = g0 - v  # the gap f^+ - f~ at p, nonzero
            direction = 1 if d > 0 else -1
            rate = (g1 - g0) / (p1 - p) - direction  # d(gap)/dx, of sign -direction or 0
            x_meet = p - d / rate if rate != 0 else None
            if x_meet is not None and x_meet <= p1:
                if x_meet < p1:
                    pts.append((x_meet, f(x_meet) + shift))
                v = g1
                following = True
            else:
                v = v + direction * (p1 - p)
            pts.append((p1, v))
    return PiecewiseLinear.from_points(pts).canonical()


def transform_value(f: Callable[[Q], Q], t: int, T: int, x: QLike) -> Q:
    """f~(x) in closed form for any 1-Lipschitz f (given by exact values f(x)).

    On (a, b] = (i/T, (i+1)/T], with v = grid_value(f(a)) and
    f^+ = f + grid_value(f(b)) - f(b): f~ = min(v + (x - a), f^+) when
    v < f^+(a), max(v - (x - a), f^+) when v > f^+(a), and f^+ otherwise.
    This is the solution of eq. (24) *given* statement (ii) (the chase starts
    at the grid value): f^+ - (v +- (x - a)) is monotone because |f'| <= 1.

    Examples
    --------
    >>> f = parse_target("x^2/2")
    >>> # v = 0, f(1/2) = 1/8 -> 1/4, f^+ = x^2/2 + 1/8: min(0 + 1/4, 1/32 + 1/8)
    >>> print(transform_value(f, 1, 2, "1/4"))
    5/32
    """
    _check_tT(t, T)
    v = q(x)
    if v == 0:
        return grid_value(f(ZERO), t, T)
    i = _ceil(v * T) - 1
    a, b = Q(i, T), Q(i + 1, T)
    start = grid_value(f(a), t, T)
    plus = f(v) + grid_value(f(b), t, T) - f(b)
    plus_a = f(a) + grid_value(f(b), t, T) - f(b)
    if start < plus_a:
        return min(start + (v - a), plus)
    if start > plus_a:
        return max(start - (v - a), plus)
    return plus


def cached_pattern(values: list[Q], m: int) -> tuple[int, ...]:
    """The cached function chosen for one interval: steps e_k in {-1, 0, 1}, k = 1..m.

    `values` are R(k/m), k = 0..m, of the rescaled residual R (R(0) = R(1) = 0,
    2-Lipschitz).  The cached function phi has phi(0) = 0 and
    phi(k/m) = phi((k-1)/m) + 2 e_k / m; e_k is chosen greedily so that
    |phi(k/m) - R(k/m)| <= 1/m at every k, hence phi(1) = 0 (a multiple of 2/m
    within 1/m of R(1) = 0) and |phi - R| <= 3/m on [0, 1].

    Examples
    --------
    m = 2, R(1/2) = 3/4 is more than 1/m = 1/2 above phi = 0: step up to 1, then
    R(1) = 0 is 1 below: step down; R(1/2) = 1/2 is within 1/2: stay flat.

    >>> cached_pattern([Q(0), Q(3, 4), Q(0)], 2), cached_pattern([Q(0), Q(1, 2), Q(0)], 2)
    ((1, -1), (0, 0))
    """
    steps = []
    phi = ZERO
    for k in range(1, m + 1):
        e = 0
        diff = values[k] - phi
        if diff > Q(1, m):
            e = 1
        elif diff < -Q(1, m):
            e = -1
        phi += Q(2 * e, m)
        steps.append(e)
    return tuple(steps)


def _values(f: Target, xs: list[Q]) -> list[Q]:
    """Exact values of an exact target; for a transcendental one, rationals within 2^-200."""
    if f.is_exact:
        return [f(x) for x in xs]
    out = []
    for x in xs:
        box = enclose(f.expr, x, prec=256)
        if box is None:
            raise InvalidArgument(f"target {f.text!r} cannot be evaluated at {x}")
        out.append((box[0] + box[1]) / 2)
    return out


def _grid_values(f: Target, t: int, T: int) -> list[Q]:
    """grid_value(f(i/T)) exactly, also for transcendental f (enclosures refined until the ceiling is decided)."""
    if f.is_exact:
        return [grid_value(f(Q(i, T)), t, T) for i in range(T + 1)]
    out = []
    u = T * 2**t
    for i in range(T + 1):
        for prec in (256, 1024, 4096):
            box = enclose(f.expr, Q(i, T), prec=prec)
            if box is not None and (box[0] == box[1] or _ceil(box[0] * u) == _ceil(box[1] * u)):
                out.append(Q(_ceil(box[1] * u), u))
                break
        else:
            raise InvalidArgument(f"could not round {f.text} at x = {i}/{T} to the grid 1/{u}")
    return out


def _cached_data(target: "Target | str", eps: QLike, base: str) -> tuple[Target, CachedParameters, list[Q], list[Q], list[tuple[int, ...]]]:
    """f, the hyper-parameters, the grid values f~(i/T), f^T's slopes and the cached patterns."""
    f = as_target(target)
    P = hyperparameters(eps, base=base)
    T, m, t = P.T, P.m, P.t
    grid = _grid_values(f, t, T)
    slopes = [T * (grid[i + 1] - grid[i]) for i in range(T)]
    if any(abs(s) > 1 for s in slopes):
        raise InvalidArgument(f"target {f.text!r} is not 1-Lipschitz on the grid 1/{T}")
    sub = [Q(i * m + k, T * m) for i in range(T) for k in range(1, m)]
    exact_f: Callable[[Q], Q]
    if f.is_exact:
        exact_f = f
    else:
        cache: dict[Q, Q] = {}
        pts = sorted({Q(i, T) for i in range(T + 1)} | set(sub))
        cache.update(zip(pts, _values(f, pts)))
        exact_f = cache.__getitem__
    patterns: list[tuple[int, ...]] = []
    for i in range(T):
        R = [ZERO]
        for k in range(1, m):
            x = Q(i * m + k, T * m)
            # the grid values are exact even when f's values are approximations
            ft = _chase(exact_f, grid[i], grid[i + 1], Q(i, T), Q(i + 1, T), x)
            R.append(T * (ft - grid[i]) - slopes[i] * Q(k, m))
        R.append(ZERO)
        patterns.append(cached_pattern(R, m))
    return f, P, grid, slopes, patterns


def cached_net(target: "Target | str", eps: QLike, *, base: str = "2") -> Network:
    """Theorem 3's function-dependent network for a 1-Lipschitz f on [0, 1] (unquantized skeleton).

    f'' = f^T + sum_i phi_i(y_i) / T, where f^T interpolates f~ (Proposition 4)
    at i/T, y_i = relu(T x - i) - relu(T x - i - 1) is the local coordinate of
    interval i, and phi_i is the cached function of :func:`cached_pattern` for
    the rescaled residual R_i(y) = T (f~((i + y)/T) - f^T((i + y)/T)).

    Parameters
    ----------
    target : Target or str
        A 1-Lipschitz function on [0, 1]: polynomial and piecewise-linear
        targets are exact; for a transcendental one (e.g. ``"sin(x)"``) the grid
        values are rounded exactly from Arb enclosures and the cached patterns
        are chosen from 2^-200-accurate values (a choice only: the network is
        exact and its error is decided separately).
    eps : QLike
        The error goal, in (0, 1).
    base : {"2", "e"}
        The base of the paper's logarithms (:func:`hyperparameters`).

    Returns
    -------
    Network
        Input ``x``, output ``y``; depth 3: layer 1 the T units relu(T x - i)
        (shared by f^T and the local coordinates), layer 2 one unit
        relu(y_i - k/m) per nonzero slope change of phi_i, an identity output.
        The metadata records the parameters, the grid values, the slopes of
        f^T, the patterns and the number of distinct patterns.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> net = cached_net("abs(x - 1/3)", "1/16")
    >>> net.metadata["T"], net.metadata["m"], net.metadata["t"]
    (32, 2, 1)
    >>> print(evaluate(net, "1/32")[0])   # f~(1/32): f(1/32) = 29/96 rounded up to 1/64
    5/16

    Notes
    -----
    Departures from the paper (whose Figure 5 is "illustration only, details
    are omitted"):

    * The skeleton uses exact rational weights (T, 1, slopes of f^T, which are
      multiples of 2^-t, and phi's slope changes in {+-2, +-4}).  The quantized
      network of Theorem 3 replaces each weight by Proposition 3's weight
      sub-network; that substitution is not built here.
    * Table 2 shares m 3^m cached units among the T intervals through a
      filter Phi whose details the paper omits; here each interval evaluates
      its cached function itself (up to m - 1 units), so the weight count is
      O(m T) = O(1/eps), which is Theorem 3's order, instead of
      O(T + m 3^m).  The 3^m patterns and their use count are recorded.
    * delta = 1/(8m) is recorded but not used: the paper does not say where it
      enters; the cached functions here have value resolution 2/m.
    """
    f, P, grid, slopes, patterns = _cached_data(target, eps, base)
    T, m, t = P.T, P.m, P.t
    G = nx.DiGraph()
    G.add_node("x")
    G.add_node("y", bias=grid[0], act="identity")
    units = [f"r{i}" for i in range(T)]
    for i, u in enumerate(units):
        G.add_node(u, bias=Q(-i), act="relu")
        G.add_edge("x", u, weight=Q(T))

    def add(src: str, dst: str, w: Q) -> None:
        if w:
            old = G.edges[src, dst]["weight"] if G.has_edge(src, dst) else ZERO
            G.add_edge(src, dst, weight=old + w)

    prev = ZERO
    for i in range(T):  # f^T = grid[0] + sum_i (s_i - s_{i-1}) relu(T x - i) / T
        add(units[i], "y", (slopes[i] - prev) / T)
        prev = slopes[i]
    for i, steps in enumerate(patterns):
        # phi_i(y) = sum_k c_k relu(y - k/m); the k = 0 term is y_i itself (y_i >= 0)
        c_prev = ZERO
        for k, e in enumerate(steps):
            c = Q(2 * e) - c_prev
            c_prev = Q(2 * e)
            if c == 0:
                continue
            src = [(units[i], ONE)] + ([(units[i + 1], -ONE)] if i + 1 < T else [])
            if k == 0:
                for s, w in src:
                    add(s, "y", c * w / T)
                continue
            z = f"z{i}_{k}"
            G.add_node(z, bias=-Q(k, m), act="relu")
            for s, w in src:
                G.add_edge(s, z, weight=w)
            G.add_edge(z, "y", weight=c / T)
    G.remove_edges_from([(u, v) for u, v, w in G.edges(data="weight") if w == 0])
    for n in [n for n in G if n != "x" and n != "y" and G.out_degree(n) == 0]:
        G.remove_node(n)
    return Network.from_graph(
        G,
        ["x"],
        ["y"],
        metadata={
            "construction": "ding2019-function-dependent",
            "paper": PAPER + ", Theorem 3 / Appendix A.5 (after Yarotsky 2017, arXiv:1610.01145)",
            "target": f.text,
            "eps": str(P.eps),
            "base": base,
            "m": m,
            "t": t,
            "delta": str(P.delta),
            "T": T,
            "grid_values": [str(v) for v in grid],
            "interpolation_slopes": [str(s) for s in slopes],
            "patterns_used": len(set(patterns)),
            "patterns_possible": 3**m,
        },
    )


def _chase(f: Callable[[Q], Q], start: Q, end: Q, a: Q, b: Q, x: Q) -> Q:
    """f~(x) on (a, b] from the grid values at a and b (see :func:`transform_value`)."""
    shift = end - f(b)
    plus, plus_a = f(x) + shift, f(a) + shift
    if start < plus_a:
        return min(start + (x - a), plus)
    if start > plus_a:
        return max(start - (x - a), plus)
    return plus


def table2_sizes(P: CachedParameters, lam: int = 2) -> dict[str, dict[str, Q]]:
    """Table 2's block sizes (width, depth) at concrete parameters, logs read in `P.base`.

    Only the integer-valued entries are exact (T, 4T, 3^m, m 3^m, 1, 4); the
    log entries are rounded up (the paper's "log T" is a depth, an integer), and
    lambda t^(1/(lambda-1)) is exact for lambda = 2 (2t) and rounded up otherwise.

    Examples
    --------
    >>> s = table2_sizes(hyperparameters("1/16"))
    >>> str(s["B_fT"]["width"]), str(s["B_f3*"]["width"]), str(s["B_delta"]["depth"])
    ('32', '18', '2')
    """
    T, m, t = P.T, P.m, P.t
    logT = _ceil_log(P.base, Q(T)) if T > 1 else 0
    logm = _ceil_log(P.base, Q(m)) if m > 1 else 0
    if lam == 2:
        wdepth = Q(2 * t)
    else:
        r = 0
        while r ** (lam - 1) < t:
            r += 1
        wdepth = Q(lam * r)
    return {
        "B_T": {"width": Q(logT), "depth": Q(logT)},
        "B_delta": {"width": ONE, "depth": wdepth},
        "B_m": {"width": Q(t), "depth": wdepth},
        "B_fT": {"width": Q(T), "depth": ONE},
        "B_Phi": {"width": Q(4 * T), "depth": ONE},
        "B_s1": {"width": Q(4), "depth": Q(logT)},
        "B_s2": {"width": ONE, "depth": Q(logT)},
        "B_s3": {"width": Q(4), "depth": Q(logm)},
        "B_f1*": {"width": Q(T), "depth": ONE},
        "B_f2*": {"width": Q(3**m), "depth": ONE},
        "B_f3*": {"width": Q(m * 3**m), "depth": ONE},
        "B_f''": {"width": Q(4), "depth": ONE},
    }


# -- Theorems 3 and 4: the quantized network ------------------------------------------------


def split_weight(w: QLike) -> list[Q]:
    """w as a sum of ceil(|w|) pieces in [-1, 1] (Proposition 3 builds weights in [-1, 1] only).

    Every piece but the last is sign(w); so when w is a multiple of 2^-t, every
    piece is.

    Examples
    --------
    >>> [str(v) for v in split_weight("-5/2")], split_weight("0")
    (['-1', '-1', '-1/2'], [])
    """
    v = q(w)
    n = _ceil(abs(v))
    if n == 0:
        return []
    s = ONE if v > 0 else -ONE
    return [s] * (n - 1) + [v - s * (n - 1)]


def skeleton_net(target: "Target | str", eps: QLike, *, base: str = "2") -> Network:
    """Theorem 3's network rescaled so that every weight is a multiple of 2^-t of magnitude <= 6.

    The same function as :func:`cached_net` on [0, 1], written with
    u_i = relu(x - i/T) = relu(T x - i) / T instead of relu(T x - i):
    f'' = f~(0) + sum_i (s_i - s_{i-1}) u_i + sum_{i,k} c_{i,k} z_{i,k}, with
    z_{i,k} = relu(u_i - u_{i+1} - k/(m T)) = relu(y_i - k/m) / T, s_i the slopes
    of f^T (multiples of 2^-t in [-1, 1], Proposition 4) and c_{i,k} the slope
    changes of the cached functions (in {0, +-2, +-4}).  So the weights are
    1 (x -> u_i, u_i -> z), -1 (u_{i+1} -> z) and integer multiples of 2^-t
    in [-6, 6] (into the output); the factors T and 1/T of the paper's scaling
    blocks B_s1, B_s2 (Table 2) move into the biases -i/T and -k/(m T).

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> net = skeleton_net("abs(x - 1/3)", "1/16")
    >>> print(evaluate(net, "1/32")[0])   # as cached_net: f~(1/32) = 5/16
    5/16
    >>> t = net.metadata["t"]
    >>> all((w * 2**t).denominator == 1 and abs(w) <= 6 for _, _, w in net.edges())
    True
    """
    f, P, grid, slopes, patterns = _cached_data(target, eps, base)
    T, m, t = P.T, P.m, P.t
    G = nx.DiGraph()
    G.add_node("x")
    G.add_node("y", bias=grid[0], act="identity")
    units = [f"u{i}" for i in range(T)]
    for i, u in enumerate(units):
        G.add_node(u, bias=-Q(i, T), act="relu")
        G.add_edge("x", u, weight=ONE)
    out: dict[str, Q] = {u: ZERO for u in units}
    prev = ZERO
    for i in range(T):
        out[units[i]] += slopes[i] - prev
        prev = slopes[i]
    for i, steps in enumerate(patterns):
        src = [(units[i], ONE)] + ([(units[i + 1], -ONE)] if i + 1 < T else [])
        c_prev = ZERO
        for k, e in enumerate(steps):
            c = Q(2 * e) - c_prev
            c_prev = Q(2 * e)
            if c == 0:
                continue
            if k == 0:
                for s, w in src:
                    out[s] += c * w
                continue
            z = f"z{i}_{k}"
            G.add_node(z, bias=-Q(k, m * T), act="relu")
            for s, w in src:
                G.add_edge(s, z, weight=w)
            out[z] = Q(c)
    for n, w in out.items():
        if w:
            G.add_edge(n, "y", weight=w)
    _prune(G)
    return Network.from_graph(G, ["x"], ["y"], metadata={
        "construction": "ding2019-function-dependent-skeleton",
        "paper": PAPER + ", Theorem 3 / Appendix A.5 (rescaled: weights multiples of 2^-t)",
        "target": f.text, "eps": str(P.eps), "base": base, "m": m, "t": t, "T": T,
        "patterns_used": len(set(patterns)), "patterns_possible": 3**m,
    })


def _prune(G: nx.DiGraph) -> None:
    """Remove hidden units that reach no output (repeatedly)."""
    while True:
        dead = [n for n in G if n not in ("x", "y") and G.out_degree(n) == 0]
        if not dead:
            return
        G.remove_nodes_from(dead)


def linear_alphabet(lam: int) -> tuple[Q, ...]:
    """The linear-quantization weights of Section 3: -1, 1/lam, 2/lam, ..., (lam-1)/lam.

    Examples
    --------
    >>> [str(v) for v in linear_alphabet(4)]
    ['-1', '1/4', '1/2', '3/4']
    """
    if not isinstance(lam, int) or lam < 2:
        raise InvalidArgument(f"lam must be an integer >= 2, got {lam!r}")
    return (-ONE,) + tuple(Q(k, lam) for k in range(1, lam))


def _log2_exact(lam: int) -> int:
    if not isinstance(lam, int) or lam < 2 or lam & (lam - 1):
        raise InvalidArgument(
            f"lam = {lam!r}: the linear weight network needs lam a power of two >= 2 (for other lam no "
            "product of the weights -1, k/lam equals 1/2: its denominator is a power of lam)")
    return lam.bit_length() - 1


def _factors(e: int, p: int, lam: int) -> list[Q]:
    """2^-e (e >= 1) as a product of ceil(e/p) weights of the linear alphabet, lam = 2^p."""
    qq, r = divmod(e, p)
    return [Q(1, lam)] * qq + ([Q(2 ** (p - r), lam)] if r else [])


def linear_weight_net(w: QLike, lam: int, t: int) -> Network:
    """Theorem 4's weight sub-network: w' (= Prop. 3's w', |w' - w| <= 2^-(t+1)) times x >= 0
    from the linear weights -1, 1/lam, ..., (lam-1)/lam.

    "We still construct W_c in Proposition 3 first and any weight value from
    W_c can be obtained by multiply at most t / log lambda weights. Thus the
    width and depth of the weight approximation network will be t and
    t / log lambda + 1" (Appendix A.3, A.6).

    Parameters
    ----------
    w : rational in [-1, 1]
    lam : int, a power of two >= 2
        lam = 2^p.  For other lam no product of alphabet values is 1/2 (the
        denominator of a product of n of them is lam^n), so W_c cannot be
        built by multiplication: refused.
    t : int, >= 1

    Returns
    -------
    Network
        Input ``x`` (read as x >= 0), output ``y`` = w' x.  One chain per set
        bit k of a = |w'| 2^t, multiplying by 2^-e, e = t - k, as the product of
        ceil(e / p) alphabet values (floor(e/p) times 1/lam, and 2^(p-r)/lam
        for the remainder r); w' = +-1 uses two chains of 2^-1.  Chains are two
        units wide and padded to the common length L = ceil(t / p) with
        identity steps (each unit reads both with 1/lam and (lam-1)/lam); the
        output reads the last pair with 1/lam, (lam-1)/lam (w' > 0) or one
        unit with -1 (w' < 0).  Depth L + 1, width 2 x (#chains) <= 2t.  Biases 0.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> n = linear_weight_net("-5/8", 4, 3)   # 5/8 = 2^-1 + 2^-3: chains (1/2), (1/4 then 1/2)
    >>> print(evaluate(n, "8")[0], n.metadata["chain_steps"])
    -5 2
    >>> from exactnet.metrics import distinct_weights
    >>> sorted(str(v) for v in distinct_weights(n))   # 1/4 + 3/4 pass values on
    ['-1', '1/2', '1/4', '3/4']
    """
    p = _log2_exact(lam)
    if not isinstance(t, int) or t < 1:
        raise InvalidArgument(f"t must be an integer >= 1, got {t!r}")
    wq = quantize_weight(w, t)
    a = int(abs(wq) * 2**t)
    exps = [1, 1] if a == 2**t else [t - k for k in range(t) if a >> k & 1]
    L = -(-t // p)
    lo, hi = Q(1, lam), Q(lam - 1, lam)
    G = nx.DiGraph()
    G.add_node("x")
    G.add_node("y", bias=ZERO, act="identity")
    for ci, e in enumerate(exps):
        fs = _factors(e, p, lam)
        bus = ["x", "x"]
        for k in range(L):
            new = [f"c{ci}_{k}_{j}" for j in range(2)]
            for j, n in enumerate(new):
                G.add_node(n, bias=ZERO, act="relu")
                if k == 0:
                    G.add_edge("x", n, weight=fs[0])
                elif k < len(fs):
                    G.add_edge(bus[j], n, weight=fs[k])
                else:
                    G.add_edge(bus[0], n, weight=lo)
                    G.add_edge(bus[1], n, weight=hi)
            bus = new
        if wq > 0:
            G.add_edge(bus[0], "y", weight=lo)
            G.add_edge(bus[1], "y", weight=hi)
        else:
            G.add_edge(bus[0], "y", weight=-ONE)
    _prune(G)
    return Network.from_graph(G, ["x"], ["y"], metadata={
        "construction": "ding2019-linear-weight",
        "w": str(q(w)), "w_realised": str(wq), "lam": lam, "t": t,
        "chain_steps": L, "chains": len(exps),
        "paper": PAPER + ", Theorem 4 / Appendix A.3, A.6 (linear quantization)",
    })


def quantized_cached_net(
    target: "Target | str", eps: QLike, lam: int, *, base: str = "2", quantization: str = "nonlinear"
) -> Network:
    """Theorems 3 and 4: :func:`skeleton_net` with every weight replaced by a weight sub-network.

    Parameters
    ----------
    target, eps, base
        As for :func:`cached_net`.
    lam : int, >= 2
        The number of distinct weights.
    quantization : {"nonlinear", "linear"}
        ``"nonlinear"`` (Theorem 3): Proposition 3's B_w
        (:func:`exactnet.constructions.ding2019.weight_net`, x >= 0 form) on
        the alphabet {-1/2} u {2^(-b^j)}; ``"linear"`` (Theorem 4):
        :func:`linear_weight_net` on {-1, 1/lam, ..., (lam-1)/lam}, lam a
        power of two.

    Returns
    -------
    Network
        Equal to :func:`skeleton_net` (hence to :func:`cached_net`) on [0, 1]:
        every skeleton weight is a multiple of 2^-t, so each sub-network
        realises it exactly (w' = w).  Each skeleton edge u -> v of weight w
        becomes one sub-network per piece of :func:`split_weight` (w), whose
        first layer reads u and whose output edges go into v.  Metadata: the
        skeleton's, plus ``lam``, ``quantization``, ``t_weights`` and
        ``skeleton_edges`` / ``sub_networks``.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> net = quantized_cached_net("abs(x - 1/3)", "1/16", 2)
    >>> print(evaluate(net, "1/32")[0])
    5/16
    >>> from exactnet.metrics import distinct_weights
    >>> sorted(str(v) for v in distinct_weights(net))
    ['-1/2', '1/2']

    Notes
    -----
    Every sub-network reads a nonnegative value (x in [0, 1] or a ReLU unit),
    so the x >= 0 form suffices (the paper's duplication for signed x is not
    needed).  Theorem 3's t = ceil(log m) is 0 when m = 1 (eps >= 1/4);
    Proposition 3 needs t >= 1, so the sub-networks use max(t, 1).  The
    biases (-i/T, -k/(m T), f~(0)) are not from the alphabet: the paper's
    blocks B_T, B_delta, B_m that construct such constants are not specified
    (Figure 5 is "illustration only"); this network realises the reading
    "biases exempt".  The weight count is that of the skeleton times the
    sub-network size (each connection gets its own sub-network), not the
    paper's additive O(lambda (log log 1/eps)^(1/(lambda-1)+1) + 1/eps).
    """
    if quantization not in ("nonlinear", "linear"):
        raise InvalidArgument(f"quantization={quantization!r}: use 'nonlinear' or 'linear'")
    if quantization == "linear":
        _log2_exact(lam)
    elif not isinstance(lam, int) or lam < 2:
        raise InvalidArgument(f"lam must be an integer >= 2, got {lam!r}")
    sk = skeleton_net(target, eps, base=base)
    tw = max(sk.metadata["t"], 1)
    cache: dict[Q, Network] = {}

    def sub(w: Q) -> Network:
        if w not in cache:
            cache[w] = (weight_net(w, lam, tw, signed_input=False) if quantization == "nonlinear"
                        else linear_weight_net(w, lam, tw))
        return cache[w]

    G = nx.DiGraph()
    for n in sk.inputs:
        G.add_node(n)
    for n in sk.neurons:
        G.add_node(n, bias=sk.bias(n), act=sk.activation(n))
    count = 0
    for u, v, w in sk.edges():
        for j, piece in enumerate(split_weight(w)):
            s = sub(piece)
            count += 1
            name = {"x": u, "y": v}
            for n in s.neurons:
                if n != "y":
                    name[n] = f"{u}>{v}#{j}/{n}"
                    G.add_node(name[n], bias=s.bias(n), act=s.activation(n))
            for a, b, ww in s.edges():
                G.add_edge(name[a], name[b], weight=ww)
    md = dict(sk.metadata)
    md.update({
        "construction": "ding2019-function-dependent-quantized",
        "paper": PAPER + (", Theorem 3 / Appendix A.5 with Prop. 3's B_w" if quantization == "nonlinear"
                          else ", Theorem 4 / Appendix A.6 (linear quantization)"),
        "lam": lam, "quantization": quantization, "t_weights": tw,
        "skeleton_edges": len(list(sk.edges())), "sub_networks": count,
    })
    return Network.from_graph(G, list(sk.inputs), list(sk.outputs), metadata=md)
