"""The networks and algorithms of the appendix of "On the Expressive Power of Weight Quantization".

Anonymous, "On the Expressive Power of Weight Quantization in Deep Neural
Networks", ICLR 2025 submission 8793 (OpenReview id PtCebqZFtC), appendix
B-H: Lemma 1 (identity), Lemma 2 and Algorithm 1 (square), Lemma 3
(multiplication), Lemma 4 and Algorithm 2 (reciprocal), Theorems 4 and 5.
The authors are not named in the submission, hence the module name.

The symbol omega of the appendix is never defined there; the proof of Lemma 1
needs ``x = omega * relu(omega * x)`` for every x <= 0, which forces
omega^2 = 1 and omega < 0, so omega = -1 (:data:`OMEGA`).

Everything here builds networks or runs the printed algorithms on exact
numbers; the statements are decided in :mod:`exactnet.claims.weightquant`.
"""

from __future__ import annotations

from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Q, QLike, q

__all__ = [
    "OMEGA",
    "algorithm1",
    "algorithm1_repaired",
    "algorithm2",
    "identity_width2_net",
    "lemma3_with_algorithm1",
    "product_net",
    "reciprocal_sup_error",
    "square_odd_net",
    "square_sum_net",
    "theorem5_delta",
    "width1_counterexample",
    "width1_net",
]

OMEGA = Q(-1)
"""The appendix's omega: the only real with x = omega relu(omega x) for all x <= 0."""

_SOURCE = "appendix of 'On the Expressive Power of Weight Quantization in Deep Neural Networks' (ICLR 2025 submission)"


