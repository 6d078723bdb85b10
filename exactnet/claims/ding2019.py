"""Claims from Ding, Liu, Xiong and Shi (ICLR 2019), Section 4: Propositions 1-3, Theorems 1 and 2.

Y. Ding, J. Liu, J. Xiong, Y. Shi, "On the universal approximability and
complexity bounds of quantized ReLU neural networks", ICLR 2019,
arXiv:1802.03646.  The networks are :mod:`exactnet.constructions.ding2019`.

The O(.) statements (depth O(r), weights O(r), ...) are decided on concrete
instances only: each claim checks the construction's exact closed form (for
example depth 3r + 2) on a range of r, which is evidence for the O(.) shape,
not a proof of it.
"""

from __future__ import annotations

from exactnet.catalogue import Claim, annotate, register
from exactnet.certificate import Certificate, Verdict
from exactnet.constructions.ding2019 import (
    HALF,
    product_error,
    product_error_exact,
    product_net,
    product_sizes,
    radix,
    square_error,
    square_net,
    square_sizes,
    weight_alphabet,
    weight_bounds,
    weight_net,
    weight_sizes,
)
from exactnet.counts import certify_sizes
from exactnet.evaluate import evaluate, evaluate_batch
from exactnet.exhaustive import check_on_grid
from exactnet.metrics import distinct_weights, metrics
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Interval, Q
from exactnet.pwl import to_pwl_segment
from exactnet.supnorm import certify_sup_error

__all__ = [
    "square_zero",
    "square_sup",
    "square_sizes_claim",
    "alphabet_claim",
    "product_axes",
    "product_sup",
    "product_sizes_claim",
    "weight_error",
    "weight_sizes_claim",
    "weight_width_table1",
    "sup_error_2d",
    "theorem1_error",
    "theorem1_alphabet",
    "theorem1_r_integral",
    "theorem2_grid",
    "theorem1_terms",
]

SOURCE = "Ding et al. 2019 (ICLR, arXiv:1802.03646)"


# -- Proposition 1 ---------------------------------------------------------------------


def square_zero(r: int) -> Certificate:
    """Proposition 1 (i): f_s^r(0) = 0, by exact evaluation.

    Examples
    --------
    >>> print(square_zero(3).verdict.value)
    holds
    """
    return check_on_grid(square_net(r), [0], 1, lambda x: ZERO, claim=f"f_s^{r}(0) = 0 (Ding 2019, Prop. 1 (i))")


def square_sup(r: int) -> Certificate:
    """Proposition 1 (ii): sup_[0,1] |f_s^r(x) - x^2| <= 2^(-2(r+1)), with the exact sup.

    The bound is tight: the exact sup equals it, attained at x = 2^(-r-1).

    Examples
    --------
    >>> c = square_sup(2)
    >>> print(c.verdict.value, c.value, c.witness[0], c.details["finding"])
    holds 1/64 1/8 holds
    """
    eps = square_error(r)
    c = certify_sup_error(square_net(r), "x^2", Interval(0, 1), eps)
    if c.verdict is Verdict.HOLDS and c.value == eps:
        return annotate(c, finding="holds", note=f"tight: the exact sup is the bound {eps}, at x = {c.witness[0]}")
    return c


def square_sizes_claim(r: int) -> Certificate:
    """Proposition 1 (iii)-(v) on one r: depth 3r + 2, width 20, 306r - 200 weights.

    The closed forms count the layers of Figure 2 as read in
    :func:`~exactnet.constructions.ding2019.square_net`; the paper states only
    O(r), a constant and O(r).

    Examples
    --------
    >>> c = square_sizes_claim(3)
    >>> print(c.verdict.value, c.details["sizes"]["weights"]["counted"])
    holds 718
    """
    return certify_sizes(
        square_net(r), square_sizes(r),
        claim=f"f_s^{r} of Prop. 1: depth 3r+2 = {3 * r + 2}, width 20, weights 306r-200 = {306 * r - 200} "
              "(evidence for (iii) depth O(r), (iv) constant width, (v) O(r) weights)",
        parameters={"r": r},
    )


def alphabet_claim(net: Network, name: str, *, with_biases: bool) -> Certificate:
    """The weights (and, if asked, the nonzero biases) of `net` lie in {1/2, -1/2}.

    Examples
    --------
    >>> print(alphabet_claim(square_net(2), "f_s^2", with_biases=True).verdict.value)
    holds
    """
    used = distinct_weights(net, with_biases=with_biases)
    allowed = {HALF, -HALF}
    what = "weights and nonzero biases" if with_biases else "weights (biases exempt)"
    claim = f"the {what} of {name} lie in {{1/2, -1/2}}"
    details = {"used": sorted(str(v) for v in used), "count": len(used)}
    outside = sorted(used - allowed)
    if outside:
        return Certificate(claim, Verdict.VIOLATED, outside[0], (outside[0],), "counted weights", details)
    return Certificate(claim, Verdict.HOLDS, Q(len(used)), None, "counted weights", details)


# -- Proposition 2 ---------------------------------------------------------------------


