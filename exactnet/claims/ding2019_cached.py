"""Claims from Ding et al. (2019), Section 5 and 6: Proposition 4, Theorems 3/4, lambda_opt.

Y. Ding, J. Liu, J. Xiong, Y. Shi, "On the universal approximability and
complexity bounds of quantized ReLU neural networks", ICLR 2019,
arXiv:1802.03646, Appendix A.4-A.6 and B.
"""

from __future__ import annotations

import dataclasses

from exactnet.catalogue import Claim, annotate, register
from exactnet.certificate import Certificate, Verdict
from exactnet.constructions.ding2019 import weight_alphabet
from exactnet.constructions.ding2019_cached import (
    BASES,
    cached_net,
    grid_value,
    hyperparameters,
    linear_alphabet,
    linear_weight_net,
    quantized_cached_net,
    skeleton_net,
    transform,
)
from exactnet.counts import certify_sizes
from exactnet.metrics import distinct_weights, metrics
from exactnet.exceptions import InvalidArgument
from exactnet.exhaustive import check_on_grid
from exactnet.lambda_opt import (
    certify_bit_width_range,
    certify_eq27,
    certify_ms2_condition,
    certify_unique_minimum,
)
from exactnet.numbers import Interval, Q, library_versions, q
from exactnet.representation import to_network
from exactnet.supnorm import certify
from exactnet.targets import as_target

__all__ = [
    "prop4_lipschitz",
    "prop4_grid",
    "prop4_error",
    "prop4_error_quadratic",
    "thm3_error",
    "thm3_slopes_on_grid",
    "thm3_t_positive",
    "quantized_error",
    "quantized_alphabet",
    "linear_weight_sizes",
    "table2_interpolation",
    "table2_cached",
]

SOURCE = "Ding et al. 2019 (ICLR, arXiv:1802.03646)"
_UNIT = Interval(0, 1)
ZIGZAG = "abs(abs(abs(abs(abs(abs(abs(abs(abs(x - 1/2) - 1/4) - 1/8) - 1/16) - 1/32) - 1/64) - 1/128) - 1/256) - 1/512)"
"""Nine nested abs: slopes +-1, kinks at the multiples of 1/512 (finer than the grid 1/T)."""
TENTS = "relu(1/100 - abs(x - 1/3)) + relu(1/150 - abs(x - 3/5))"
"""Two narrow tents: the cached functions of Theorem 3 are nonzero on some intervals (eps <= 1/64)."""
PWL_TARGETS = ("abs(x - 1/3)", "min(abs(x - 1/5), abs(x - 7/10))/2 + x/2", ZIGZAG)


def _ftilde(f_text: str, t: int, T: int):
    return transform(as_target(f_text).to_pwl(_UNIT), t, T)


def prop4_lipschitz(f_text: str, t: int, T: int) -> Certificate:
    """Prop. 4 (i): f~ is continuous with Lipschitz constant 1 (max |slope| of the exact PWL f~).

    Examples
    --------
    >>> c = prop4_lipschitz("abs(x - 1/3)", 1, 2)
    >>> print(c.verdict.value, c.value)
    holds 1
    """
    g = _ftilde(f_text, t, T)
    slopes = g.slopes
    worst = max(range(len(slopes)), key=lambda k: abs(slopes[k]))
    value = abs(slopes[worst])
    claim = f"f~ for f = {f_text}, t = {t}, T = {T} is 1-Lipschitz (max |slope| <= 1)"
    details = {"pieces": g.pieces, "value_label": "max |slope| of f~", "versions": library_versions()}
    if value <= 1:
        return Certificate(claim, Verdict.HOLDS, value, None, "exact PWL solution of eq. (24)", details)
    return Certificate(claim, Verdict.VIOLATED, value, (g.xs[worst],), "exact PWL solution of eq. (24)", details)