def _int(value: object, name: str, low: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise InvalidArgument(f"{name}={value!r} must be an integer >= {low}")
    return value


def width1_net(a: QLike, b: QLike, c: QLike = 0, d: QLike = 0) -> Network:
    """The general two-layer width-1 ReLU network x -> a relu(b x + c) + d.

    Lemma 1 of the appendix uses ``q relu(q x + 0)`` (a = b = q, c = d = 0)
    with q = 1 for x >= 0 and q = omega = -1 for x < 0.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> print(evaluate(width1_net(1, 1), 3)[0], evaluate(width1_net(1, 1), -3)[0])
    3 0
    >>> print(evaluate(width1_net(-1, -1), -3)[0])
    -3
    """
    return Network.from_layers(
        [[[q(b)]], [[q(a)]]],
        [[q(c)], [q(d)]],
        inputs=["x"],
        outputs=["y"],
        metadata={
            "construction": "width-1 identity candidate",
            "paper": _SOURCE + ", Lemma 1",
        },
    )


def width1_counterexample(a: QLike, b: QLike, c: QLike = 0, d: QLike = 0) -> Q:
    """An exact point x with a relu(b x + c) + d != x: no width-1 net is the identity on R.

    Where ``b x + c <= 0`` the network is the constant d, and that set contains a
    half-line (or all of R when b = 0); the point returned lies in it and
    differs from d, so the network's value d differs from x.

    Examples
    --------
    The printed network of Lemma 1 with q = 1 fails at x = -1, with q = -1 at x = 1:

    >>> print(width1_counterexample(1, 1), width1_counterexample(-1, -1))
    -1 1
    """
    a, b, c, d = q(a), q(b), q(c), q(d)
    if b == 0:
        value = a * (c if c > 0 else ZERO) + d
        return value + 1
    knee = -c / b
    if b > 0:  # relu(b x + c) = 0 for x <= knee
        return min(knee, d) - 1
    return max(knee, d) + 1  # b < 0: relu(b x + c) = 0 for x >= knee


def identity_width2_net() -> Network:
    """The repair of Lemma 1: x = relu(x) - relu(-x), two layers, width 2, weights in {-1, 1}.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> print(*[evaluate(identity_width2_net(), t)[0] for t in ["-7/3", "0", "5"]])
    -7/3 0 5
    """
    return Network.from_layers(
        [[[ONE], [-ONE]], [[ONE, -ONE]]],
        [[ZERO, ZERO], [ZERO]],
        inputs=["x"],
        outputs=["y"],
        metadata={
            "construction": "identity relu(x) - relu(-x)",
            "paper": _SOURCE + ", Lemma 1 (repair)",
        },
    )


def square_sum_net(K: int) -> Network:
    """Lemma 2 as printed, with the upper summation limit fixed to K.

    ``S(x) = sum_(i=1..K) I(Delta(i) + omega * 1)`` with ``Delta(i) = I(i) + I(i)``
    and I the identity of Lemma 1 written as relu(z) - relu(-z).  The argument of
    every unit is the constant 2i - 1 (the printed formula never feeds x into
    a unit), so the network is the constant K^2 = 1 + 3 + ... + (2K - 1).

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> print(*[evaluate(square_sum_net(3), t)[0] for t in [0, 1, 3]])
    9 9 9
    """
    K = _int(K, "K", 1)
    rows = []
    biases = []
    for i in range(1, K + 1):
        z = 2 * Q(i) + OMEGA  # Delta(i) + omega * 1 = 2i - 1
        rows += [[ZERO], [ZERO]]  # the printed formula has no weight from x
        biases += [z, -z]
    out = [[ONE if j % 2 == 0 else -ONE for j in range(2 * K)]]
    return Network.from_layers(
        [rows, out],
        [biases, [ZERO]],
        inputs=["x"],
        outputs=["y"],
        metadata={
            "construction": "Lemma 2 as printed",
            "K": K,
            "paper": _SOURCE + ", Lemma 2",
        },
    )


def square_odd_net(K: int, *, symmetric: bool = False) -> Network:
    """The repair of Lemma 2: x^2 on the integers 0..K as a sum of odd numbers.

    On integers, ``relu(x - i + 1) - relu(x - i)`` is the indicator [x >= i], so

        S_K(x) = sum_(i=1..K) (2i - 1) (relu(x - i + 1) - relu(x - i))

    is sum over i <= x of (2i - 1) = x^2 for x in {0, ..., K}: two layers,
    width 2K.  With ``symmetric=True`` the same sum in -x is added, so S_K(x) =
    x^2 for x in {-K, ..., K} (width 4K).  Between integers S_K is the chord of
    x^2 only up to a step shape, and for x > K it stays K^2.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> print(*[evaluate(square_odd_net(4), k)[0] for k in range(5)])
    0 1 4 9 16
    >>> print(evaluate(square_odd_net(4, symmetric=True), -3)[0])
    9
    """
    K = _int(K, "K", 1)
    rows, biases, out = [], [], []
    for sign in (ONE, -ONE) if symmetric else (ONE,):
        for i in range(1, K + 1):
            rows += [[sign], [sign]]
            biases += [Q(1 - i), Q(-i)]
            out += [Q(2 * i - 1), Q(1 - 2 * i)]
    return Network.from_layers(
        [rows, [out]],
        [biases, [ZERO]],
        inputs=["x"],
        outputs=["y"],
        metadata={
            "construction": "sum of odd numbers",
            "K": K,
            "symmetric": symmetric,
            "valid_on": f"integers {-K if symmetric else 0}..{K}",
            "paper": _SOURCE + ", Lemma 2 (repair)",
        },
    )


def algorithm1(x: int) -> int:
    """Algorithm 1 of the appendix, run line by line as printed.

    Line 13 adds ``x << p`` where x has already been shifted right p times in
    line 15, so the sum is over the set bits p of the input x0 of
    ``(x0 >> p) << p`` (x0 with its low p bits cleared), not x0 * x0.
    Line 4 (``0`` when x == 0) returns nothing; the loop then returns 0 anyway.

    Examples
    --------
    >>> [algorithm1(x) for x in range(6)]
    [0, 1, 2, 5, 4, 9]
    """
    if not isinstance(x, int):
        raise InvalidArgument(f"algorithm1 runs on integers, got {x!r}")
    if x < 0:
        x = -x
    s = 0
    p = 0
    while x > 0:
        if x & 1:
            s = s + (x << p)
        x = x >> 1
        p = p + 1
    return s


def algorithm1_repaired(x: int) -> int:
    """Algorithm 1 with line 13 adding the *input* shifted by p (shift-and-add squaring).

    Examples
    --------
    >>> [algorithm1_repaired(x) for x in range(-3, 6)]
    [9, 4, 1, 0, 1, 4, 9, 16, 25]
    """
    if not isinstance(x, int):
        raise InvalidArgument(f"algorithm1_repaired runs on integers, got {x!r}")
    x0 = -x if x < 0 else x
    x, s, p = x0, 0, 0
    while x > 0:
        if x & 1:
            s += x0 << p
        x >>= 1
        p += 1
    return s


def product_net(K: int) -> Network:
    """Lemma 3 with the repaired square: M(x1, x2) = (S(x1 + x2) - S(x1 - x2)) / 4.

    S is :func:`square_odd_net` (2K, symmetric), exact on the integers
    -2K..2K, so M(x1, x2) = x1 x2 for all integers |x1|, |x2| <= K.  The final
    ``>> 2`` of the paper is the output weight 1/4 (exact here because
    (x1 + x2)^2 - (x1 - x2)^2 = 4 x1 x2).  Two inputs, two layers, width 16K.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> print(evaluate(product_net(3), [-2, 3])[0], evaluate(product_net(3), [3, 3])[0])
    -6 9
    """
    K = _int(K, "K", 1)
    S = square_odd_net(2 * K, symmetric=True)
    (first, last) = S.layers()
    rows, biases, out = [], [], []
    for sign, c in ((ONE, Q(1, 4)), (-ONE, Q(-1, 4))):  # t = x1 + x2, then x1 - x2
        for (row, b), w in zip(zip(first.weights, first.biases), last.weights[0]):
            rows.append([row[0], sign * row[0]])
            biases.append(b)
            out.append(c * w)
    return Network.from_layers(
        [rows, [out]],
        [biases, [ZERO]],
        inputs=["x1", "x2"],
        outputs=["y"],
        metadata={
            "construction": "product via squares",
            "K": K,
            "paper": _SOURCE + ", Lemma 3 (repair)",
        },
    )


def lemma3_with_algorithm1(x1: int, x2: int) -> int:
    """Lemma 3 for n = 1 as the proof prescribes: both squares from Algorithm 1, then ``>> 2``.

    Examples
    --------
    Algorithm 1 gives 2 for 2^2 and 5 for 3^2, so M(1, 1) = (2 - 0) >> 2 = 0 and
    M(1, 2) = (5 - 1) >> 2 = 1 (instead of 1 and 2):

    >>> lemma3_with_algorithm1(1, 1), lemma3_with_algorithm1(1, 2)
    (0, 1)
    """
    return (algorithm1(x1 + x2) - algorithm1(x1 - x2)) >> 2


def algorithm2(x: QLike, m: int, *, repaired: bool = False) -> Q:
    """Algorithm 2 of the appendix on exact numbers, with exact S (square) and M (product).

    As printed: Delta_1 = 1 - x, Delta_2 = 2 - x, Delta_3 = S(Delta_1) = (1 - x)^2,
    Delta_(4,1) = S(Delta_3) + 1 = (1 - x)^4 + 1 and
    Delta_(4,i+1) = S^(i+1)(Delta_3) + 1 = (1 - x)^(2^(i+2)) + 1, so

        D_m(x) = (2 - x) prod_(j=2..m+1) (1 + (1 - x)^(2^j)),

    which lacks the factor 1 + (1 - x)^2 of the product in Lemma 4
    (1/x = (2 - x) prod_(i>=1) (1 + (1 - x)^(2^i)) for 0 < x < 2).  With
    ``repaired=True`` the factors j = 1..m are used (Lemma 4's product).

    The loop is run with exact squares and products (the networks S and M of
    Lemmas 2 and 3 are exact only on integers, and 1 - x is not an integer
    for 0 < x < 2 except at x = 1).

    Examples
    --------
    >>> print(algorithm2("1/2", 1), algorithm2("1/2", 1, repaired=True))
    51/32 15/8
    """
    x = q(x)
    m = _int(m, "m", 1)
    y = ONE - x
    exps = range(1, m + 1) if repaired else range(2, m + 2)
    d = 2 - x
    for j in exps:
        d *= 1 + y ** (2**j)
    return d


def reciprocal_sup_error(a: QLike, b: QLike, m: int) -> tuple[Q, Q]:
    """sup over [a, b] of |1/x - D_m(x)| for the repaired product of Lemma 4, and where.

    With y = 1 - x, (1 + y)(1 + y^2)...(1 + y^(2^m)) = (1 - y^(2^(m+1))) / (1 - y),
    so 1/x - D_m(x) = y^(2^(m+1)) / x >= 0: decreasing on (0, 1] and
    increasing on [1, 2), so the sup over [a, b] is attained at a or b.

    Parameters
    ----------
    a, b : rational, 0 < a <= b < 2

    Returns
    -------
    (value, point)

    Examples
    --------
    >>> [str(v) for v in reciprocal_sup_error("1/2", "3/2", 2)]
    ['1/128', '1/2']
    """
    a, b = q(a), q(b)
    m = _int(m, "m", 1)
    if not 0 < a <= b < 2:
        raise InvalidArgument(
            f"interval [{a}, {b}] must lie in (0, 2) (where the product converges)"
        )
    n = 2 ** (m + 1)

    def err(x: Q) -> Q:
        return abs(ONE - x) ** n / x

    return max((err(a), a), (err(b), b))


def theorem5_delta(x_norm: QLike, Nw: int, L: int, n: int) -> Q:
    """Delta(x, N_w, L, n) of the proof of Theorem 5, exactly, for a rational ||x||_2.

    Delta = N_w [ L (N_w n)^(L-1) ||x||_2
                  + L (N_w n)^L / (N_w n - 1) * ((N_w n)^L - 1) / (N_w n - 1)^2 ],

    the factor of R(theta, theta_hat) = max |theta - theta_hat| in the proof's
    bound on ||f_theta(x) - f_theta_hat(x)||_2, for weights with |theta| <= n - 1.

    Examples
    --------
    N_w = 1, L = 1, n = 2: Delta = 1 * [1 * 1 * ||x|| + 1 * 2 / 1 * 1 / 1] = ||x|| + 2.

    >>> print(theorem5_delta(3, 1, 1, 2))
    5
    """
    Nw, L, n = _int(Nw, "Nw", 1), _int(L, "L", 1), _int(n, "n", 2)
    a = Q(Nw * n)
    if a == 1:
        raise InvalidArgument("N_w * n = 1 makes Delta divide by zero")
    return Nw * (
        L * a ** (L - 1) * q(x_norm) + L * a**L / (a - 1) * (a**L - 1) / (a - 1) ** 2
    )