def product_axes(r: int) -> Certificate:
    """Proposition 2 (i): x'(x, 0) = x'(0, y) = 0 for all x, y in [-1, 1].

    Decided exactly: the network restricted to each axis segment is extracted
    as an exact piecewise-linear function (pwl.to_pwl_segment), and all its
    breakpoint values are 0.

    Examples
    --------
    >>> print(product_axes(2).verdict.value)
    holds
    """
    net = product_net(r)
    claim = f"x'_{r}(x, 0) = x'_{r}(0, y) = 0 on [-1, 1] (Ding 2019, Prop. 2 (i))"
    pieces = 0
    for a, b in (((-1, 0), (1, 0)), ((0, -1), (0, 1))):
        f = to_pwl_segment(net, a, b).canonical()
        pieces += f.pieces
        for t, y in zip(f.xs, f.ys):
            if y != 0:
                pt = tuple(Q(u) + t * (Q(v) - Q(u)) for u, v in zip(a, b))
                assert evaluate(net, list(pt))[0] == y
                return Certificate(claim, Verdict.VIOLATED, y, pt, "exact PWL restriction to the axes", {})
    return Certificate(claim, Verdict.HOLDS, ZERO, None, "exact PWL restriction to the axes",
                       {"canonical_pieces": pieces})


def _product_sup_exact(net: Network, r: int) -> tuple[Q, tuple[Q, Q], dict]:
    """max over [-1, 1]^2 of |x'(x, y) - xy| on the triangulation where eq. (2) is affine.

    With h = 2^(1-r), the lines x = ih, y = jh, x + y = kh cut [-1, 1]^2 into
    triangles on each of which |x|/2, |y|/2 and |x+y|/2 stay inside one cell
    [k/2^r, (k+1)/2^r] of f_s^r, so x' is affine there and is the interpolation
    of its exact values at the vertices.  E = x' - xy has the indefinite
    Hessian of -xy, so its extremes lie on the edges; along horizontal and
    vertical edges E is affine, along the anti-diagonals it is convex
    (E'' = 2h^2 > 0 in the edge parameter): the max of E is at a vertex, the
    min at a vertex or at the critical point of a diagonal edge.
    """
    n = 2**r
    h = Q(2, n)
    coords = [Q(-1) + i * h for i in range(n + 1)]
    pts = [(x, y) for x in coords for y in coords]
    vals = {p: v[0] for p, v in zip(pts, evaluate_batch(net, [list(p) for p in pts]))}
    best, at = Q(-1), (ZERO, ZERO)
    for (x, y), v in vals.items():
        e = abs(v - x * y)
        if e > best:
            best, at = e, (x, y)
    # the anti-diagonal edges (x, y + h) -> (x + h, y): E(s) = L(s) - (x + s h)(y + h - s h)
    for i in range(n):
        for j in range(n):
            x0, y0 = coords[i], coords[j] + h
            v0, v1 = vals[(x0, y0)], vals[(x0 + h, y0 - h)]
            # E(s) = v0 + s (v1 - v0) - (x0 + s h)(y0 - s h) = c + b s + h^2 s^2
            c = v0 - x0 * y0
            b = (v1 - v0) - h * y0 + h * x0
            s = -b / (2 * h * h)
            if 0 < s < 1:
                e = c + b * s + h * h * s * s
                if abs(e) > best:
                    best, at = abs(e), (x0 + s * h, y0 - s * h)
    # sanity check of the triangulation: at the centroids x' equals the vertex interpolation
    cents, lins = [], []
    for i in range(n):
        for j in range(n):
            x0, y0 = coords[i], coords[j]
            tri_lo = [(x0, y0), (x0 + h, y0), (x0, y0 + h)]
            tri_hi = [(x0 + h, y0 + h), (x0 + h, y0), (x0, y0 + h)]
            for tri in (tri_lo, tri_hi):
                cx = sum(p[0] for p in tri) / 3
                cy = sum(p[1] for p in tri) / 3
                cents.append([cx, cy])
                lins.append(sum(vals[p] for p in tri) / 3)
    for got, want in zip(evaluate_batch(net, cents), lins):
        if got[0] != want:
            raise AssertionError("x' is not affine on a triangle of the eq. (2) triangulation: a bug")
    return best, at, {"vertices": len(pts), "triangles": 2 * n * n}


def product_sup(r: int, *, regions_up_to: int = 4) -> Certificate:
    """Proposition 2 (ii): |x'(x, y) - xy| <= 6 * 2^(-2(r+1)) on [-1, 1]^2, with the exact sup.

    The exact sup is 4 * 2^(-2(r+1)) = 2^(-2r), attained at x = y = 2^(-r)
    (see :func:`~exactnet.constructions.ding2019.product_error_exact`): the
    constant 6 of eq. (3) is loose; 4 is exact.

    Method: the exact maximum over the triangulation on which eq. (2) is
    affine (see the Notes of the helper; the affinity is spot-checked at
    every triangle's centroid) and, for r <= `regions_up_to`, independently
    the exact maximum over the network's own linear regions
    (:func:`sup_error_2d`, which does not use eq. (2)); the two must agree.
    The maximiser is re-evaluated exactly.

    Examples
    --------
    >>> c = product_sup(2)
    >>> print(c.verdict.value, c.value, c.witness, c.details["finding"])
    holds 1/16 (mpq(-3,4), mpq(-3,4)) holds, loose
    """
    net = product_net(r)
    eps = product_error(r)
    best, at, stats = _product_sup_exact(net, r)
    x, y = at
    assert abs(evaluate(net, [x, y])[0] - x * y) == best
    claim = f"sup over [-1,1]^2 of |x'_{r}(x,y) - xy| <= 6 * 2^(-2({r}+1)) = {eps} (Ding 2019, Prop. 2 (ii))"
    method = "exact maximum over the triangulation where eq. (2) is affine"
    if r <= regions_up_to:
        # the independent route: the network's own linear regions (no use of eq. (2))
        best2, _, st2 = sup_error_2d(net, {(1, 1): 1}, "-1,1x-1,1")
        if best2 != best:
            raise AssertionError(f"the two exact routes disagree: {best} and {best2}")
        method += "; equal to the exact maximum over the network's linear regions"
        stats = {**stats, "regions": st2["regions"]}
    if best > eps:
        return Certificate(claim, Verdict.VIOLATED, best, at, method, stats)
    c = Certificate(claim, Verdict.HOLDS, best, at, method, stats)
    exact = product_error_exact(r)
    note = f"exact sup {best} = {best / square_error(r)} * 2^(-2(r+1)) at (x, y) = ({x}, {y}); stated 6 * 2^(-2(r+1)) = {eps}"
    assert best == exact, (best, exact)
    return annotate(c, finding="holds, loose", note=note)