def prop4_grid(f_text: str, t: int, T: int) -> Certificate:
    """Prop. 4 (ii): f~(i/T) = ceil(T f(i/T)/2^-t) 2^-t/T for i = 0..T, by exact evaluation.

    f~ is the exact solution of the ODE (24) (which does not assume (ii)); the
    expected values are computed from f alone.

    Examples
    --------
    >>> print(prop4_grid("abs(x - 1/3)", 2, 5).verdict.value)
    holds
    """
    f = as_target(f_text)
    net = to_network(_ftilde(f_text, t, T))
    return check_on_grid(
        net, range(T + 1), T, lambda x: grid_value(f(x), t, T),
        claim=f"f~(i/{T}) = ceil({T} f(i/{T}) 2^{t}) / ({T} 2^{t}) for f = {f_text}, i = 0..{T}",
    )


def prop4_error(f_text: str, t: int, T: int) -> Certificate:
    """Prop. 4 (iii): sup |f~ - f| < 2^-t / T, strictly; the exact sup is the value.

    Examples
    --------
    >>> c = prop4_error("abs(x - 1/3)", 1, 2)    # f~ - f = 1/6 at 0 and 1/12 on [3/8, 1]
    >>> print(c.verdict.value, c.value, c.witness[0])
    holds 1/6 0
    """
    bound = Q(1, 2**t * T)
    c = certify(to_network(_ftilde(f_text, t, T)), f_text, _UNIT, bound)
    claim = f"sup over [0, 1] of |f~ - f| < 2^-{t}/{T} = {bound} (strict) for f = {f_text}"
    if c.verdict is Verdict.HOLDS and c.value == bound:
        return Certificate(claim, Verdict.VIOLATED, c.value, c.witness, c.method,
                           {**c.details, "reason": "the sup equals the bound: the strict inequality fails"})
    return dataclasses.replace(c, claim=claim)


def prop4_error_quadratic(t: int, T: int) -> Certificate:
    """Prop. 4 (ii) and (iii) for f(x) = x^2/2, exactly, through the closed form of f~.

    On (a, b] = (i/T, (i+1)/T], f~ = min(v + (x - a), f + s) when the chase goes
    up (v = f~(a) < f(a) + s, s = the shift of f^+) and max(v - (x - a), f + s)
    when it goes down.  (ii) at b holds iff the chase reaches f^+ by b (a
    comparison of rationals); f~ - f = min(g, s) or max(g, s) with g the
    quadratic v +- (x - a) - x^2/2, whose extremes on [a, b] are at a, b or its
    vertex (rational), so sup |f~ - f| is an exact rational.

    Examples
    --------
    >>> c = prop4_error_quadratic(1, 4)
    >>> print(c.verdict.value, c.value)
    holds 3/32
    """
    f = as_target("x^2/2")
    bound = Q(1, 2**t * T)
    claim = f"f = x^2/2, t = {t}, T = {T}: f~(i/T) on the grid (ii) and sup |f~ - f| < {bound} (iii)"
    v = grid_value(f(Q(0)), t, T)
    best, where = v - f(Q(0)), Q(0)
    for i in range(T):
        a, b = Q(i, T), Q(i + 1, T)
        s = grid_value(f(b), t, T) - f(b)
        up = v < f(a) + s
        down = v > f(a) + s
        sign = 1 if up else -1 if down else 0
        # g(x) = v + sign (x - a) - x^2/2, g' = sign - x: vertex at x = sign
        cands = [a, b] + ([Q(sign)] if sign and a < sign < b else [])
        for x in cands:
            gx = v + sign * (x - a) - f(x)
            e = min(gx, s) if up else max(gx, s) if down else s
            if abs(e) > best:
                best, where = abs(e), x
        end = v + sign * (b - a)
        reached = (end >= f(b) + s) if up else (end <= f(b) + s) if down else True
        if not reached:
            return Certificate(claim, Verdict.VIOLATED, abs(end - grid_value(f(b), t, T)), (b,),
                               "exact closed form", {"reason": "(ii) fails at the witness"})
        v = grid_value(f(b), t, T)
    details = {"value_label": "exact sup |f~ - f|", "versions": library_versions()}
    if best < bound:
        return Certificate(claim, Verdict.HOLDS, best, (where,), "exact closed form", details)
    return Certificate(claim, Verdict.VIOLATED, best, (where,), "exact closed form", details)


