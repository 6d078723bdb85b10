"""Claims from the appendix of "On the Expressive Power of Weight Quantization in Deep Neural Networks".

Anonymous, ICLR 2025 submission 8793 (OpenReview PtCebqZFtC), appendix B-H.
Each lemma, algorithm and theorem ends as *holds as stated*, *holds under a
named repair* (``.../repair=...``) or *false / ill-posed* (an ``erratum`` whose
check is VIOLATED with an exact counterexample).  The networks and
algorithms are in :mod:`exactnet.constructions.weightquant`.
"""

from __future__ import annotations

from exactnet.catalogue import Claim, annotate, register
from exactnet.certificate import Certificate, Verdict
from exactnet.compose import affine_net, sequential
from exactnet.constructions.gonon2023 import perturb, worst_sign_perturbation
from exactnet.constructions.weightquant import (
    algorithm1,
    algorithm1_repaired,
    identity_width2_net,
    lemma3_with_algorithm1,
    product_net,
    square_odd_net,
    square_sum_net,
    theorem5_delta,
    width1_net,
)
from exactnet.exhaustive import check_on_grid
from exactnet.network import Network
from exactnet.numbers import Interval, Q, QLike, approx, q
from exactnet.supnorm import certify, certify_equal

__all__ = [
    "algorithm1_check",
    "algorithm2_check",
    "lemma1_printed",
    "lemma1_repaired",
    "lemma2_printed",
    "lemma2_repaired",
    "lemma3_check",
    "lemma3_reals",
    "theorem4_jump",
    "theorem4_step",
    "theorem5_check",
]

SOURCE = "'On the Expressive Power of Weight Quantization in Deep Neural Networks' (ICLR 2025 submission 8793), appendix"


def lemma1_printed(q_value: int) -> Certificate:
    """The printed network q relu(q x) is the identity on [-1, 1] (a necessary part of "on R").

    Examples
    --------
    >>> c = lemma1_printed(1)
    >>> print(c.verdict.value, c.witness[0])
    violated -1
    """
    return certify_equal(width1_net(q_value, q_value), "x", Interval(-1, 1))


def lemma1_repaired(which: str) -> Certificate:
    """The repairs of Lemma 1, certified on [-1, 1] and extended to R by positive homogeneity.

    ``which="width-2"``: relu(x) - relu(-x) = x; ``"q=1,x>=0"`` and
    ``"q=-1,x<=0"``: the printed width-1 network on its half-line.  All three
    networks have zero biases, so N(t x) = t N(x) for t > 0, and equality on
    [-1, 1] (resp. [0, 1], [-1, 0]) gives equality on R (resp. the half-line).

    Examples
    --------
    >>> print(lemma1_repaired("width-2").verdict.value)
    holds
    """
    net, domain = {
        "width-2": (identity_width2_net(), Interval(-1, 1)),
        "q=1,x>=0": (width1_net(1, 1), Interval(0, 1)),
        "q=-1,x<=0": (width1_net(-1, -1), Interval(-1, 0)),
    }[which]
    c = certify_equal(net, "x", domain)
    if c.verdict is Verdict.HOLDS:
        c = annotate(
            c,
            finding="holds",
            note="zero biases: positively homogeneous, so the interval extends to R",
        )
    return c


def lemma2_printed(K: int) -> Certificate:
    """Lemma 2's formula with the sum's upper limit fixed to K equals x^2 on 0..K.

    Examples
    --------
    >>> c = lemma2_printed(3)
    >>> print(c.verdict.value, c.witness[0], c.value)
    violated 0 9
    """
    return check_on_grid(
        square_sum_net(K),
        range(K + 1),
        1,
        lambda x: x * x,
        claim=f"sum_(i=1..{K}) I(Delta(i) + omega) = x^2 for x = 0..{K}",
    )


def lemma2_repaired(K: int, *, symmetric: bool = False) -> Certificate:
    """The odd-number network S_K equals x^2 on the integers 0..K (or -K..K).

    Examples
    --------
    >>> print(lemma2_repaired(5, symmetric=True).verdict.value)
    holds
    """
    lo = -K if symmetric else 0
    return check_on_grid(
        square_odd_net(K, symmetric=symmetric),
        range(lo, K + 1),
        1,
        lambda x: x * x,
        claim=f"sum_(i=1..{K}) (2i-1) [x >= i] = x^2 for integers {lo} <= x <= {K}",
    )