def product_sizes_claim(r: int) -> Certificate:
    """Proposition 2 (iii)-(v) and Table 1 (B_x': width 60, depth 3r + 1) on one r.

    Examples
    --------
    >>> c = product_sizes_claim(2)
    >>> print(c.verdict.value, c.details["sizes"]["depth"]["counted"], c.details["sizes"]["width"]["counted"])
    holds 7 60
    """
    return certify_sizes(
        product_net(r), product_sizes(r),
        claim=f"x'_{r} of Prop. 2: Table 1 width 60 and depth 3r+1 = {3 * r + 1}; "
              f"weights 918r-599 = {918 * r - 599} (evidence for O(r))",
        parameters={"r": r},
    )


# -- Proposition 3 ---------------------------------------------------------------------


def _test_weights(t: int) -> list[Q]:
    """Dyadic worst cases (odd multiples of 2^(-t-1)), rationals and the ends."""
    k = 2 ** (t + 1)
    odd = [j for j in range(1, k, 2)]
    dy = [Q(j, k) for j in odd[:6] + odd[-6:]]
    rat = [Q(a, b) for b in (3, 5, 7, 11, 1000) for a in (1, b - 1)]
    ws = [ZERO, ONE, Q(1, 2**t), 1 - Q(1, 2**t), 1 - Q(1, 2 ** (t + 2))] + dy + rat
    return sorted(set(ws + [-w for w in ws]))


def weight_error(lam: int, t_max: int) -> Certificate:
    """Proposition 3 (i) for one lambda and t = 1..t_max: B_w is a connection of weight w', |w' - w| < 2^(-t).

    For each t and each test weight w (dyadic worst cases, rationals, the
    ends), the network is built and evaluated exactly at x = 1 and x = -1:
    its biases are all 0, so it is positively homogeneous and these two
    values determine it (N(x) = w' x for all x).  Distinct weights <= lambda
    (biases included: all are 0).  The exact worst case of |w' - w| is
    2^(-t-1) (w an odd multiple of 2^(-t-1)): the strict bound 2^(-t) holds
    with a factor 2 to spare.

    Examples
    --------
    >>> c = weight_error(3, 4)
    >>> print(c.verdict.value, c.details["finding"])
    holds holds, loose
    """
    claim = f"Prop. 3 (i), lambda = {lam}, t = 1..{t_max}: B_w computes w' x with |w' - w| < 2^-t, <= lambda weights"
    worst: dict[str, str] = {}
    count = 0
    for t in range(1, t_max + 1):
        alphabet = set(weight_alphabet(lam, t))
        top = ZERO
        for w in _test_weights(t):
            net = weight_net(w, lam, t)
            wq = Q(net.metadata["w_realised"])
            count += 1
            ok_val = evaluate(net, [ONE])[0] == wq and evaluate(net, [-ONE])[0] == -wq
            used = distinct_weights(net, with_biases=True)
            if not ok_val or abs(wq - w) >= Q(1, 2**t) or not used <= alphabet:
                return Certificate(claim, Verdict.VIOLATED, abs(wq - w), (w, Q(t)), "exact evaluation", {"lam": lam})
            top = max(top, abs(wq - w))
        worst[str(t)] = str(top)
        if top != Q(1, 2 ** (t + 1)):
            raise AssertionError(f"the dyadic worst case 2^-(t+1) was not met at t = {t}")
    c = Certificate(claim, Verdict.HOLDS, None, None, "exact evaluation at x = +-1 (positively homogeneous)",
                    {"networks": count, "max_error_by_t": worst})
    return annotate(c, finding="holds, loose", note="exact worst case |w' - w| = 2^-(t+1) (half the stated 2^-t)")


def _worst_w(lam: int, t: int, signed: bool) -> Q:
    """The w whose B_w has the most weights, over w' = a 2^-t, 1 <= a <= 2^t - 1.

    The proof counts "all integral multiples of 2^-t from 2^-t to 1 - 2^-t";
    w = 1 is set apart ("can be easily implemented by 4 units").
    """
    best = max(range(1, 2**t), key=lambda a: (weight_sizes(Q(a, 2**t), lam, t, signed_input=signed)["weights"], a))
    return Q(best, 2**t)