def thm3_error(f_text: str, eps: str, base: str) -> Certificate:
    """Theorem 3: the built function-dependent network has sup_[0,1] |f'' - f| <= eps (exact sup).

    Examples
    --------
    >>> c = thm3_error("abs(x - 1/3)", "1/16", "2")
    >>> print(c.verdict.value, c.value)
    holds 1/48
    """
    net = cached_net(f_text, eps, base=base)
    c = certify(net, f_text, _UNIT, q(eps))
    md = net.metadata
    note = f"T = {md['T']}, m = {md['m']}, t = {md['t']}, log base {base}; exact sup error {c.value}"
    if c.verdict is Verdict.HOLDS:
        return annotate(c, finding="holds", note=note)
    return c


def thm3_slopes_on_grid(f_text: str, eps: str, base: str) -> Certificate:
    """Prop. 4's purpose in Theorem 3: f^T's slopes T(f~((i+1)/T) - f~(i/T)) are integer
    multiples of 2^-t in [-1, 1] (weights Proposition 3 builds exactly).

    Examples
    --------
    >>> print(thm3_slopes_on_grid("x^2/2", "1/64", "2").verdict.value)
    holds
    """
    net = cached_net(f_text, eps, base=base)
    md = net.metadata
    t = md["t"]
    claim = f"slopes of f^T are multiples of 2^-{t} in [-1, 1] (f = {f_text}, eps = {eps}, base {base})"
    for i, s in enumerate(md["interpolation_slopes"]):
        v = q(s)
        if abs(v) > 1 or (v * 2**t).denominator != 1:
            return Certificate(claim, Verdict.VIOLATED, v, (Q(i, md["T"]),), "exact rational arithmetic", {})
    return Certificate(claim, Verdict.HOLDS, None, None, "exact rational arithmetic",
                       {"slopes": len(md["interpolation_slopes"]), "versions": library_versions()})


def thm3_t_positive(eps: str, base: str) -> Certificate:
    """Theorem 3's t = ceil(log m) must be in Z^+ for Proposition 4 to apply.

    Examples
    --------
    >>> c = thm3_t_positive("1/2", "2")    # m = ceil(1/2) = 1, t = ceil(log 1) = 0
    >>> print(c.verdict.value, c.value)
    violated 0
    """
    P = hyperparameters(eps, base=base)
    claim = f"t = ceil(log_{base} m) >= 1 at eps = {P.eps} (m = {P.m})"
    if P.t >= 1:
        return Certificate(claim, Verdict.HOLDS, Q(P.t), None, "exact integer arithmetic", {"m": P.m})
    return Certificate(claim, Verdict.VIOLATED, Q(P.t), (P.eps,), "exact integer arithmetic",
                       {"m": P.m, "T": P.T, "value_label": "t"})


def quantized_error(f_text: str, eps: str, lam: int, quantization: str, base: str = "2") -> Certificate:
    """Theorems 3 (nonlinear) and 4 (linear): the quantized network's exact sup error <= eps.

    The sup is computed on the quantized network itself (every weight a
    sub-network of alphabet weights), not on the skeleton.

    Examples
    --------
    >>> c = quantized_error("abs(x - 1/3)", "1/16", 2, "linear")
    >>> print(c.verdict.value, c.value)
    holds 1/48
    """
    net = quantized_cached_net(f_text, eps, lam, base=base, quantization=quantization)
    c = certify(net, f_text, _UNIT, q(eps))
    m = metrics(net)
    md = net.metadata
    c = dataclasses.replace(c, details={**c.details, "depth": m.depth, "weights": m.weights, "width": m.width,
                                        "T": md["T"], "m": md["m"], "t": md["t"]})
    if c.verdict is Verdict.HOLDS:
        return annotate(c, finding="holds", note=(
            f"{quantization} quantization, lambda = {lam}: exact sup error {c.value} (T = {md['T']}, m = {md['m']}, "
            f"t = {md['t']}); depth {m.depth}, {m.weights} weights"))
    return c