def algorithm1_check(K: int, *, repaired: bool = False) -> Certificate:
    """Algorithm 1 (as printed or repaired) returns x^2 for the integers -K..K.

    The reference x^2 is the value of the odd-number network, itself certified
    equal to x^2 by :func:`lemma2_repaired`; a violation is re-confirmed by
    exact evaluation of that network.

    Examples
    --------
    >>> c = algorithm1_check(8)
    >>> print(c.verdict.value, c.witness[0], c.details["network_value"], c.details["expected_value"])
    violated 2 4 2
    """
    run = algorithm1_repaired if repaired else algorithm1
    return check_on_grid(
        square_odd_net(K, symmetric=True),
        range(-K, K + 1) if repaired else range(K + 1),
        1,
        lambda x: Q(run(int(x))),
        claim=f"Algorithm 1{' (repaired)' if repaired else ''} returns x^2 for integers "
        f"{-K if repaired else 0} <= x <= {K}",
    )


def _line(net: Network, x2: int) -> Network:
    """x1 -> net(x1, x2): the two-input network restricted to a horizontal line."""
    return sequential(affine_net([[1], [0]], [0, x2]), net)


def lemma3_check(K: int, *, with_algorithm1: bool = False) -> Certificate:
    """M(x1, x2) = x1 x2 on the integers -K..K squared, one exact line x2 = j at a time.

    With ``with_algorithm1=True`` the values of Lemma 3 built from Algorithm 1
    (the proof's prescription for n = 1) are compared with the repaired
    product network (itself certified with ``with_algorithm1=False``).

    Examples
    --------
    >>> print(lemma3_check(3).verdict.value)
    holds
    >>> c = lemma3_check(3, with_algorithm1=True)
    >>> print(c.verdict.value, c.witness[0], c.details["x2"], c.details["expected_value"])
    violated -3 -3 2
    """
    M = product_net(K)
    cert = None
    for j in range(-K, K + 1):
        if with_algorithm1:
            expected = lambda x, j=j: Q(lemma3_with_algorithm1(int(x), j))
            text = (
                f"(S(x1 + {j}) - S(x1 - {j})) >> 2 with S = Algorithm 1 equals x1 * {j}"
            )
        else:
            expected = lambda x, j=j: x * j
            text = f"M(x1, {j}) = x1 * {j}"
        cert = check_on_grid(
            _line(M, j),
            range(-K, K + 1),
            1,
            expected,
            claim=text + f" for integers |x1| <= {K}",
        )
        if cert.verdict is not Verdict.HOLDS:
            details = dict(cert.details)
            details["x2"] = j
            return Certificate(
                cert.claim, cert.verdict, cert.value, cert.witness, cert.method, details
            )
    assert cert is not None
    return annotate(
        cert,
        finding="holds",
        note=f"all {2 * K + 1} lines x2 = -{K}..{K} hold (certificate of the last)",
    )


def lemma3_reals(K: int) -> Certificate:
    """The product network on the diagonal x1 = x2 = x equals x^2 on [0, 1]: false off the integers.

    No ReLU network equals x1 x2 on an open set (it is piecewise linear there,
    x1 x2 is not); the exact witness for this network is found on the diagonal.

    Examples
    --------
    >>> c = lemma3_reals(2)
    >>> print(c.verdict.value, c.witness[0], c.value)
    violated 1/4 1/16
    """
    diag = sequential(affine_net([[1], [1]], [0, 0]), product_net(K))
    return certify(diag, "x^2", Interval(0, 1), 0)


def _zero_net() -> Network:
    return Network.from_layers(
        [[[0]]], [[0]], ["identity"], inputs=["x"], outputs=["y"]
    )