def weight_sizes_claim(lam: int, t_max: int, *, signed: bool) -> Certificate:
    """Proposition 3's explicit counts: depth <= lam (b-1) + 1, weights <= 4 t lam (b-1) + 8t + 4.

    For t = 1..t_max the network with the most weights (over all
    w' = a 2^-t, 0 < a < 2^t, the weights the count is derived for) is built
    and counted.  Two readings of "the sub-network": the x >= 0 one
    the count is derived for (``signed=False``), and the full one after the
    proof duplicates it for x < 0 (``signed=True``).

    Examples
    --------
    >>> print(weight_sizes_claim(2, 4, signed=True).verdict.value)
    holds
    >>> c = weight_sizes_claim(4, 3, signed=True)
    >>> print(c.verdict.value, c.value, c.witness[0])     # t = 1, w = 1/2: 2 x 16 weights
    violated 28 32
    """
    reading = "signed x (duplicated)" if signed else "x >= 0"
    claim = (f"Prop. 3, lambda = {lam}, t = 1..{t_max}, {reading}: depth <= lambda(b-1)+1 and "
             "weights <= 4 t lambda (b-1) + 8t + 4 (b = t^(1/(lambda-1)), rounded up)")
    rows = {}
    for t in range(1, t_max + 1):
        w = _worst_w(lam, t, signed)
        net = weight_net(w, lam, t, signed_input=signed)
        m = metrics(net)
        bound = weight_bounds(lam, t)
        rows[str(t)] = {"w": str(w), "b": radix(lam, t), "depth": m.depth, "depth_bound": bound["depth"],
                        "weights": m.weights, "weights_bound": bound["weights"]}
        if m.depth > bound["depth"] or m.weights > bound["weights"]:
            which = "weights" if m.weights > bound["weights"] else "depth"
            return Certificate(claim, Verdict.VIOLATED, Q(bound[which]), (Q(getattr(m, which)), Q(t)),
                               "counted metrics of the worst-case B_w", {"rows": rows, "violated": which})
    return Certificate(claim, Verdict.HOLDS, None, None, "counted metrics of the worst-case B_w", {"rows": rows})


def weight_width_table1(lam: int, t: int, *, signed: bool) -> Certificate:
    """Table 1, block B_w: width t; counted on the worst-case B_w.

    Examples
    --------
    >>> c = weight_width_table1(2, 3, signed=False)
    >>> print(c.verdict.value, c.details["sizes"]["width"]["counted"])
    violated 6
    """
    w = 1 - Q(1, 2**t)  # all t bits set: the most chains
    return certify_sizes(
        weight_net(w, lam, t, signed_input=signed), {"width": t},
        claim=f"Table 1: B_w has width t = {t} (lambda = {lam}, w = {w}, {'signed' if signed else 'x >= 0'})",
        parameters={"lam": lam, "t": t, "w": w},
    )


# -- registration ----------------------------------------------------------------------

_P1 = SOURCE + ", Prop. 1 / App. A.1, Fig. 2"
_P2 = SOURCE + ", Prop. 2, eq. (2)-(3), Table 1"
_P3 = SOURCE + ", Prop. 3, eq. (4)-(5), Table 1"

for _r in range(1, 13):
    register(Claim(
        id=f"ding2019/prop1-zero/r={_r}", statement=f"f_s^{_r}(0) = 0", source=_P1,
        check=lambda r=_r: square_zero(r), paper_statement="(i) if x = 0, f_s^r(x) = 0"))
for _r in range(1, 15):
    register(Claim(
        id=f"ding2019/prop1-error/r={_r}",
        statement=f"sup_[0,1] |f_s^{_r}(x) - x^2| <= 2^(-2({_r}+1))", source=_P1,
        check=lambda r=_r: square_sup(r), full_only=_r > 10,
        paper_statement="(ii) the approximation error eps_s <= 2^(-2(r+1))"))
for _r in range(1, 13):
    register(Claim(
        id=f"ding2019/prop1-sizes/r={_r}",
        statement=f"f_s^{_r}: depth 3r+2, width 20, weights 306r-200 (O(r), constant, O(r))", source=_P1,
        check=lambda r=_r: square_sizes_claim(r),
        paper_statement="(iii) the depth is O(r); (iv) the width is a constant; (v) the number of weights is O(r)"))
for _reading, _wb in (("biases-exempt", False), ("biases-counted", True)):
    for _r in (1, 4, 8):
        register(Claim(
            id=f"ding2019/prop1-alphabet/reading={_reading}/r={_r}",
            statement=f"f_s^{_r} uses only the weights 1/2, -1/2 ({_reading.replace('-', ' ')})", source=_P1,
            check=lambda r=_r, wb=_wb: alphabet_claim(square_net(r), f"f_s^{r}", with_biases=wb),
            paper_statement="f_s^r [is] a ReLU sub-network with only two weight values 1/2 and -1/2"))
        register(Claim(
            id=f"ding2019/prop2-alphabet/reading={_reading}/r={_r}",
            statement=f"x'_{_r} uses only the weights 1/2, -1/2 ({_reading.replace('-', ' ')})", source=_P2,
            check=lambda r=_r, wb=_wb: alphabet_claim(product_net(r), f"x'_{r}", with_biases=wb),
            paper_statement="only two weight values 1/2 and -1/2"))