def quantized_alphabet(f_text: str, eps: str, lam: int, quantization: str, *, with_biases: bool) -> Certificate:
    """The quantized network uses at most lam distinct values, all from the alphabet (biases exempt or counted).

    Examples
    --------
    >>> print(quantized_alphabet("abs(x - 1/3)", "1/16", 2, "nonlinear", with_biases=False).verdict.value)
    holds
    >>> c = quantized_alphabet("abs(x - 1/3)", "1/16", 2, "nonlinear", with_biases=True)
    >>> print(c.verdict.value, c.details["count"])
    violated 5
    """
    net = quantized_cached_net(f_text, eps, lam, quantization=quantization)
    tw = net.metadata["t_weights"]
    allowed = set(weight_alphabet(lam, tw) if quantization == "nonlinear" else linear_alphabet(lam))
    used = distinct_weights(net, with_biases=with_biases)
    what = "weights and nonzero biases" if with_biases else "weights (biases exempt)"
    claim = (f"the {what} of the {quantization}ly quantized network (f = {f_text}, eps = {eps}, lambda = {lam}) "
             f"are at most {lam} values of the alphabet {sorted(str(v) for v in allowed)}")
    details = {"used": sorted(str(v) for v in used)[:20], "count": len(used), "lambda": lam}
    outside = sorted(used - allowed)
    if outside or len(used) > lam:
        return Certificate(claim, Verdict.VIOLATED, Q(len(used)), (outside[0] if outside else Q(len(used)),),
                           "counted weights", details)
    return Certificate(claim, Verdict.HOLDS, Q(len(used)), None, "counted weights", details)


