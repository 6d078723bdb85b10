"""Bit extraction networks (Ou, Schenkel, Bölcskei 2024; Bartlett, Harvey, Liaw, Mehrabian 2019).

A bit extraction network maps x = k / 2^n (0 <= k < 2^n) to the n binary digits
of k, most significant first: output j is floor(k / 2^(n-j)) mod 2.  Bit
extraction is the decoding step of every memory-optimal construction in
Ou, Schenkel and Bölcskei, "Three Quantization Regimes for ReLU Networks"
(arXiv:2405.01952, 2024): many weights' worth of bits are stored in one number
and read out again by a deep narrow network.

Two builders:

- :func:`bit_extraction_net` (classic): the residual-doubling construction
  r_0 = x, b_j = [r_(j-1) >= 1/2], r_j = 2 r_(j-1) - b_j, the threshold made of
  two ReLUs with a ramp of width 2^-(n-j+1) (the grid spacing of r_(j-1)).
  Depth n + 1, width n + 1, but weights as large as 2^n: the bits per weight
  grow with n.
- :func:`bit_extraction_refined_net` (refined: fewer bits per weight): the
  same recursion with every steep ramp replaced by a unit-slope ramp followed
  by a chain of doublings, so every edge weight is in {-2, 1, 2} (2 bits
  per weight in the codebook reading) at depth n(n+1)/2 + 1: precision traded
  for depth.

:func:`bit_extraction_sizes` and :func:`bit_extraction_refined_sizes` state
the sizes, derived by hand from the construction (see their Notes), so that
``exactnet.counts.certify_sizes`` compares them with the counted metrics.

References
----------
.. [1] W. Ou, P. Schenkel, H. Bölcskei, "Three Quantization Regimes for ReLU
   Networks", arXiv:2405.01952 (2024): the bit extraction technique and its
   refinement, the depth-precision tradeoff.  Only the abstract and the
   introduction were retrievable here, so the exact lemma statements of the
   paper are not checked; what is checked is stated in each docstring.
.. [2] P. L. Bartlett, N. Harvey, C. Liaw, A. Mehrabian, "Nearly-tight
   VC-dimension and pseudodimension bounds for piecewise linear neural
   networks", JMLR 20 (2019), arXiv:1703.02930: the bit extraction technique
   (a network reading the binary digits of its input).
"""

from __future__ import annotations

from typing import Any

from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ZERO, Q

__all__ = [
    "MAX_BITS",
    "bit_extraction_net",
    "bit_extraction_refined_net",
    "bit_extraction_refined_sizes",
    "bit_extraction_sizes",
    "bits_of",
]

MAX_BITS = 64
"""The largest n accepted by the builders (the networks have O(n) and O(n^2) layers)."""

SOURCE = "Ou, Schenkel, Bölcskei 2024 (arXiv:2405.01952); Bartlett et al. 2019 (arXiv:1703.02930)"