for _r in range(1, 9):
    register(Claim(
        id=f"ding2019/prop2-axes/r={_r}", statement=f"x'_{_r}(x, 0) = x'_{_r}(0, y) = 0 on [-1, 1]",
        source=_P2, check=lambda r=_r: product_axes(r), full_only=_r > 6,
        paper_statement="(i) if x = 0 or y = 0, then x'(x, y) = 0"))
for _r in range(1, 9):
    register(Claim(
        id=f"ding2019/prop2-error/r={_r}",
        statement=f"sup_[-1,1]^2 |x'_{_r}(x,y) - xy| <= 6 * 2^(-2({_r}+1))", source=_P2,
        check=lambda r=_r: product_sup(r), full_only=_r > 5,
        paper_statement="(ii) for any x, y, the error |x'(x,y) - xy| <= 6 * 2^(-2(r+1))"))
for _r in range(1, 11):
    register(Claim(
        id=f"ding2019/prop2-sizes/r={_r}",
        statement=f"x'_{_r}: width 60, depth 3r+1 (Table 1), weights 918r-599", source=_P2,
        check=lambda r=_r: product_sizes_claim(r),
        paper_statement="(iii) depth O(r); (iv) constant width; (v) O(r) weights; Table 1: B_x' width 60, depth 3r+1"))
for _lam in range(2, 6):
    register(Claim(
        id=f"ding2019/prop3-error/lambda={_lam}",
        statement=f"B_w with lambda = {_lam}, t = 1..{12 if _lam > 2 else 10}: a connection of weight w', "
                  "|w' - w| < 2^-t", source=_P3,
        check=lambda lam=_lam: weight_error(lam, 12 if lam > 2 else 10),
        paper_statement="(i) the sub-network is equivalent to a connection with weight w' ... |w' - w| < 2^-t"))
    register(Claim(
        id=f"ding2019/prop3-sizes/reading=x>=0/lambda={_lam}",
        statement=f"B_w (x >= 0), lambda = {_lam}, t = 1..12: depth <= lambda(b-1)+1, weights <= 4t lambda(b-1)+8t+4",
        source=_P3, check=lambda lam=_lam: weight_sizes_claim(lam, 12, signed=False),
        paper_statement="no greater than lambda(t^(1/(lambda-1)) - 1) + 1 layers, and no greater than "
                        "4 t lambda (t^(1/(lambda-1)) - 1) + 8t + 4 weights"))
    register(Claim(
        id=f"ding2019/prop3-sizes/reading=signed-x/lambda={_lam}",
        statement=f"B_w (signed x), lambda = {_lam}, t = 1..12: depth <= lambda(b-1)+1, weights <= 4t lambda(b-1)+8t+4",
        source=_P3, check=lambda lam=_lam: weight_sizes_claim(lam, 12, signed=True),
        paper_statement="the same counts, for the sub-network duplicated to relax x >= 0",
        erratum="" if _lam <= 3 else (
            "the weight count 4 t lambda (b-1) + 8t + 4 is derived for x >= 0; the sub-network the proof "
            "duplicates for signed x has up to twice as many weights and exceeds it (lambda = 4: t = 1 "
            "has 32 > 28 weights; lambda = 5: t = 1 has 40 > 32)")))
for _t in (2, 4, 8):
    register(Claim(
        id=f"ding2019/table1-Bw-width/t={_t}",
        statement=f"Table 1: B_w has width t = {_t}", source=_P3,
        check=lambda t=_t: weight_width_table1(2, t, signed=False),
        paper_statement="Table 1: B_w, construct weights, width t",
        erratum="the B_w the proof of Prop. 3 describes needs 2-unit chains (a single unit read with a weight "
                "of magnitude <= 1/2 can only shrink its value, so padding the shorter chains to a common "
                "depth takes two units), t chains for w = 1 - 2^-t: width 2t for x >= 0 (4t for signed x), "
                "not t"))


# -- exact sup of a 2-input network against a quadratic, through its linear regions ----------


def _quadratic(f: "dict[tuple[int, int], Q]", x: Q, y: Q) -> Q:
    return sum((c * x ** e[0] * y ** e[1] for e, c in f.items()), ZERO)