def linear_weight_sizes(lam: int, t: int) -> Certificate:
    """Theorem 4's weight sub-network: width t and depth t/log(lam) + 1 (Appendix A.3, A.6), counted
    on w = 1 - 2^-t (all t bits set: the most chains, the longest chain).

    The stated depth is read as ceil(t / log2 lam) + 1 (a depth is an integer).

    Examples
    --------
    >>> c = linear_weight_sizes(2, 3)
    >>> print(c.verdict.value, c.details["sizes"]["width"]["counted"], c.details["sizes"]["depth"]["counted"])
    violated 6 4
    """
    p = lam.bit_length() - 1
    w = 1 - Q(1, 2**t)
    return certify_sizes(
        linear_weight_net(w, lam, t), {"depth": -(-t // p) + 1, "width": t},
        claim=f"Theorem 4's weight sub-network (lambda = {lam}, t = {t}, w = {w}): depth ceil(t/log lambda) + 1, "
              f"width t",
        relation="<=", parameters={"lam": lam, "t": t, "w": w},
    )


def _interpolation_only(f_text: str, eps: str) -> bool:
    return not any(n.startswith("z") for n in skeleton_net(f_text, eps).neurons)


def table2_interpolation(f_text: str, eps: str, base: str = "2") -> Certificate:
    """Table 2, B_{f^T} (and B_{f1*}): one layer of T units; counted on the skeleton of a target whose
    cached functions are all zero (the network is then f^T alone).

    Examples
    --------
    >>> c = table2_interpolation("x^2/2", "1/16")
    >>> print(c.verdict.value, c.details["sizes"]["width"]["counted"], c.details["sizes"]["width"]["stated"])
    holds 16 32
    """
    net = skeleton_net(f_text, eps, base=base)
    if not _interpolation_only(f_text, eps):
        raise InvalidArgument(f"{f_text} at eps = {eps} has nonzero cached functions")
    T = net.metadata["T"]
    return certify_sizes(
        net, {"hidden_layers": 1, "width": T},
        claim=f"Table 2: B_f^T implements f^T with width T = {T} and depth 1 (f = {f_text}, eps = {eps})",
        relation="<=", parameters={"T": T, "eps": eps, "base": base},
    )


def table2_cached(f_text: str, eps: str, base: str = "2") -> Certificate:
    """Table 2, B_f2* and B_f3*: the cached functions use at most 3^m patterns and m 3^m units.

    Counted on the built network: distinct patterns (<= 3^m, B_f2*'s width)
    and units of the second layer, the relu(y_i - k/m) (<= m 3^m, B_f3*'s
    width).  The built network evaluates each interval's cached function
    itself (up to m - 1 units per interval) instead of sharing m 3^m cached
    units through the filter Phi, so the second count grows with T.

    Examples
    --------
    >>> c = table2_cached("abs(x - 1/3)", "1/64")
    >>> print(c.verdict.value, c.details["second_layer"], c.details["m3^m"])
    holds 2 81
    """
    net = skeleton_net(f_text, eps, base=base)
    md = net.metadata
    m = md["m"]
    zs = sum(1 for n in net.neurons if n.startswith("z"))
    claim = (f"Table 2: the cached part uses <= 3^m = {3**m} patterns (B_f2*) and <= m 3^m = {m * 3**m} units "
             f"(B_f3*) (f = {f_text}, eps = {eps}, T = {md['T']}, m = {m})")
    details = {"patterns_used": md["patterns_used"], "3^m": 3**m, "second_layer": zs, "m3^m": m * 3**m,
               "T": md["T"], "bound_of_built_second_layer": md["T"] * (m - 1)}
    if md["patterns_used"] > 3**m:
        return Certificate(claim, Verdict.VIOLATED, Q(md["patterns_used"]), (Q(3**m),), "counted units", details)
    if zs > m * 3**m:
        return Certificate(claim, Verdict.VIOLATED, Q(zs), (Q(m * 3**m),), "counted units", details)
    return Certificate(claim, Verdict.HOLDS, Q(zs), None, "counted units", details)


def _loose_ms2() -> Certificate:
    c = certify_ms2_condition()
    return annotate(c, finding="holds, loose", note=(
        "M_s(2) < 0 iff theta_2 > exp((1 + 1/ln 2)/2) = 3.3917...; eps < 1/2 gives theta_2 > log2(12) = 3.58...; "
        f"the exact condition for n = d = 1 is eps < 6 / 2^3.3917... = {c.details['eps_threshold_n1_d1']}..."))


# -- registration ------------------------------------------------------------------------

for _f in PWL_TARGETS:
    _short = "zigzag9" if _f == ZIGZAG else _f.replace(" ", "")
    for _t, _T in ((1, 2), (2, 5), (3, 8), (1, 13)):
        register(Claim(
            id=f"ding2019/prop4-i/f={_short}/t={_t}/T={_T}",
            statement=f"f~ (Prop. 4) for f = {_short}, t = {_t}, T = {_T} is continuous and 1-Lipschitz",
            source=SOURCE + ", Prop. 4 (i), eqs. (22)-(24)",
            check=lambda f=_f, t=_t, T=_T: prop4_lipschitz(f, t, T),
            paper_statement="f~(x) is a continuous function with Lipschitz constant 1",
        ))
        register(Claim(
            id=f"ding2019/prop4-ii/f={_short}/t={_t}/T={_T}",
            statement=f"f~(i/T) = ceil(T f(i/T)/2^-t) 2^-t/T, i = 0..T, for f = {_short}, t = {_t}, T = {_T}",
            source=SOURCE + ", Prop. 4 (ii)",
            check=lambda f=_f, t=_t, T=_T: prop4_grid(f, t, T),
            paper_statement="f~(i/T) = ceil(T f(i/T) / 2^-t) 2^-t / T",
        ))
        register(Claim(
            id=f"ding2019/prop4-iii/f={_short}/t={_t}/T={_T}",
            statement=f"sup |f~ - f| < 2^-t/T (strict) for f = {_short}, t = {_t}, T = {_T}",
            source=SOURCE + ", Prop. 4 (iii)",
            check=lambda f=_f, t=_t, T=_T: prop4_error(f, t, T),
            paper_statement="|f~(x) - f(x)| < 2^-t / T",
        ))
for _t, _T in ((1, 4), (2, 7), (3, 16)):
    register(Claim(
        id=f"ding2019/prop4-ii-iii/f=x^2/2/t={_t}/T={_T}",
        statement=f"f = x^2/2, t = {_t}, T = {_T}: Prop. 4 (ii) at every i/T and (iii) sup |f~ - f| < 2^-t/T",
        source=SOURCE + ", Prop. 4 (ii), (iii)",
        check=lambda t=_t, T=_T: prop4_error_quadratic(t, T),
    ))

_THM3 = [(f, e) for f in ("abs(x - 1/3)", "min(abs(x - 1/5), abs(x - 7/10))/2 + x/2", "x^2/2")
         for e in ("1/4", "1/16", "1/64", "1/256", "1/1000")]
_THM3 += [(ZIGZAG, e) for e in ("1/16", "1/256")] + [("sin(x)", e) for e in ("1/16", "1/64")]
for _f, _e in _THM3:
    _short = "zigzag9" if _f == ZIGZAG else _f.replace(" ", "")
    for _b in BASES:
        register(Claim(
            id=f"ding2019/thm3-error/f={_short}/eps={_e}/log={_b}",
            statement=f"the function-dependent network for f = {_short} at eps = {_e} (log base {_b}) "
                      f"has sup_[0,1] |f'' - f| <= eps",
            source=SOURCE + ", Theorem 3 / Appendix A.5 (hyper-parameters m, t, delta, T)",
            check=lambda f=_f, e=_e, b=_b: thm3_error(f, e, b),
            full_only=_e in ("1/1000",) or (_f == ZIGZAG and _e == "1/256"),
            paper_statement="|f(x) - f''(x)| <= eps with m = ceil(log(1/eps)/2), t = ceil(log m), "
                            "delta = 1/(8m), T = ceil(8/(eps log(1/eps)))",
        ))
for _e in ("1/64", "1/1000"):
    for _b in BASES:
        register(Claim(
            id=f"ding2019/thm3-slopes-on-grid/f=x^2/2/eps={_e}/log={_b}",
            statement=f"f^T's slopes are integer multiples of 2^-t in [-1, 1] (eps = {_e}, log {_b})",
            source=SOURCE + ", Sec. 5.1 / Prop. 4 (the interpolation is feasible with quantized weights)",
            check=lambda e=_e, b=_b: thm3_slopes_on_grid("x^2/2", e, b),
        ))
register(Claim(
    id="ding2019/thm3-t-positive/log=2",
    statement="Theorem 3's t = ceil(log2 m) is a positive integer, as Prop. 4 requires (eps = 1/2)",
    source=SOURCE + ", Appendix A.5 with Prop. 4 (t in Z^+)",
    check=lambda: thm3_t_positive("1/2", "2"),
    erratum="for eps >= 1/4, m = ceil(log2(1/eps)/2) = 1 and t = ceil(log2 1) = 0, outside Prop. 4's t in Z^+ "
            "(the construction still works with t = 0: the grid is 1/T)",
))
register(Claim(
    id="ding2019/thm3-t-positive/log=e",
    statement="Theorem 3's t = ceil(ln m) is a positive integer, as Prop. 4 requires (eps = 1/2, ln)",
    source=SOURCE + ", Appendix A.5 with Prop. 4 (t in Z^+)",
    check=lambda: thm3_t_positive("1/2", "e"),
    erratum="with ln, m = ceil(ln(1/eps)/2) = 1 and t = 0 for eps >= e^-2",
))

for _d, _n, _e in ((1, 1, "1/4"), (1, 1, "49/100"), (2, 3, "1/100"), (10, 1, "1/1000"),
                   (784, 1, "1/100"), (3072, 2, "1/1000000"), (150528, 1, "1/100")):
    register(Claim(
        id=f"ding2019/sec6-unique-minimum/d={_d}/n={_n}/eps={_e}",
        statement=f"M(lambda) has exactly one local minimum on [2, inf) (d = {_d}, n = {_n}, eps = {_e})",
        source=SOURCE + ", Sec. 6 / Appendix B",
        check=lambda d=_d, n=_n, e=_e: certify_unique_minimum(d, n, e),
        paper_statement="there exists one and only one local minimum (hence global minimum) in the range "
                        "of [2, inf) whenever eps < 1/2",
    ))
register(Claim(
    id="ding2019/sec6-ms2-negative",
    statement="M_s(2) = 1 + 1/ln 2 - 2 ln(theta_2) < 0 for all n, d >= 1 when eps < 1/2",
    source=SOURCE + ", Appendix B",
    check=_loose_ms2,
    paper_statement="M_s(2) = 1 + 1/ln 2 - 2 ln(theta_2) < 0 given eps < 1/2",
))
register(Claim(
    id="ding2019/sec6-eq27",
    statement="eq. (27) is the derivative of M_s (checked at lambda = 2, d = n = 1, eps = 1/4)",
    source=SOURCE + ", Appendix B, eq. (27)",
    check=lambda: certify_eq27(2, 1, 1, "1/4"),
    erratum="eq. (27) drops the factors ln(theta_2) and 1/ln 2: the true derivative is 1/(lambda ln 2) + "
            "ln(theta_2)((lambda+1) log lambda - (lambda-1)/ln 2)/(lambda-1)^3; it is still > 0 for lambda >= 2, "
            "so the conclusion stands",
))
register(Claim(
    id="ding2019/fig1b-bit-width-1-to-4",
    statement="the optimal bit-width log2(lambda*) lies between 1 and 4 for d in {1, 10, 100, 784, 3072, "
              "150528, 10^6}, n in {1, 5}, eps in {1/4, 10^-6}",
    source=SOURCE + ", Sec. 6 / Figure 1b",
    check=lambda: certify_bit_width_range([1, 10, 100, 784, 3072, 150528, 10**6], [1, 5], ["1/4", "1/1000000"]),
    paper_statement="the optimal bit width derived from M(lambda) is dominated by d and lies between one and four "
                    "for a wide range of input size",
))

# -- the quantized networks (Theorems 3 and 4), Table 2 -----------------------------------

_Q_CASES = [("abs(x - 1/3)", "1/16"), ("abs(x - 1/3)", "1/64"), (TENTS, "1/64"), ("x^2/2", "1/64"),
            ("sin(x)", "1/64"), (TENTS, "1/256"), ("x^2/2", "1/1000")]
for _f, _e in _Q_CASES:
    _short = "tents" if _f == TENTS else _f.replace(" ", "")
    _big = _e in ("1/256", "1/1000")
    for _lam in (2, 3, 5):
        register(Claim(
            id=f"ding2019/thm3-quantized-error/f={_short}/eps={_e}/lambda={_lam}",
            statement=f"Theorem 3's network with every weight a Prop. 3 sub-network on {_lam} weights "
                      f"(f = {_short}, eps = {_e}, log 2) has exact sup_[0,1] |f'' - f| <= eps",
            source=SOURCE + ", Theorem 3 / Appendix A.5 with Prop. 3",
            check=lambda f=_f, e=_e, lam=_lam: quantized_error(f, e, lam, "nonlinear"),
            full_only=_big or _lam == 5,
            paper_statement="given lambda distinct weights, there is a ReLU network ... that can approximate f "
                            "with any error eps in (0, 1)",
        ))
    for _lam in (2, 4, 16):
        register(Claim(
            id=f"ding2019/thm4-error/f={_short}/eps={_e}/lambda={_lam}",
            statement=f"Theorem 4's network with weights from {{-1, 1/{_lam}, ..., {_lam - 1}/{_lam}}} "
                      f"(f = {_short}, eps = {_e}, log 2) has exact sup_[0,1] |f'' - f| <= eps",
            source=SOURCE + ", Theorem 4 / Appendix A.6",
            check=lambda f=_f, e=_e, lam=_lam: quantized_error(f, e, lam, "linear"),
            full_only=_big or _lam == 16,
            paper_statement="given weight maximum precision 1/lambda, there is a ReLU network ... that can "
                            "approximate f with any error eps in (0, 1)",
        ))
_READ_NOTE = ("two readings: biases exempt (the weights of Prop. 3's B_w; holds) and biases counted (every "
              "nonzero bias also from the alphabet). The built network's biases -i/T, -k/(mT), f~(0) are not in "
              "the alphabet; the paper's blocks B_T, B_delta, B_m, B_s1-3 that would build such constants from "
              "the alphabet are only named (Figure 5: 'details are omitted'), so under the second reading the "
              "built network is not a witness and the existence claim is undecided here")
for _q, _lams in (("nonlinear", (2, 3)), ("linear", (2, 4))):
    for _lam in _lams:
        for _reading, _wb in (("biases-exempt", False), ("biases-counted", True)):
            _thm = "thm3" if _q == "nonlinear" else "thm4"
            register(Claim(
                id=f"ding2019/{_thm}-alphabet/reading={_reading}/f=tents/eps=1/64/lambda={_lam}",
                statement=f"the {_q}ly quantized network (f = tents, eps = 1/64) uses <= {_lam} distinct alphabet "
                          f"values ({_reading.replace('-', ' ')})",
                source=SOURCE + (", Theorem 3 / Prop. 3" if _q == "nonlinear" else ", Theorem 4 / Sec. 3"),
                check=lambda q_=_q, lam=_lam, wb=_wb: (
                    lambda c: annotate(c, finding="ill-posed", note=_READ_NOTE))(
                        quantized_alphabet(TENTS, "1/64", lam, q_, with_biases=wb)),
                paper_statement="given lambda distinct weights" if _q == "nonlinear"
                                else "the finite number of distinct weight values are {-1, 1/lambda, ..., "
                                     "(lambda-1)/lambda}",
                # as for Theorem 1 in claims.ding2019: under the biases-counted reading the construction
                # the paper describes is not within the alphabet (its constant blocks are omitted)
                erratum="" if not _wb else (
                    "biases counted: the network the paper describes needs the constants -i/T, -k/(mT) and "
                    "f~(0) as biases, outside the alphabet; the blocks that would build them (B_T, B_delta, "
                    "B_m, B_s1-3) are only named, so as described the construction breaks this reading"),
            ))
for _lam, _t in ((2, 3), (2, 6), (4, 6), (16, 8)):
    register(Claim(
        id=f"ding2019/thm4-weight-sizes/lambda={_lam}/t={_t}",
        statement=f"Theorem 4's weight sub-network (lambda = {_lam}, t = {_t}) has width t and depth "
                  f"t/log lambda + 1",
        source=SOURCE + ", Appendix A.3 / A.6",
        check=lambda lam=_lam, t=_t: linear_weight_sizes(lam, t),
        paper_statement="the width and depth of the weight approximation network will be t and t/log lambda + 1",
        erratum="the depth holds (ceil(t/log lambda) + 1); the width does not: the sub-network the proof "
                "describes has one chain per set bit of w' (t chains for w = 1 - 2^-t), and chains padded to a "
                "common depth need two units (every alphabet weight is < 1 in magnitude except -1, which a ReLU "
                "zeroes on nonnegative values), so width 2t, not t",
    ))
for _f, _e in (("x^2/2", "1/16"), ("x^2/2", "1/64"), ("sin(x)", "1/64"), ("x^2/2", "1/256")):
    _short = _f.replace(" ", "")
    register(Claim(
        id=f"ding2019/table2-BfT/f={_short}/eps={_e}",
        statement=f"Table 2: B_f^T (f^T, and B_f1*) is one layer of at most T units (f = {_short}, eps = {_e})",
        source=SOURCE + ", Table 2",
        check=lambda f=_f, e=_e: annotate(table2_interpolation(f, e), finding="holds", note=(
            "counted on the rescaled skeleton (units relu(x - i/T)); units whose slope change is 0 are "
            "dropped, so the width is <= T")),
        paper_statement="B_f^T: implement f^T(x), width T, depth 1",
    ))
for _f, _e in (("abs(x - 1/3)", "1/64"), (TENTS, "1/64"), (TENTS, "1/256"), ("abs(x - 1/3)", "1/1000")):
    _short = "tents" if _f == TENTS else _f.replace(" ", "")
    register(Claim(
        id=f"ding2019/table2-Bf*/f={_short}/eps={_e}",
        statement=f"Table 2: the cached part has <= 3^m patterns (B_f2*) and <= m 3^m second-layer units (B_f3*) "
                  f"(f = {_short}, eps = {_e})",
        source=SOURCE + ", Table 2 / Appendix A.5",
        check=lambda f=_f, e=_e: (lambda c: annotate(c, finding="ill-posed", note=(
            "Table 2 is underspecified: the filter Phi (B_Phi, width 4T) that routes each interval to one of "
            "m 3^m shared cached units is not described. Our network evaluates each interval's cached function "
            f"itself: {c.details['second_layer']} second-layer units here, at most T (m - 1) = "
            f"{c.details['bound_of_built_second_layer']} in general, i.e. O(mT) = O(1/eps) weights (Theorem 3's "
            "order) instead of T + m 3^m. The blocks B_T, B_delta, B_m, B_s1-3 (constants and scalings) have no "
            "counterpart: their constants are biases here")))(table2_cached(f, e)),
        full_only=_e == "1/1000",
        paper_statement="B_f2*: second layer of f*, width 3^m; B_f3*: third layer of f*, width m 3^m",
    ))