def algorithm2_check(
    m: int, eps: QLike, *, repaired: bool = False, lo: QLike = "1/2", hi: QLike = "3/2"
) -> Certificate:
    """sup over [lo, hi] of |1/x - D_m(x)| <= eps, with D_m the polynomial Algorithm 2 computes.

    D_m is written out as a formula (its factors from :func:`algorithm2`'s
    derivation) and the exact sup of |0 - (1/x - D_m)| is computed by the
    PWL-and-root-isolation route of :mod:`exactnet.supnorm`.

    Examples
    --------
    >>> c = algorithm2_check(1, "1/2")
    >>> print(c.verdict.value, c.value, c.witness[0])
    holds 13/32 1/2
    """
    exps = range(1, m + 1) if repaired else range(2, m + 2)
    product = "(2 - x)" + "".join(f"*(1 + (1 - x)^{2**j})" for j in exps)
    return certify(_zero_net(), f"1/x - {product}", Interval(q(lo), q(hi)), eps)


def theorem4_step() -> Certificate:
    """The proof step "f_1bit(0) = 0" for the 1-bit network relu(x + 1) (weight 1, bias 1).

    Examples
    --------
    >>> c = theorem4_step()
    >>> print(c.verdict.value, c.witness[0], c.value)
    violated 0 1
    """
    net = width1_net(1, 1, 1, 0)
    return check_on_grid(
        net,
        [0],
        1,
        lambda x: Q(0),
        claim="every 1-bit network f has f(0) = 0 (here relu(x + 1))",
    )


def theorem4_jump() -> Certificate:
    """Theorem 4's target for c = -1 jumps at x1 = 1/2 from exp(-1/3) >= 2/3 down to 0.

    Certified: 2/3 - exp(-x^2/(1 - x^2)) <= 0 at x = 1/2 (Arb enclosure).  Any
    continuous g then has sup |f - g| >= 1/3: near x1 = 1/2 it cannot be within
    less than half the jump of both sides.  So the theorem holds with
    delta = 1/3, for every continuous approximant, quantized or not.

    Examples
    --------
    >>> c = theorem4_jump()
    >>> print(c.verdict.value, c.details["finding"])
    holds holds
    """
    two_thirds = Network.from_layers(
        [[[0]]], [[Q(2, 3)]], ["identity"], inputs=["x"], outputs=["y"]
    )
    half = Q(1, 2)
    c = certify(
        two_thirds, "exp(-x^2/(1 - x^2))", Interval(half, half), 0, side="above"
    )
    if c.verdict is Verdict.HOLDS:
        c = annotate(
            c,
            finding="holds",
            note="trivially: f is discontinuous at |x1| = 1/2 (jump exp(c/(c+4)) >= 2/3 for c = -1), so every "
            "continuous g, 1-bit or not, has sup |f - g| >= 1/3; for c <= -4 f is undefined at x1 = 1/sqrt(-c)",
        )
    return c


def _theorem5_net(n: int) -> Network:
    """A 1-input network of depth 3, widths (1, 2, 1, 1), weights in [-(n-2), n-2] (so +-1 moves stay within n-1)."""
    a = Q(n - 2)
    return Network.from_layers(
        [[[a], [-a]], [[a, a]], [[-a]]],
        [[a, -a], [-a], [a]],
        inputs=["x"],
        outputs=["y"],
    )


def theorem5_check(n: int, D: QLike = 1, delta: QLike = "1/8") -> Certificate:
    """Theorem 5's explicit inequality sup |f_theta - f_theta_hat| <= Delta(D, N_w, L, n) R, worst sign perturbation.

    For the network of :func:`_theorem5_net` (N_w = 2, L = 3, |theta| <= n - 2)
    every perturbation theta_hat = theta + s delta, s in {-1, 1}^P (P = 9), is
    tried; the exact sup over [-D, D] of the largest one is certified against
    Delta(D, 2, 3, n) * delta.

    Examples
    --------
    >>> c = theorem5_check(3)
    >>> print(c.verdict.value, c.details["finding"])
    holds holds, loose
    """
    net = _theorem5_net(n)
    delta, D = q(delta), q(D)
    bound = theorem5_delta(D, 2, 3, n) * delta
    signs, _, _ = worst_sign_perturbation(net, delta, Interval(-D, D))
    worst = perturb(net, [s * delta for s in signs])
    c = certify(_difference(net, worst), "0", Interval(-D, D), bound)
    if c.verdict is Verdict.HOLDS:
        c = annotate(
            c,
            finding="holds, loose",
            note=f"exact worst sup {c.value} against Delta*R = {bound}: ratio ≈ {approx(c.value / bound, 4)}",
        )
    return c