def sup_error_2d(net: Network, f: "dict[tuple[int, int], object]", box: str) -> tuple[Q, tuple[Q, Q], dict]:
    """max over a box of |N(x, y) - f(x, y)| for a polynomial f of degree <= 2, exactly.

    On each linear region (exactnet.regions: a polygon with exact vertices and
    the affine map of N) the error E = affine - f is a quadratic; its extremes
    over the polygon lie at a vertex, at the critical point of E along an
    edge, or at E's interior critical point (solved exactly; kept if inside).
    The maximiser is re-evaluated with the exact evaluator.

    Examples
    --------
    >>> print(sup_error_2d(product_net(1), {(1, 1): 1}, "-1,1x-1,1")[0])
    1/4
    """
    from exactnet.numbers import parse_box
    from exactnet.regions import linear_regions

    F = {(int(e[0]), int(e[1])): Q(c) for e, c in f.items()}
    if any(sum(e) > 2 for e in F):
        raise AssertionError("sup_error_2d handles polynomials of degree <= 2")
    a = F.get((2, 0), ZERO)
    b = F.get((1, 1), ZERO)
    c2 = F.get((0, 2), ZERO)
    regions = linear_regions(net, parse_box(box))
    best, at = Q(-1), (ZERO, ZERO)

    def consider(x: Q, y: Q, reg) -> None:  # type: ignore[no-untyped-def]
        nonlocal best, at
        e = abs(reg(x, y)[0] - _quadratic(F, x, y))
        if e > best:
            best, at = e, (x, y)

    for reg in regions:
        w1, w2 = reg.weights[0]
        vs = reg.vertices
        for i, (x0, y0) in enumerate(vs):
            consider(x0, y0, reg)
            x1, y1 = vs[(i + 1) % len(vs)]
            dx, dy = x1 - x0, y1 - y0
            # f along the edge: quadratic in s with leading coefficient A
            A = a * dx * dx + b * dx * dy + c2 * dy * dy
            if A != 0:
                # E(s) = L(s) - f(s); E'(s) = (w . d) - f'(s) = 0
                fx = 2 * a * x0 + b * y0 + F.get((1, 0), ZERO)
                fy = b * x0 + 2 * c2 * y0 + F.get((0, 1), ZERO)
                s = ((w1 * dx + w2 * dy) - (fx * dx + fy * dy)) / (2 * A)
                if 0 < s < 1:
                    consider(x0 + s * dx, y0 + s * dy, reg)
        # interior critical point: grad f = (w1, w2)
        det = 4 * a * c2 - b * b
        if det != 0:
            r1 = w1 - F.get((1, 0), ZERO)
            r2 = w2 - F.get((0, 1), ZERO)
            x = (2 * c2 * r1 - b * r2) / det
            y = (2 * a * r2 - b * r1) / det
            if reg.contains(x, y):
                consider(x, y, reg)
    x, y = at
    if abs(evaluate(net, [x, y])[0] - _quadratic(F, x, y)) != best:
        raise AssertionError("regions and exact evaluation disagree: a bug in exactnet")
    return best, at, {"regions": len(regions)}


# -- Theorems 1 and 2 ----------------------------------------------------------------------

_X2_HALF = {(2,): Q(1, 2)}  # f = x^2/2: |f|, |f'|, |f''| <= 1 on [0, 1], so f in F_{1,n} for every n
_XY_HALF = {(1, 1): Q(1, 2)}  # f = x1 x2 / 2: all derivatives <= 1/2 on [0, 1]^2


def theorem1_error(d: int, n: int, N: int, *, lam: int = 2, rounding: str = "ceil",
                   eq18_literal: bool = False, quantization: str = "nonlinear") -> Certificate:
    """Theorem 1 / eq. (21) on a concrete f: sup_[0,1]^d |f'(x) - f(x)| <= 3 * 2^d (d/N)^n.

    f = x^2/2 for d = 1, f = x1 x2 / 2 for d = 2 (both in F_{d,n}).  The sup
    is exact: for d = 1 through the exact piecewise-linear function
    (supnorm.certify_sup_error), for d = 2 over the network's linear regions
    (:func:`sup_error_2d`).

    Examples
    --------
    >>> c = theorem1_error(1, 1, 8)
    >>> print(c.verdict.value, c.value, c.details["finding"])
    holds 23/288 holds, loose
    """
    from exactnet.constructions.ding2019 import theorem1_net

    poly = _X2_HALF if d == 1 else _XY_HALF
    net = theorem1_net(poly, d=d, n=n, N=N, lam=lam, rounding=rounding, eq18_literal=eq18_literal,
                       quantization=quantization)
    eps = Q(net.metadata["eps"])
    thm = "Thm. 2 (linear grid)" if quantization == "linear" else "Thm. 1"
    m = metrics(net)
    sizes = {"depth": m.depth, "width": m.width, "weights": m.weights, "distinct_weights": m.distinct_weights,
             "memory_bits": m.memory_bits, "r": net.metadata["r"], "t": net.metadata["t"],
             "terms": net.metadata["terms"]}
    if d == 1:
        c = certify_sup_error(net, "x^2/2", Interval(0, 1), eps)
        c = Certificate(
            f"{thm} (d=1, n={n}, N={N}, lambda={lam}, r,t {rounding}{', eq. (18) literal' if eq18_literal else ''}): "
            f"sup_[0,1] |f' - x^2/2| <= 3*2^d (d/N)^n = {eps}",
            c.verdict, c.value, c.witness, c.method, {**c.details, "sizes": sizes})
    else:
        best, at, st = sup_error_2d(net, {(1, 1): HALF}, "0,1x0,1")
        claim = (f"{thm} (d=2, n={n}, N={N}, lambda={lam}, r,t {rounding}): "
                 f"sup_[0,1]^2 |f' - x1 x2/2| <= 3*2^d (d/N)^n = {eps}")
        verdict = Verdict.HOLDS if best <= eps else Verdict.VIOLATED
        c = Certificate(claim, verdict, best, at, "exact maximum over the network's linear regions",
                        {**st, "sizes": sizes})
    if c.verdict is Verdict.HOLDS and c.value < eps:
        return annotate(c, finding="holds, loose", note=f"exact sup {c.value} = {c.value / eps} of the stated {eps}")
    return c