def _check_n(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_BITS:
        raise InvalidArgument(f"n={n!r} must be an integer between 1 and {MAX_BITS} (the number of bits)")
    return n


def bits_of(k: int, n: int) -> tuple[int, ...]:
    """The n binary digits of k, most significant first (0 <= k < 2^n).

    Examples
    --------
    >>> bits_of(6, 4)
    (0, 1, 1, 0)
    """
    n = _check_n(n)
    if not 0 <= k < 2**n:
        raise InvalidArgument(f"k={k} must satisfy 0 <= k < 2^{n}")
    return tuple((k >> (n - j)) & 1 for j in range(1, n + 1))


def _layer(rows: list[tuple[dict[int, Q], Q]], width_in: int) -> tuple[list[list[Q]], list[Q]]:
    """Dense weight matrix and biases from sparse rows {input index: weight}."""
    W = [[row.get(i, ZERO) for i in range(width_in)] for row, _ in rows]
    return W, [b for _, b in rows]


def bit_extraction_net(n: int) -> Network:
    """The classic bit extraction network: x = k/2^n -> (b_1, ..., b_n), the bits of k.

    Step j (j = 1..n) reads r = r_(j-1), which on the grid lies in
    2^-(n-j+1) Z, and computes the threshold
    b_j = 2^(n-j+1) (relu(r - 1/2 + 2^-(n-j+1)) - relu(r - 1/2)), which is 1 for
    r >= 1/2 and 0 for r <= 1/2 - 2^-(n-j+1), and the residual
    r_j = 2 relu(r) - b_j.  Earlier bits are carried to the output through
    ReLUs (they lie in [0, 1]).  The last step needs no separate relu(r): its
    ramp starts at 0.

    Parameters
    ----------
    n : int
        The number of bits, 1..64.

    Returns
    -------
    Network
        One input, n outputs ``b1..bn``; a plain MLP of depth n + 1.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> N = bit_extraction_net(3)
    >>> [int(b) for b in evaluate(N, "5/8")], bits_of(5, 3)
    ([1, 0, 1], (1, 0, 1))
    >>> print(evaluate(N, "7/16")[0])      # half-way up the first ramp (width 1/8)
    1/2

    Notes
    -----
    Between grid points each b_j is a ramp: b_j goes from 0 to 1 on an x-interval
    of width 2^-n ending at each point where bit j switches on.  The first
    residual r_1 is computed from the threshold with weight 2^n, so this
    network stores weights of n + 1 bits: its precision grows with n.
    Bartlett et al. (2019) use the same residual recursion; [1] refines it.

    References
    ----------
    .. [1] W. Ou, P. Schenkel, H. Bölcskei, arXiv:2405.01952 (2024).
    .. [2] P. L. Bartlett et al., JMLR 20 (2019), arXiv:1703.02930.
    """
    n = _check_n(n)
    weights: list[list[list[Q]]] = []
    biases: list[list[Q]] = []
    half = Q(1, 2)
    # layout of hidden layer j: carried bits c_1..c_(j-1), then u_j, v_j, then p_j (j < n)
    prev_width = 1
    prev_u = prev_v = prev_p = -1  # indices in the previous layer (for j >= 2)
    for j in range(1, n + 1):
        d = Q(1, 2 ** (n - j + 1))  # ramp width = grid spacing of r_(j-1)
        rows: list[tuple[dict[int, Q], Q]] = []
        if j == 1:
            r: dict[int, Q] = {0: Q(1)}
        else:
            dp = Q(2 ** (n - j + 2))  # 1 / (ramp width of step j - 1)
            r = {prev_p: Q(2), prev_u: -dp, prev_v: dp}  # r_(j-1) = 2 p - b_(j-1)
            for i in range(j - 2):  # carried bits keep their value
                rows.append(({i: Q(1)}, ZERO))
            rows.append(({prev_u: dp, prev_v: -dp}, ZERO))  # c_(j-1) = b_(j-1)
        rows.append((dict(r), d - half))  # u_j
        rows.append((dict(r), -half))  # v_j
        if j < n:
            rows.append((dict(r), ZERO))  # p_j = relu(r_(j-1)) = r_(j-1) on [0, 1)
        W, b = _layer(rows, prev_width)
        weights.append(W)
        biases.append(b)
        prev_u, prev_v, prev_p = j - 1, j, j + 1
        prev_width = len(rows)
    out = [({i: Q(1)}, ZERO) for i in range(n - 1)]
    out.append(({prev_u: Q(2), prev_v: Q(-2)}, ZERO))  # b_n: ramp width 1/2 at the last step
    W, b = _layer(out, prev_width)
    weights.append(W)
    biases.append(b)
    meta: dict[str, Any] = {
        "construction": "bit extraction (classic residual doubling)",
        "parameters": {"n": n},
        "paper": SOURCE,
    }
    return Network.from_layers(weights, biases, outputs=[f"b{j}" for j in range(1, n + 1)], metadata=meta)


def bit_extraction_sizes(n: int) -> dict[str, int | Q]:
    """Depth, width, weight count and largest weight of :func:`bit_extraction_net`, by hand.

    Notes
    -----
    Counted from the construction: layer 1 has 3 edges (x to u, v, p; 2 when
    n = 1); a middle layer j (2 <= j <= n-1) has j - 2 carried bits, 2 edges
    for c_(j-1) and 3 x 3 edges into u, v, p: j + 9; layer n has n + 6; the
    output layer n + 1.  Summing: n(n-1)/2 + 11n - 9 for n >= 2, and 4 for
    n = 1.  Width: the last two hidden layers hold n + 1 neurons.  The largest
    weight is 2^n, the slope of the first threshold read by layer 2 (2 for n = 1).

    Examples
    --------
    >>> s = bit_extraction_sizes(4)
    >>> s["depth"], s["width"], s["weights"], str(s["max_magnitude"])
    (5, 5, 41, '16')
    """
    n = _check_n(n)
    if n == 1:
        return {"depth": 2, "width": 2, "weights": 4, "max_magnitude": Q(2)}
    return {"depth": n + 1, "width": n + 1, "weights": n * (n - 1) // 2 + 11 * n - 9, "max_magnitude": Q(2**n)}


def bit_extraction_refined_net(n: int) -> Network:
    """Bit extraction with every edge weight in {-2, 1, 2}: fewer bits per weight, more depth.

    Step j (m = n - j + 1 remaining bits) reads r = r_(j-1) in 2^-m Z and forms
    the unit-slope ramp z = relu(r - 1/2 + 2^-m) - relu(r - 1/2) in [0, 2^-m];
    m - 1 doubling layers h_1 = relu(2 z), h_i = relu(2 h_(i-1)) and a last
    factor 2 in the consumer turn it into b_j = 2^m z, and
    r_j = 2 relu(r) - b_j.  The carried bits and relu(r) pass through the
    doubling layers with weight 1.

    Parameters
    ----------
    n : int
        The number of bits, 1..64.

    Returns
    -------
    Network
        One input, n outputs ``b1..bn``; a plain MLP of depth n(n+1)/2 + 1.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> N = bit_extraction_refined_net(3)
    >>> [int(b) for b in evaluate(N, "6/8")], bits_of(6, 3)
    ([1, 1, 0], (1, 1, 0))
    >>> from exactnet.metrics import distinct_weights
    >>> sorted(int(w) for w in distinct_weights(N))
    [-2, 1, 2]

    Notes
    -----
    This is exactnet's own refinement in the spirit of [1]'s depth-precision
    tradeoff (each steep ramp of :func:`bit_extraction_net` is written as a
    chain of exact doublings); the biases -1/2 and 2^-m - 1/2 keep their
    m + 1 fractional bits.  [1]'s own refined bit extraction was not
    retrievable here and is not what this builder claims to be.

    References
    ----------
    .. [1] W. Ou, P. Schenkel, H. Bölcskei, arXiv:2405.01952 (2024).
    """
    n = _check_n(n)
    weights: list[list[list[Q]]] = []
    biases: list[list[Q]] = []
    half, one, two = Q(1, 2), Q(1), Q(2)

    def emit(rows: list[tuple[dict[int, Q], Q]], width_in: int) -> int:
        W, b = _layer(rows, width_in)
        weights.append(W)
        biases.append(b)
        return len(rows)

    width = 1
    # state after each block: carried bits at 0..j-2, then either (x) or (h, p) or (u, v)
    r: dict[int, Q] = {0: one}
    carried: dict[int, Q] = {}  # index of c_(j-1) source -> weight, for the newest bit
    for j in range(1, n + 1):
        m = n - j + 1
        # ramp layer A_j: c_1..c_(j-1), u, v, (p)
        rows: list[tuple[dict[int, Q], Q]] = [({i: one}, ZERO) for i in range(j - 2)] if j >= 2 else []
        if j >= 2:
            rows.append((dict(carried), ZERO))  # c_(j-1) = b_(j-1)
        rows.append((dict(r), Q(1, 2**m) - half))  # u
        rows.append((dict(r), -half))  # v
        if j < n:
            rows.append((dict(r), ZERO))  # p
        width = emit(rows, width)
        u, v, p = j - 1, j, j + 1
        if j == n:
            break
        # m - 1 doubling layers: c's, h, p
        h_src: dict[int, Q] = {u: two, v: -two}
        for _ in range(m - 1):
            rows = [({i: one}, ZERO) for i in range(j - 1)]
            rows.append((dict(h_src), ZERO))  # h_i
            rows.append(({p: one}, ZERO))  # p carried
            width = emit(rows, width)
            h_src = {j - 1: two}
            p = j
        # b_j = 2 h_(m-1); r_j = 2 p - b_j
        carried = {j - 1: two}
        r = {p: two, j - 1: -two}
    out = [({i: one}, ZERO) for i in range(n - 1)]
    out.append(({u: two, v: -two}, ZERO))
    emit(out, width)
    meta: dict[str, Any] = {
        "construction": "bit extraction (refined: weights in {-2, 1, 2})",
        "parameters": {"n": n},
        "paper": SOURCE,
    }
    return Network.from_layers(weights, biases, outputs=[f"b{j}" for j in range(1, n + 1)], metadata=meta)


def bit_extraction_refined_sizes(n: int) -> dict[str, int]:
    """Depth, width and distinct weights of :func:`bit_extraction_refined_net`, by hand.

    Notes
    -----
    Step j < n takes 1 ramp layer and m - 1 = n - j doubling layers, step n one
    ramp layer, and the output one layer: depth = sum_(j<n) (n - j + 1) + 2
    = n(n+1)/2 + 1.  The widest layers are the ramp layers of steps n - 1 and
    n with n + 1 neurons (2 when n = 1).  Edge weights: 1 (the input into the
    first ramps, carries), 2 and -2 (ramps from r = 2p - 2h, doublings, the
    output's last bit): 3 distinct values, 2 bits per weight.

    Examples
    --------
    >>> bit_extraction_refined_sizes(4)
    {'depth': 11, 'width': 5, 'distinct_weights': 3, 'bits_per_weight': 2}
    """
    n = _check_n(n)
    if n == 1:
        return {"depth": 2, "width": 2, "distinct_weights": 3, "bits_per_weight": 2}
    return {"depth": n * (n + 1) // 2 + 1, "width": n + 1, "distinct_weights": 3, "bits_per_weight": 2}