def _difference(a: Network, b: Network) -> Network:
    from exactnet.compose import affine_combination

    return affine_combination([(1, a), (-1, b)])


for _q in (1, -1):
    register(
        Claim(
            id=f"weightquant/lemma1/as-printed/q={_q}",
            statement=f"the two-layer width-1 network {_q}*relu({_q}*x) is the identity on R (checked on [-1, 1])",
            source=SOURCE + " B, Lemma 1",
            check=lambda v=_q: lemma1_printed(v),
            paper_statement="A n-bit quantized neural network with two layers and a width of 1 can exactly approximate the identity function I: R -> R",
            erratum="no network a*relu(b*x + c) + d is the identity on R: it is the constant d on a half-line "
            "(width1_counterexample gives the point for every a, b, c, d); the proof switches q with the sign of x",
        )
    )
for _which in ("width-2", "q=1,x>=0", "q=-1,x<=0"):
    register(
        Claim(
            id=f"weightquant/lemma1/repair={_which}",
            statement={
                "width-2": "relu(x) - relu(-x) = x on R (two layers, width 2, weights +-1)",
                "q=1,x>=0": "relu(x) = x on [0, inf)",
                "q=-1,x<=0": "-relu(-x) = x on (-inf, 0]",
            }[_which],
            source=SOURCE + " B, Lemma 1 (repair)",
            check=lambda w=_which: lemma1_repaired(w),
        )
    )
for _K in (1, 4, 16):
    register(
        Claim(
            id=f"weightquant/lemma2/as-printed/K={_K}",
            statement=f"S(x) = sum_(i=1..{_K}) I(Delta(i) + omega*1), Delta(i) = I(i) + I(i), equals x^2 for x = 0..{_K}",
            source=SOURCE + " C, Lemma 2",
            check=lambda K=_K: lemma2_printed(K),
            paper_statement="two layers and a width of O(x) can exactly approximate the square function S: R -> R",
            erratum="ill-posed: a width O(x) depends on the input; read with a fixed width K the printed units get "
            "the constants 2i - 1 (x enters no unit), so S = K^2 everywhere, wrong at x = 0; and x^2 is not "
            "piecewise linear, so no ReLU network equals it on an interval of R",
        )
    )
for _K in (4, 16, 64):
    register(
        Claim(
            id=f"weightquant/lemma2/repair=odd-sum/K={_K}",
            statement=f"sum_(i=1..{_K}) (2i-1)(relu(x-i+1) - relu(x-i)) + (same in -x) = x^2 for integers |x| <= {_K}",
            source=SOURCE + " C, Lemma 2 (repair: integer domain, indicators [x >= i])",
            check=lambda K=_K: lemma2_repaired(K, symmetric=True),
        )
    )