def theorem1_alphabet(d: int, n: int, N: int, lam: int, *, with_biases: bool) -> Certificate:
    """The built f' uses at most lambda distinct weights (biases exempt or counted).

    Examples
    --------
    >>> print(theorem1_alphabet(1, 1, 8, 3, with_biases=False).verdict.value)
    holds
    """
    from exactnet.constructions.ding2019 import theorem1_net

    net = theorem1_net(_X2_HALF if d == 1 else _XY_HALF, d=d, n=n, N=N, lam=lam)
    used = distinct_weights(net, with_biases=with_biases)
    claim = (f"Thm. 1 network (d={d}, n={n}, N={N}) uses <= lambda = {lam} distinct "
             f"{'weights and biases' if with_biases else 'weights (biases exempt)'}")
    details = {"used": sorted(str(v) for v in used)}
    if len(used) > lam:
        extra = sorted(used - set(weight_alphabet(lam, int(net.metadata["t"]))))
        return Certificate(claim, Verdict.VIOLATED, Q(len(used)), (extra[0],), "counted weights", details)
    return Certificate(claim, Verdict.HOLDS, Q(len(used)), None, "counted weights", details)


def theorem1_r_integral(d_max: int, n_max: int, N_max: int) -> Certificate:
    """Is the proof's r = log2(6 N^n (d+n-1))/2 - 1 an integer (App. A.2, before eq. (21))?

    6 N^n (d + n - 1) is a multiple of 3, never a power of 4, so r is never an
    integer: the choice is ill-posed and both roundings are decided as their
    own claims (:func:`theorem1_error` with ``rounding``).

    Examples
    --------
    >>> c = theorem1_r_integral(2, 2, 8)
    >>> print(c.verdict.value, c.value, *c.witness)
    violated 6 1 1 1
    """
    from exactnet.constructions.ding2019 import theorem1_parameters

    claim = f"r = log(6 N^n (d+n-1))/2 - 1 is an integer for d <= {d_max}, n <= {n_max}, N <= {N_max}"
    for d in range(1, d_max + 1):
        for n in range(1, n_max + 1):
            for N in range(1, N_max + 1):
                p = theorem1_parameters(d, n, N)
                if not p["r_integral"]:
                    return Certificate(claim, Verdict.VIOLATED, Q(p["r_exact_log"]), (Q(d), Q(n), Q(N)),
                                       "exact arithmetic (is 6 N^n (d+n-1) a power of 4?)", {})
    return Certificate(claim, Verdict.HOLDS, None, None, "exact arithmetic", {})


_T1 = SOURCE + ", Theorem 1 / App. A.2, eq. (10)-(21), Fig. 3"
for _d, _n, _N, _full in ((1, 1, 8, False), (1, 1, 16, False), (1, 1, 32, False), (1, 2, 4, False),
                          (1, 2, 8, True), (2, 1, 4, False)):
    for _rd in ("ceil", "floor"):
        _slow = _full or (_d == 2 and _rd == "ceil")  # d = 2, r = 2: 28 s
        if _n == 1 and _d == 1 and _rd == "floor":
            continue  # no x' for d = n = 1: r plays no role, t = log2 N is an integer
        register(Claim(
            id=f"ding2019/thm1-error/d={_d}/n={_n}/N={_N}/reading=r-{_rd}",
            statement=f"f' of Thm. 1 for f = {'x^2/2' if _d == 1 else 'x1 x2/2'}, d={_d}, n={_n}, N={_N}, "
                      f"lambda=2, r and t rounded {_rd}: sup |f' - f| <= 3*2^d (d/N)^n",
            source=_T1, check=lambda d=_d, n=_n, N=_N, rd=_rd: theorem1_error(d, n, N, rounding=rd),
            full_only=_slow,
            paper_statement="|f'(x) - f(x)| <= 3 * 2^d (d/N)^n (eq. (21)), choosing r = log(6N^n(d+n-1))/2 - 1"))
register(Claim(
    id="ding2019/thm1-eq18/d=1/n=2/N=4",
    statement="eq. (18) as printed (sum over 0 < |n| < n, no constant Taylor term) still meets eq. (21)",
    source=_T1, check=lambda: theorem1_error(1, 2, 4, eq18_literal=True),
    paper_statement="f'(x) = sum_m sum_{n: 0 < |n| < n} beta_{m,n} f'_{m,n}(x)  (18)",
    erratum="eq. (18) drops the |n| = 0 terms of eq. (14); the network it defines misses f(m/N): for "
            "f = x^2/2, n = 2, N = 4 its exact sup error is 61/121 > 3/8 (at x = 10/11); eq. (14)'s sum "
            "(|n| < n) is meant and is what theorem1_net builds"))
register(Claim(
    id="ding2019/thm1-r-integral",
    statement="the proof's r = log(6 N^n (d+n-1))/2 - 1 is an integer (d, n <= 4, N <= 64)",
    source=_T1, check=lambda: theorem1_r_integral(4, 4, 64),
    paper_statement="choosing r as r = log(6N^n(d+n-1))/2 - 1",
    erratum="6 N^n (d+n-1) is a multiple of 3 and never a power of 4, so r is never an integer (d = n = N = 1: "
            "log4(6) - 1); the statement is ill-posed: both roundings are decided as the thm1-error claims"))
for _reading, _wb in (("biases-exempt", False), ("biases-counted", True)):
    register(Claim(
        id=f"ding2019/thm1-alphabet/reading={_reading}/d=1/n=1/N=8/lambda=3",
        statement=f"f' of Thm. 1 (d=1, n=1, N=8) uses <= 3 distinct values ({_reading.replace('-', ' ')})",
        source=_T1, check=lambda wb=_wb: theorem1_alphabet(1, 1, 8, 3, with_biases=wb),
        paper_statement="given lambda distinct weights, there is a ReLU network with fixed structure ...",
        erratum="" if not _wb else (
            "if biases must be among the lambda values too, the construction as described does not comply: "
            "h(x) = 1 - relu(x - 1) + relu(x - 2) needs the constants 1, -1, -2 and the shifts m/N are "
            "biases (B_N of Table 1 builds m/N from weights but from which constant input is not said)")))


def theorem2_grid(n: int, N: int, lam: int) -> Certificate:
    """Theorem 2's network uses only weights of the linear grid {-1, 1/lam, ..., (lam-1)/lam}?

    Examples
    --------
    >>> c = theorem2_grid(1, 8, 4)
    >>> print(c.verdict.value, c.witness[0])
    violated -1/2
    """
    from exactnet.constructions.ding2019 import linear_alphabet, theorem1_net

    net = theorem1_net(_X2_HALF, d=1, n=n, N=N, lam=lam, quantization="linear")
    used = distinct_weights(net)
    grid = set(linear_alphabet(lam))
    claim = f"Thm. 2 network (d=1, n={n}, N={N}, lambda={lam}) uses only the weights {{-1, i/{lam}}}"
    details = {"used": sorted(str(v) for v in used)}
    off = sorted(used - grid)
    if off:
        return Certificate(claim, Verdict.VIOLATED, Q(len(off)), (off[0],), "counted weights", details)
    return Certificate(claim, Verdict.HOLDS, Q(len(used)), None, "counted weights", details)


_T2 = SOURCE + ", Theorem 2 / App. A.3"
for _lam in (2, 4):
    for _n, _N in ((1, 8), (2, 4)):
        register(Claim(
            id=f"ding2019/thm2-error/d=1/n={_n}/N={_N}/lambda={_lam}",
            statement=f"f' of Thm. 2 (linear grid, lambda={_lam}) for f = x^2/2, n={_n}, N={_N}: "
                      "sup |f' - f| <= 3*2^d (d/N)^n",
            source=_T2, check=lambda n=_n, N=_N, lam=_lam: theorem1_error(1, n, N, lam=lam, quantization="linear"),
            paper_statement="the same proof as Theorem 1 except for a different sub-network for weight approximation"))
register(Claim(
    id="ding2019/thm2-grid/d=1/n=1/N=8/lambda=4",
    statement="Thm. 2's network (Thm. 1's with the linear B_w) uses only weights on the grid {-1, i/lambda}",
    source=_T2, check=lambda: theorem2_grid(1, 8, 4),
    paper_statement="For linear quantization ... we can use the same proof for nonlinear quantization except for "
                    "a different subnetwork for weight approximation",
    erratum="only B_w changes in the proof, but Propositions 1-2 (squaring, x', B_abs) use the weight -1/2, "
            "which is not on the linear grid {-1, 1/lambda, ..., (lambda-1)/lambda}; the statement needs those "
            "blocks rebuilt with -1 (e.g. k units read with -1/2 -> k/2 units read with -1)"))


def theorem1_terms(d: int, n: int, N: int) -> Certificate:
    """App. A.2: f_2 is a combination of at most d^n (N+1)^d terms f_{m,n} (n (N+1) when d = 1).

    Counted on the built network (metadata ``terms``: one per (m, alpha), |alpha| < n).

    Examples
    --------
    >>> c = theorem1_terms(1, 2, 4)
    >>> print(c.verdict.value, c.value)
    holds 10
    """
    from exactnet.constructions.ding2019 import theorem1_net

    net = theorem1_net(_X2_HALF if d == 1 else _XY_HALF, d=d, n=n, N=N, lam=2)
    terms = int(net.metadata["terms"])
    bound = n * (N + 1) if d == 1 else d**n * (N + 1) ** d
    claim = (f"Thm. 1 (d={d}, n={n}, N={N}): at most "
             f"{'n(N+1)' if d == 1 else 'd^n (N+1)^d'} = {bound} terms f_(m,n)")
    if terms > bound:
        return Certificate(claim, Verdict.VIOLATED, Q(bound), (Q(terms),), "counted terms", {})
    return Certificate(claim, Verdict.HOLDS, Q(terms), None, "counted terms", {"bound": bound})


for _d, _n, _N in ((1, 1, 8), (1, 2, 4), (1, 3, 2), (2, 1, 4), (2, 2, 2)):
    register(Claim(
        id=f"ding2019/thm1-terms/d={_d}/n={_n}/N={_N}",
        statement=f"f_2 of Thm. 1 (d={_d}, n={_n}, N={_N}) has at most d^n (N+1)^d terms (n(N+1) for d = 1)",
        source=_T1, check=lambda d=_d, n=_n, N=_N: theorem1_terms(d, n, N),
        paper_statement="f_2 is a linear combination of at most d^n (N+1)^d terms of f_{m,n}(x) ... when d = 1, "
                        "the number of terms should be n(N+1)^d instead"))