register(
    Claim(
        id="weightquant/algorithm1/as-printed",
        statement="Algorithm 1, run as printed, returns x^2 for the integers 0..32",
        source=SOURCE + " C, Algorithm 1",
        check=lambda: algorithm1_check(32),
        erratum="line 13 adds x << p with x already shifted right p times: Algorithm 1(2) = 2, (3) = 5",
    )
)
register(
    Claim(
        id="weightquant/algorithm1/repair=shift-input",
        statement="Algorithm 1 with line 13 adding x0 << p (x0 the input) returns x^2 for integers |x| <= 64",
        source=SOURCE + " C, Algorithm 1 (repair)",
        check=lambda: algorithm1_check(64, repaired=True),
    )
)
register(
    Claim(
        id="weightquant/lemma3/with-algorithm1",
        statement="(S(x1+x2) - S(x1-x2)) >> 2 with S from Algorithm 1 (the proof's n = 1 case) equals x1*x2, |x1|, |x2| <= 4",
        source=SOURCE + " D, Lemma 3",
        check=lambda: lemma3_check(4, with_algorithm1=True),
        erratum="inherits Algorithm 1's error: e.g. M(1, 1) = (2 - 0) >> 2 = 0",
    )
)
register(
    Claim(
        id="weightquant/lemma3/repair=exact-square/K=4",
        statement="(S(x1+x2) - S(x1-x2))/4 with the odd-number S equals x1*x2 for integers |x1|, |x2| <= 4",
        source=SOURCE + " D, Lemma 3 (repair: integer domain)",
        check=lambda: lemma3_check(4),
    )
)
register(
    Claim(
        id="weightquant/lemma3/as-printed/reals",
        statement="the product network equals x1*x2 on R x R (checked on the diagonal x1 = x2 in [0, 1])",
        source=SOURCE + " D, Lemma 3",
        check=lambda: lemma3_reals(2),
        paper_statement="can exactly approximate the multiplication function M: R x R -> R",
        erratum="x1*x2 is not piecewise linear, so no ReLU network equals it on an open set; also 'one layer' in the "
        "statement against 'two layers' in the proof",
    )
)
register(
    Claim(
        id="weightquant/algorithm2/as-printed/m=4",
        statement="Algorithm 2's D_4 is within 1/10 of 1/x on [1/2, 3/2]",
        source=SOURCE + " E, Algorithm 2",
        check=lambda: algorithm2_check(4, "1/10"),
        erratum="Algorithm 2 starts the product at (1-x)^4 and never multiplies by 1 + (1-x)^2, so D_m -> "
        "1/(x(1 + (1-x)^2)), e.g. 8/5 instead of 2 at x = 1/2",
    )
)
for _m in (2, 3, 4):
    register(
        Claim(
            id=f"weightquant/algorithm2/repair=factor-(1-x)^2/m={_m}",
            statement=f"(2-x) prod_(i=1..{_m}) (1 + (1-x)^(2^i)) is within (1/2)^(2^{_m + 1})/(1/2) of 1/x on [1/2, 3/2]",
            source=SOURCE + " E, Lemma 4 (its product formula, evaluated exactly)",
            check=lambda m=_m: algorithm2_check(
                m, Q(2) * Q(1, 2) ** (2 ** (m + 1)), repaired=True
            ),
        )
    )
register(
    Claim(
        id="weightquant/theorem4/proof-step/reading=1-bit-biases",
        statement="every ReLU network with weights and biases in {-1, 1} has f(0) = 0 (the proof's step), for relu(x + 1)",
        source=SOURCE + " G, Theorem 4 (proof)",
        check=theorem4_step,
        erratum="with a nonzero bias f_1bit(0) need not be 0 (relu(0 + 1) = 1); without biases the values on "
        "{-1,0,1}^N need not lie in {-1,0,1} (relu(x) + relu(x) = 2 at x = 1)",
    )
)
register(
    Claim(
        id="weightquant/theorem4/conclusion/c=-1",
        statement="f(x) = exp(-x1^2/(1 - x1^2)) on |x1| <= 1/2, 0 elsewhere: f(1/2) >= 2/3, so sup |f - g| >= 1/3 "
        "for every continuous g (in particular every 1-bit ReLU network)",
        source=SOURCE + " G, Theorem 4",
        check=theorem4_jump,
        paper_statement="There exist a function f(x) that maps from [-1, 1]^N to R^M and a certain constant delta, such "
        "that for any 1-bit weight, it holds sup_x ||f(x) - f_1bit(x)|| >= delta",
    )
)
for _n in (3, 4):
    register(
        Claim(
            id=f"weightquant/theorem5/explicit-inequality/n={_n}",
            statement=f"sup_[-1,1] |f_theta - f_theta_hat| <= Delta(1, 2, 3, {_n}) * 1/8 for every sign perturbation "
            f"of size 1/8 of a depth-3 network of widths (1, 2, 1, 1) with |theta| <= {_n} - 1",
            source=SOURCE
            + " H, Theorem 5 (the bound with Delta before the O-notation)",
            check=lambda n=_n: theorem5_check(n),
            full_only=_n > 3,
        )
    )
