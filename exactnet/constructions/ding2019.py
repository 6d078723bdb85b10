"""Ding, Liu, Xiong and Shi (ICLR 2019): the quantized squaring, product and weight networks.

Y. Ding, J. Liu, J. Xiong, Y. Shi, "On the universal approximability and
complexity bounds of quantized ReLU neural networks", ICLR 2019,
arXiv:1802.03646.  Section 4 (Propositions 1-3, Theorems 1 and 2) and
Appendix A.1-A.3 (Figure 2, Figure 3, Table 1).

Every network here is strictly layered (each edge joins consecutive layers,
as the paper assumes in Section 3), pure ReLU except for one identity output,
and uses only the weights of the paper's alphabet; the biases are 0 or -1/2
unless a builder says otherwise.

Conventions used throughout
---------------------------
A *delivery* is a list of ``(unit, weight)`` pairs: a new unit connected to
all of them receives the sum ``sum weight * value(unit)``.  The paper's blocks
are described this way ("a connection from or to a block indicates
connections from or to all units in the block", Figure 2): a block of k units
holding the value a, read with weight 1/2, delivers k a / 2.  With weights of
magnitude at most 1/2 a single unit can never pass its value on unchanged, so
the paper "copies units to compensate the scaling caused by 1/2"; the builders
below make those copies explicit and count them.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import networkx as nx

from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Q, QLike, q

__all__ = [
    "HALF",
    "square_net",
    "square_error",
    "square_sizes",
    "product_net",
    "product_error",
    "product_error_exact",
    "product_sizes",
    "radix",
    "weight_alphabet",
    "quantize_weight",
    "weight_net",
    "weight_sizes",
    "weight_bounds",
    "linear_alphabet",
    "taylor_coefficient",
    "theorem1_parameters",
    "theorem1_net",
]

HALF = Q(1, 2)
"""The weight 1/2 of Propositions 1 and 2 (with -1/2 the whole alphabet)."""

Delivery = list[tuple[str, Q]]


class _Graph:
    """A layered graph under construction: units know their layer."""

    def __init__(self, inputs: Sequence[str]) -> None:
        self.g = nx.DiGraph()
        self.layer: dict[str, int] = {}
        for x in inputs:
            self.g.add_node(x)
            self.layer[x] = 0

    def unit(self, name: str, feed: Iterable[tuple[str, Q]], bias: Q = ZERO, act: str = "relu") -> str:
        feed = list(feed)
        if name in self.layer:
            raise AssertionError(f"unit {name} built twice")
        layers = {self.layer[u] for u, _ in feed}
        if len(layers) > 1:  # the paper's networks are layered; so are ours
            raise AssertionError(f"unit {name} would skip a layer: {sorted(layers)}")
        self.g.add_node(name, bias=bias, act=act)
        self.layer[name] = (layers.pop() if layers else 0) + 1
        for u, w in feed:
            self.g.add_edge(u, name, weight=w)
        return name

    def network(self, inputs: Sequence[str], outputs: Sequence[str], metadata: dict) -> Network:
        return Network.from_graph(self.g, list(inputs), list(outputs), metadata=metadata)


def _check_int(name: str, value: object, least: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise InvalidArgument(f"{name} must be an integer >= {least}, got {value!r}")
    return value


# -- Proposition 1: squaring with weights +-1/2, the pre-scale form --------------------------


def _square_core(G: _Graph, pre: str, feed: Delivery, r: int, chain: int) -> str:
    """Blocks B_m, B_g (r layers) and a scaling chain of `chain` units; returns the last unit.

    `feed` delivers u in [0, 1].  Layer k (1..r) holds B_m^k (8 units, value
    v_k) and B_g^k (4 units relu(g^(k-1)(u)), 8 units relu(g^(k-1)(u) - 1/2));
    v_1 = u, v_(k+1) = 4 v_k - g^k(u).  The first chain unit receives
    4 v_r - g^r(u) = 4^r f_s^r(u), each further unit halves, so the last one
    holds 4^r f_s^r(u) / 2^(chain - 1).
    """
    m_feed: Delivery = feed
    g_feed: Delivery = feed
    for k in range(1, r + 1):
        ms = [G.unit(f"{pre}m{k}_{i}", m_feed) for i in range(8)]
        As = [G.unit(f"{pre}g{k}a{i}", g_feed) for i in range(4)]
        Bs = [G.unit(f"{pre}g{k}b{i}", g_feed, -HALF) for i in range(8)]
        # B_g delivers g(.) = 2 relu(.) - 4 relu(. - 1/2): 4 x (1/2) and 8 x (-1/2)
        g_out = [(a, HALF) for a in As] + [(b, -HALF) for b in Bs]
        # B_m delivers 4 v_k (8 x 1/2); the next B_m gets 4 v_k - g^k
        m_feed = [(m, HALF) for m in ms] + [(u, -w) for u, w in g_out]
        g_feed = g_out
    s = G.unit(f"{pre}s1", m_feed)
    for j in range(2, chain + 1):
        s = G.unit(f"{pre}s{j}", [(s, HALF)])
    return s


def square_net(r: int) -> Network:
    """f_s^r of Proposition 1: x^2 on [0, 1] with the weights 1/2 and -1/2 only.

    f_s^r(x) = x - sum_{i=1..r} 2^(-2i) g^i(x) (eq. (9)), the piecewise-linear
    interpolation of x^2 at k/2^r, built in the "pre-scale" form of Appendix
    A.1 / Figure 2: the blocks B_m (scale by 4) and B_g (the tent map g)
    compute 2^(2r) x - sum_i 2^(2(r-i)) g^i(x), which a chain of 2r halvings
    scales back.

    Parameters
    ----------
    r : int, >= 1
        The design parameter; the error is 2^(-2(r+1)).

    Returns
    -------
    Network
        One input ``x``, one output ``y``; metadata ``construction``, ``r``,
        ``paper``, ``blocks``.

    Notes
    -----
    Layers (the paper's Figure 2 is a picture; this is our reading of it):

    1. an input block of 4 units relu(x/2) (a single input unit read with weight
       +-1/2 delivers only x/2; 4 copies read with 1/2 deliver x again; this is
       the role B_abs plays inside Proposition 2);
    2. r layers, each B_m (8 units, "scales the input by 4": 8 x 1/2 = 4) beside
       B_g (12 units: 4 x relu(u) read with 1/2 and 8 x relu(u - 1/2) read with
       -1/2 deliver 2 relu(u) - 4 relu(u - 1/2) = g(u)); width 20, which is
       Table 1's width 60 of B_x' divided by its three squarings;
    3. a chain of 2r single units, each read with 1/2;
    4. the identity output, read from the last chain unit with 1/2.

    Exact sizes (count them from the list): depth 3r + 2 affine layers (3r + 1
    hidden), width 20, 22r + 5 neurons (output included), 306r - 200 weights
    (4 + 80 + 304(r - 1) + 20 + (2r - 1) + 1), biases 0 or -1/2 (8r nonzero).
    All ReLUs outside B_g see nonnegative values on [0, 1] (the partial sums
    f_s^k(x) >= x^2 >= 0), so they act as identities there.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> f2 = square_net(2)
    >>> [str(evaluate(f2, f"{k}/4")[0]) for k in range(5)]
    ['0', '1/16', '1/4', '9/16', '1']
    >>> print(evaluate(f2, "1/8")[0])   # the chord of x^2 between 0 and 1/4
    1/32
    """
    _check_int("r", r, 1)
    G = _Graph(["x"])
    ins = [G.unit(f"in{i}", [("x", HALF)]) for i in range(4)]
    s = _square_core(G, "", [(u, HALF) for u in ins], r, 2 * r)
    G.unit("y", [(s, HALF)], act="identity")
    return G.network(["x"], ["y"], {
        "construction": "ding2019-square",
        "r": r,
        "paper": "Ding et al. 2019, arXiv:1802.03646, Prop. 1, App. A.1, Fig. 2",
        "blocks": "input 4 | r x (B_m 8 + B_g 12) | chain 2r | output",
    })


def square_error(r: int) -> Q:
    """The error bound of Proposition 1 (ii): 2^(-2(r+1)).

    Examples
    --------
    >>> print(square_error(1), square_error(3))
    1/16 1/256
    """
    _check_int("r", r, 1)
    return Q(1, 4 ** (r + 1))


def square_sizes(r: int) -> dict[str, int]:
    """The exact sizes of :func:`square_net` (r) in :class:`~exactnet.metrics.Metrics` names.

    Derived by counting the layers listed in :func:`square_net`'s Notes.

    Examples
    --------
    >>> square_sizes(1)
    {'depth': 5, 'width': 20, 'neurons': 27, 'weights': 106, 'biases_nonzero': 8}
    """
    _check_int("r", r, 1)
    return {"depth": 3 * r + 2, "width": 20, "neurons": 22 * r + 5,
            "weights": 306 * r - 200, "biases_nonzero": 8 * r}


# -- Proposition 2: the product x' from three squarings --------------------------------------


def product_net(r: int) -> Network:
    """x'(x, y) of Proposition 2, eq. (2): 2 (f_s^r(|x+y|/2) - f_s^r(|x|/2) - f_s^r(|y|/2)).

    Approximates xy on [-1, 1]^2 with the weights 1/2 and -1/2 only.

    Parameters
    ----------
    r : int, >= 1

    Notes
    -----
    Layer 1 is B_abs for x, y and x + y (Table 1: width 4 each): 2 units
    relu(z/2) and 2 units relu(-z/2), read with 1/2, deliver |z|/2.  Then three
    copies of Proposition 1's blocks B_m, B_g (r layers, width 3 x 20 = 60, as
    Table 1 states for B_x'), three halving chains of 2r - 1 units, and the
    identity output reading the chains with +1/2, -1/2, -1/2, which gives
    (V_s - V_x - V_y) / 2^(2r - 1) = 2 (f_s^r(|x+y|/2) - f_s^r(|x|/2) - f_s^r(|y|/2)).

    Exact sizes: depth 3r + 1 (Table 1's depth of B_x'), width 60 (12 for
    r = 1 is in layer 1; the B_m/B_g layers have 60), 66r + 10 neurons,
    918r - 599 weights (16 + 240 + 912(r - 1) + 60 + 3(2r - 2) + 3).

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> p = product_net(2)
    >>> print(evaluate(p, ["1/2", "-1"])[0])          # nodes of all three squarings: exact
    -1/2
    >>> print(evaluate(p, ["1/4", "1/4"])[0])         # the worst case: 1/16 - 4/64
    0
    """
    _check_int("r", r, 1)
    G = _Graph(["x", "y"])
    sources = {"x": [("x", ONE)], "y": [("y", ONE)], "s": [("x", ONE), ("y", ONE)]}
    feeds: dict[str, Delivery] = {}
    for name, src in sources.items():
        pos = [G.unit(f"abs_{name}+{i}", [(u, HALF * c) for u, c in src]) for i in range(2)]
        neg = [G.unit(f"abs_{name}-{i}", [(u, -HALF * c) for u, c in src]) for i in range(2)]
        feeds[name] = [(u, HALF) for u in pos + neg]
    ends = {name: _square_core(G, f"{name}.", feeds[name], r, 2 * r - 1) for name in sources}
    G.unit("p", [(ends["s"], HALF), (ends["x"], -HALF), (ends["y"], -HALF)], act="identity")
    return G.network(["x", "y"], ["p"], {
        "construction": "ding2019-product",
        "r": r,
        "paper": "Ding et al. 2019, arXiv:1802.03646, Prop. 2, eq. (2), Table 1",
        "blocks": "B_abs 3 x 4 | 3 x r x (B_m 8 + B_g 12) | 3 chains 2r - 1 | output",
    })


def product_error(r: int) -> Q:
    """The error bound of Proposition 2 (ii): 6 * 2^(-2(r+1)).

    Examples
    --------
    >>> print(product_error(1))
    3/8
    """
    _check_int("r", r, 1)
    return 6 * square_error(r)


def product_error_exact(r: int) -> Q:
    """The exact sup of |x'(x, y) - xy| on [-1, 1]^2: 4 * 2^(-2(r+1)) = 2^(-2r).

    Derivation: f_s^r(u) = u^2 + e(u) with 0 <= e <= E = 2^(-2(r+1)) on [0, 1]
    (Proposition 1), so x' - xy = 2 (e(|x+y|/2) - e(|x|/2) - e(|y|/2)) lies in
    [-4E, 2E]; -4E is attained at x = y = 2^(-r), where |x|/2 = |y|/2 = 2^(-r-1)
    are midpoints (e = E) and |x+y|/2 = 2^(-r) is a node (e = 0).

    Examples
    --------
    >>> print(product_error_exact(1), product_error_exact(2))
    1/4 1/16
    """
    _check_int("r", r, 1)
    return 4 * square_error(r)


def product_sizes(r: int) -> dict[str, int]:
    """The exact sizes of :func:`product_net` (r), counted from its Notes.

    Examples
    --------
    >>> product_sizes(1)
    {'depth': 4, 'width': 60, 'neurons': 76, 'weights': 319, 'biases_nonzero': 24}
    """
    _check_int("r", r, 1)
    return {"depth": 3 * r + 1, "width": 60, "neurons": 66 * r + 10,
            "weights": 918 * r - 599, "biases_nonzero": 24 * r}


# -- Proposition 3: any weight from lambda distinct weights ----------------------------------


def radix(lam: int, t: int) -> int:
    """The radix b of eq. (4): the smallest integer b >= 2 with b^(lam - 1) >= t.

    The paper assumes t^(1/(lam-1)) is an integer ("without loss of
    generality"); then b = t^(1/(lam-1)) whenever that is >= 2.  Otherwise we
    round the root up, which keeps every exponent 0..t-1 a (lam - 1)-digit
    base-b number.

    Examples
    --------
    >>> radix(2, 5), radix(3, 9), radix(3, 10), radix(4, 1)
    (5, 3, 4, 2)
    """
    _check_int("lam", lam, 2)
    _check_int("t", t, 1)
    b = 2
    while b ** (lam - 1) < t:
        b += 1
    return b


def weight_alphabet(lam: int, t: int) -> tuple[Q, ...]:
    """The lam weights of eq. (4): -1/2 and W = {2^(-b^j) : j = 0..lam-2}, b = radix(lam, t).

    Examples
    --------
    >>> [str(w) for w in weight_alphabet(3, 9)]
    ['-1/2', '1/2', '1/8']
    """
    b = radix(lam, t)
    return (-HALF,) + tuple(Q(1, 2 ** (b**j)) for j in range(lam - 1))


def quantize_weight(w: QLike, t: int) -> Q:
    """w' of Proposition 3 (i): the integral multiple of 2^(-t) nearest to w in [-1, 1].

    Ties (w an odd multiple of 2^(-t-1)) round towards zero.  So
    |w' - w| <= 2^(-t-1) < 2^(-t).

    Examples
    --------
    >>> print(quantize_weight("1/3", 3), quantize_weight("3/16", 3), quantize_weight("-1", 2))
    3/8 1/8 -1
    """
    _check_int("t", t, 1)
    v = q(w)
    if not -1 <= v <= 1:
        raise InvalidArgument(f"Proposition 3 needs w in [-1, 1], got {v}")
    scaled = abs(v) * 2**t
    a = int(scaled)  # floor for v >= 0
    if scaled - a > HALF:
        a += 1
    return Q(a if v >= 0 else -a, 2**t)


def _digits(e: int, b: int, n: int) -> list[int]:
    out = []
    for _ in range(n):
        out.append(e % b)
        e //= b
    assert e == 0
    return out


def _weight_block(
    G: _Graph, pre: str, feed: Delivery, w: Q, lam: int, t: int, *, signed: bool, halve: bool = False
) -> Delivery:
    """B_w reading `feed` (delivering v); returns a delivery of 2 w' v (w' = quantize_weight(w, t)),
    or of w' v when `halve` (the output then reads one unit of each chain's last pair).

    Gate layer: 2 units relu(v) and (if `signed`) 2 units relu(-v); then, for
    every set bit of |w'| 2^t and each sign, a 2-unit chain of L = (lam - 1)(b - 1)
    steps: "x omega" (unit i reads unit i with omega in W; 2 edges) for each
    base-b digit of the exponent, then "identity" steps (each unit reads both
    with 1/2; 4 edges).  A chain ending at p 2^(-e) read with +-1/2 from both
    units delivers +-p 2^(-e).
    """
    b = radix(lam, t)
    L = (lam - 1) * (b - 1)
    wq = quantize_weight(w, t)
    a = int(abs(wq) * 2**t)
    sign = ONE if wq >= 0 else -ONE
    # 2 w' = a 2^(1-t) = sum_k a_k 2^(k+1-t): exponents e = t - 1 - k; a = 2^t is 2 x 2^0
    exps = [0, 0] if a == 2**t else [t - 1 - k for k in range(t) if a >> k & 1]
    out: Delivery = []
    if not exps:
        return out
    gates = [(+1, "p")] + ([(-1, "n")] if signed else [])
    for s, tag in gates:
        gate = [G.unit(f"{pre}{tag}{i}", [(u, c * s) for u, c in feed]) for i in range(2)]
        for ci, e in enumerate(exps):
            digits = _digits(e, b, lam - 1)
            steps = [Q(1, 2 ** (b**j)) for j, c in enumerate(digits) for _ in range(c)]
            steps += [None] * (L - len(steps))
            bus = gate
            for k, om in enumerate(steps):
                if om is None:
                    fe = [[(u, HALF) for u in bus]] * 2
                else:
                    fe = [[(bus[0], om)], [(bus[1], om)]]
                bus = [G.unit(f"{pre}{tag}c{ci}_{k}_{i}", fe[i]) for i in range(2)]
            out += [(u, s * sign * HALF) for u in (bus[:1] if halve else bus)]
    return out


def linear_alphabet(lam: int) -> tuple[Q, ...]:
    """The linear quantization grid of Section 3: {-1, 1/lam, 2/lam, ..., (lam-1)/lam}.

    Examples
    --------
    >>> [str(v) for v in linear_alphabet(4)]
    ['-1', '1/4', '1/2', '3/4']
    """
    _check_int("lam", lam, 2)
    return (-ONE,) + tuple(Q(i, lam) for i in range(1, lam))


def _linear_log(lam: int) -> int:
    s = lam.bit_length() - 1
    if lam != 2**s:
        raise InvalidArgument(
            f"the linear B_w builds 2^-k from the grid {{i/lam}} exactly only when lam is a power of 2, got {lam}")
    return s


def _weight_block_linear(
    G: _Graph, pre: str, p_feed: Delivery, q_feed: Delivery, q_double: bool, w: Q, lam: int, t: int,
    *, halve: bool = False,
) -> Delivery:
    """Theorem 2's B_w on the grid {-1, i/lam}, lam = 2^s: delivers 2 w' v (w' v when `halve`).

    `p_feed` delivers v, `q_feed` delivers -v (or -2v when `q_double`: the
    standalone gate reads x with -1, as -1/2 is not on the grid).  A chain
    multiplies by 2^-k as (1/lam)^(k // s) times 2^-(k mod s) = 2^(s - k mod s)/lam:
    at most ceil(t/s) factors ("at most t / log lam weights"), padded with
    identity steps (1/2 from both units of a 2-unit bus).  The output reads a
    chain with 1/2 from both units (+) or with -1 from one unit (-).
    """
    s = _linear_log(lam)
    L = -(-(t + 1) // s)
    wq = quantize_weight(w, t)
    a = int(abs(wq) * 2**t)
    sign = 1 if wq >= 0 else -1
    exps = [0, 0] if a == 2**t else [t - 1 - k for k in range(t) if a >> k & 1]
    out: Delivery = []
    if not exps:
        return out
    for tag, feed, gate_sign in (("p", p_feed, 1), ("n", q_feed, -1)):
        gate = [G.unit(f"{pre}{tag}{i}", feed) for i in range(2)]
        for ci, e in enumerate(exps):
            want = sign * gate_sign  # the sign this chain contributes with
            k = e + (1 if halve else 0)           # halve: deliver w' v instead of 2 w' v
            k += 1 if (tag == "n" and q_double) else 0
            steps = [Q(1, lam)] * (k // s) + ([Q(2 ** (s - k % s), lam)] if k % s else [])
            assert len(steps) <= L
            steps += [None] * (L - len(steps))
            bus = gate
            for j, om in enumerate(steps):
                fe = [[(u, HALF) for u in bus]] * 2 if om is None else [[(bus[0], om)], [(bus[1], om)]]
                bus = [G.unit(f"{pre}{tag}c{ci}_{j}_{i}", fe[i]) for i in range(2)]
            out += [(bus[0], -ONE)] if want < 0 else [(u, HALF) for u in bus]
    return out


def weight_net(w: QLike, lam: int, t: int, *, signed_input: bool = True, quantization: str = "nonlinear") -> Network:
    """B_w of Proposition 3: a connection of weight w' (|w' - w| < 2^(-t)) from lam weights.

    The network computes y = w' x for every real x (``signed_input=True``) or
    for x >= 0 (``signed_input=False``, the paper's first case before it
    "relaxes x >= 0" by duplicating the sub-network).

    Parameters
    ----------
    w : rational in [-1, 1]
        The target weight; w' = :func:`quantize_weight` (w, t) is realised exactly.
    lam : int, >= 2
        The number of distinct weights: the alphabet is :func:`weight_alphabet`.
    t : int, >= 1
        The precision: |w' - w| <= 2^(-t-1) < 2^(-t).
    signed_input : bool
        Build both sign gates (the default) or only the x >= 0 half.
    quantization : {"nonlinear", "linear"}
        "linear" builds Theorem 2's B_w (App. A.3) on the grid
        :func:`linear_alphabet` (lam a power of 2; always signed): chains of at
        most ceil((t + 1) / log2 lam) factors 1/lam and 2^j/lam.

    Returns
    -------
    Network
        Input ``x``, output ``y``; metadata ``w``, ``w_realised`` (w' as a
        string), ``lam``, ``t``, ``radix``, ``chain_steps``, ``chains``.

    Notes
    -----
    Our reading of the proof of Proposition 3 (the paper draws no picture of
    B_w):

    - layer 1, the sign gate: 2 units relu(x/2) (weight 1/2) and, when signed,
      2 units relu(-x/2) (weight -1/2): "the weights in the first layer [are]
      1/2 for one and -1/2 for the other";
    - x = 2 relu(x/2) - 2 relu(-x/2), so w' x = sum over the set bits k of
      a = |w'| 2^t of 2^(-(t-1-k)) (relu(x/2) - relu(-x/2)); each term is a
      2-unit chain from the gate multiplying by 2^(-e), e = t - 1 - k, with the
      base-b digits of e as in eq. (4)-(5) ("concatenating weights from W"),
      padded to the common length L = (lam - 1)(b - 1) with identity steps
      (a 2-unit bus read with 1/2 from both units passes its value on: this
      is why chains are 2 units wide; a 1-unit chain can only halve);
    - w' = +-1 (a = 2^t) uses two chains with e = 0 ("4 units with weight 1/2");
    - the output reads every chain's two last units with +-1/2 (the paper's
      "connections in the last layer ... use weight 1/2"); the sign of w
      flips these signs; w' = 0 gives the empty sub-network (y = 0).

    Depth L + 2, width 2 x (#chains) (4 t at most when signed, 2 t when not),
    weights 2 g + sum over chains of (2 m + 4 (L - m) + 2), g the number of gate
    units, m the chain's multiplications.  Biases are all 0.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> n = weight_net("1/3", 3, 4)           # w' = 5/16, from {-1/2, 1/2, 1/4}
    >>> print(n.metadata["w_realised"], evaluate(n, "16")[0], evaluate(n, "-16")[0])
    5/16 5 -5
    >>> from exactnet.metrics import distinct_weights
    >>> sorted(str(v) for v in distinct_weights(n))
    ['-1/2', '1/2', '1/4']
    """
    _check_int("lam", lam, 2)
    _check_int("t", t, 1)
    if quantization not in ("nonlinear", "linear"):
        raise InvalidArgument(f"quantization must be 'nonlinear' or 'linear', got {quantization!r}")
    v = q(w)
    G = _Graph(["x"])
    if quantization == "linear":
        out = _weight_block_linear(G, "", [("x", HALF)], [("x", -ONE)], True, v, lam, t)
    else:
        out = _weight_block(G, "", [("x", HALF)], v, lam, t, signed=signed_input)
    G.unit("y", out, act="identity")
    wq = quantize_weight(v, t)
    b = radix(lam, t)
    return G.network(["x"], ["y"], {
        "construction": "ding2019-weight",
        "w": str(v),
        "w_realised": str(wq),
        "lam": lam,
        "t": t,
        "radix": b,
        "chain_steps": (lam - 1) * (b - 1),
        "chains": len(out) // 2,
        "signed_input": signed_input or quantization == "linear",
        "quantization": quantization,
        "paper": "Ding et al. 2019, arXiv:1802.03646, Prop. 3, eq. (4)-(5); App. A.3 (linear)",
    })


def weight_sizes(w: QLike, lam: int, t: int, *, signed_input: bool = True) -> dict[str, int]:
    """The exact sizes of :func:`weight_net`, computed from w's bits (not from the network).

    Examples
    --------
    >>> weight_sizes("3/4", 2, 2)    # a = 3: e = 0 and e = 1; b = 2, L = 1
    {'depth': 3, 'width': 8, 'neurons': 13, 'weights': 24, 'biases_nonzero': 0}
    """
    _check_int("lam", lam, 2)
    _check_int("t", t, 1)
    b = radix(lam, t)
    L = (lam - 1) * (b - 1)
    a = int(abs(quantize_weight(w, t)) * 2**t)
    exps = [0, 0] if a == 2**t else [t - 1 - k for k in range(t) if a >> k & 1]
    signs = 2 if signed_input else 1
    if not exps:
        return {"depth": 1, "width": 0, "neurons": 1, "weights": 0, "biases_nonzero": 0}
    chain_w = sum(2 * sum(_digits(e, b, lam - 1)) + 4 * (L - sum(_digits(e, b, lam - 1))) + 2 for e in exps)
    return {
        "depth": L + 2,
        "width": 2 * signs * len(exps),
        "neurons": signs * (2 + 2 * L * len(exps)) + 1,
        "weights": signs * (2 + chain_w),
        "biases_nonzero": 0,
    }


def weight_bounds(lam: int, t: int) -> dict[str, int]:
    """The explicit sizes stated in the proof of Proposition 3 and in Table 1 (b = radix).

    depth <= lam (b - 1) + 1 ("no greater than ... layers"), weights <=
    4 t lam (b - 1) + 8 t + 4, width t (Table 1, block B_w).

    Examples
    --------
    >>> weight_bounds(2, 4)     # b = 4: 2 x 3 + 1; 4 x 4 x 2 x 3 + 32 + 4
    {'depth': 7, 'weights': 132, 'width': 4}
    """
    b = radix(lam, t)
    return {"depth": lam * (b - 1) + 1, "weights": 4 * t * lam * (b - 1) + 8 * t + 4, "width": t}


# -- Theorems 1 and 2: the function-independent structure -------------------------------------

Poly = dict[tuple[int, ...], Q]


def _poly(poly: "dict[tuple[int, ...], QLike]", d: int) -> Poly:
    out: Poly = {}
    for e, c in poly.items():
        e = tuple(int(k) for k in e)
        if len(e) != d or min(e) < 0:
            raise InvalidArgument(f"exponent {e} of the polynomial does not have {d} nonnegative entries")
        out[e] = out.get(e, ZERO) + q(c)
    return out


def _binom(a: int, k: int) -> int:
    from math import comb

    return comb(a, k)


def taylor_coefficient(poly: "dict[tuple[int, ...], QLike]", alpha: Sequence[int], point: Sequence[QLike]) -> Q:
    """D^alpha f (point) / alpha! for a polynomial f = sum c_e x^e, exactly.

    Examples
    --------
    >>> print(taylor_coefficient({(2,): "1/2"}, (1,), ["1/4"]))   # f = x^2/2: f'(1/4) = 1/4
    1/4
    """
    d = len(alpha)
    P = _poly(poly, d)
    pt = [q(v) for v in point]
    total = ZERO
    for e, c in P.items():
        term = c
        for ek, ak, pk in zip(e, alpha, pt):
            if ak > ek:
                term = ZERO
                break
            term *= _binom(ek, ak) * pk ** (ek - ak)
        total += term
    return total


def _round_to(v: Q, step: Q) -> Q:
    """The integral multiple of `step` nearest to v (ties towards zero)."""
    k = abs(v) / step
    a = int(k)
    if k - a > HALF:
        a += 1
    return (a if v >= 0 else -a) * step


def theorem1_parameters(d: int, n: int, N: int, *, rounding: str = "ceil") -> dict[str, object]:
    """The design parameters of Theorem 1's proof (Appendix A.2) for d, n, N.

    eps = 3 * 2^d (d/N)^n (eq. (21)); r = log2(6 N^n (d+n-1))/2 - 1 and
    t = log2(n N^n / d^n) are real numbers the proof treats as integers: the
    statement is ill-posed when they are not, and ``rounding`` ("ceil" or
    "floor") picks a reading.  The exact real values are returned as
    ``r_exact_log`` / ``t_exact_log`` (the arguments of log2) so a reader can
    see whether rounding happened.

    Examples
    --------
    >>> p = theorem1_parameters(1, 2, 4)
    >>> print(p["eps"], p["r"], p["t"], p["r_integral"], p["t_integral"])
    3/8 3 5 False True
    >>> theorem1_parameters(1, 2, 4, rounding="floor")["r"]
    2
    """
    _check_int("d", d, 1)
    _check_int("n", n, 1)
    _check_int("N", N, 1)
    if rounding not in ("ceil", "floor"):
        raise InvalidArgument(f"rounding must be 'ceil' or 'floor', got {rounding!r}")
    eps = 3 * 2**d * Q(d, N) ** n
    r_arg = Q(6 * N**n * (d + n - 1))       # r = log2(r_arg)/2 - 1 = log4(r_arg) - 1
    t_arg = Q(n * N**n, d**n)                # t = log2(t_arg)

    def log2_floor(v: Q) -> int:
        k = 0
        while Q(2) ** (k + 1) <= v:
            k += 1
        while Q(2) ** k > v:
            k -= 1
        return k

    def log4_floor(v: Q) -> int:
        k = 0
        while Q(4) ** (k + 1) <= v:
            k += 1
        return k

    r_int = Q(4) ** log4_floor(r_arg) == r_arg
    t_int = Q(2) ** log2_floor(t_arg) == t_arg
    r_lo = log4_floor(r_arg) - 1
    t_lo = log2_floor(t_arg)
    r = r_lo if r_int or rounding == "floor" else r_lo + 1
    t = t_lo if t_int or rounding == "floor" else t_lo + 1
    return {"d": d, "n": n, "N": N, "eps": eps, "r": max(r, 1), "t": max(t, 1),
            "r_exact_log": str(r_arg), "t_exact_log": str(t_arg),
            "r_integral": r_int, "t_integral": t_int, "rounding": rounding}


def _delay(G: _Graph, pre: str, dv: Delivery, k: int, *, nonneg: bool) -> Delivery:
    """The same value, delivered k layers later (2 units per sign per layer, read with +-1/2)."""
    for j in range(k):
        pos = [G.unit(f"{pre}d{j}p{i}", dv) for i in range(2)]
        out = [(u, HALF) for u in pos]
        if not nonneg:
            neg = [G.unit(f"{pre}d{j}n{i}", [(u, -w) for u, w in dv]) for i in range(2)]
            out += [(u, -HALF) for u in neg]
        dv = out
    return dv


def _layer(G: _Graph, dv: Delivery) -> int:
    return G.layer[dv[0][0]]


def _product_block(G: _Graph, pre: str, da: Delivery, db: Delivery, r: int) -> Delivery:
    """x'(a, b) of eq. (2) on two deliveries at the same layer; returns its delivery."""
    assert _layer(G, da) == _layer(G, db)
    feeds = {}
    for name, dv in (("a", da), ("b", db), ("s", da + db)):
        p = G.unit(f"{pre}abs{name}+", dv)
        m = G.unit(f"{pre}abs{name}-", [(u, -w) for u, w in dv])
        feeds[name] = [(p, HALF), (m, HALF)]  # |z| / 2
    ends = {name: _square_core(G, f"{pre}{name}.", feeds[name], r, 2 * r - 1) for name in feeds}
    return [(ends["s"], HALF), (ends["a"], -HALF), (ends["b"], -HALF)]


def _hat(G: _Graph, pre: str, x: str, m: int, N: int, nu: int) -> Delivery:
    """h(3N x - 3m) = h(3N |x - m/N|) of eq. (10)-(11), as a delivery (B_abs, B_s, B_h of Table 1).

    B_abs: relu(+-(x - m/N)/2), 2 units each, read with 1/2: |x - m/N| / 2.
    B_s: 4 units holding u = |x - m/N|/2, 4 units holding 3u/2 (each reads 3 of
    the 4 with 1/2), then nu + 2 doublings (each unit reads all 4 with 1/2):
    z = 3 * 2^(nu+1) u = 3N |x - m/N| for N = 2^nu.
    B_h: h(z) = relu(2 - z) - relu(1 - z) for z >= 0, 2 units each.
    """
    c = Q(m, 2 * N)
    ab = [G.unit(f"{pre}A+{i}", [(x, HALF)], -c) for i in range(2)]
    ab += [G.unit(f"{pre}A-{i}", [(x, -HALF)], c) for i in range(2)]
    bus = [G.unit(f"{pre}S0_{i}", [(u, HALF) for u in ab]) for i in range(4)]
    bus = [G.unit(f"{pre}S1_{i}", [(u, HALF) for u in bus[:3]]) for i in range(4)]
    for j in range(nu + 2):
        bus = [G.unit(f"{pre}S{j + 2}_{i}", [(u, HALF) for u in bus]) for i in range(4)]
    minus_z = [(u, -HALF) for u in bus[:2]]
    two = [G.unit(f"{pre}H2_{i}", minus_z, Q(2)) for i in range(2)]
    one = [G.unit(f"{pre}H1_{i}", minus_z, ONE) for i in range(2)]
    return [(u, HALF) for u in two] + [(u, -HALF) for u in one]


def _shift(G: _Graph, pre: str, x: str, m: int, N: int) -> Delivery:
    """x - m/N as a delivery: 4 units relu(+-(x - m/N)/2) per sign, read with +-1/2."""
    c = Q(m, 2 * N)
    pos = [G.unit(f"{pre}X+{i}", [(x, HALF)], -c) for i in range(4)]
    neg = [G.unit(f"{pre}X-{i}", [(x, -HALF)], c) for i in range(4)]
    return [(u, HALF) for u in pos] + [(u, -HALF) for u in neg]


def _multi_indices(d: int, below: int) -> list[tuple[int, ...]]:
    from itertools import product as cartesian

    return [a for a in cartesian(range(below), repeat=d) if sum(a) < below]


def theorem1_net(
    poly: "dict[tuple[int, ...], QLike]",
    *,
    d: int,
    n: int,
    N: int,
    lam: int,
    rounding: str = "ceil",
    eq18_literal: bool = False,
    quantization: str = "nonlinear",
) -> Network:
    """f' of Theorem 1 (eq. (18), Figure 3) for a polynomial f on [0, 1]^d, weights from lam values.

    f' = sum over m in {0..N}^d and |alpha| < n of beta_{m,alpha} f'_{m,alpha},
    where f'_{m,alpha} is the product, through x' (Proposition 2), of the
    partition-of-unity factors h(3N x_k - 3 m_k) and the factors
    (x_i - m_i/N) of the monomial (x - m/N)^alpha, and beta is the Taylor
    coefficient D^alpha f(m/N)/alpha! rounded to a multiple of
    (1/n)(d/N)^(n-|alpha|) and realised by Proposition 3's B_w.

    Parameters
    ----------
    poly : mapping exponent tuple -> rational
        f = sum c_e x^e; the caller makes sure f is in F_{d,n} (eq. (1)).
    d, n : int
        Input dimension and smoothness (Taylor order n - 1).
    N : int, a power of 2
        The grid 1/N (B_s scales by 3N through doublings).
    lam : int, >= 2
        Distinct weights of B_w (Proposition 3).
    rounding : {"ceil", "floor"}
        How the proof's non-integral r and t are read
        (:func:`theorem1_parameters`).
    eq18_literal : bool
        Sum over 0 < |alpha| < n as eq. (18) is printed (dropping the
        constant Taylor terms) instead of |alpha| < n as in eq. (14).
    quantization : {"nonlinear", "linear"}
        "linear" is Theorem 2 (App. A.3): the same network with Theorem 2's
        B_w (:func:`weight_net` with ``quantization="linear"``, lam a power
        of 2).  As the proof says, only B_w changes, so the blocks of
        Propositions 1-2 keep their weight -1/2, which is not on the linear
        grid {-1, i/lam}.

    Returns
    -------
    Network
        Inputs ``x1..xd``, output ``y``; metadata with every parameter,
        ``eps`` (eq. (21)), ``terms`` (the number of beta's realised) and
        ``betas`` (m, alpha, beta, realised beta').

    Notes
    -----
    Readings taken (the paper leaves them open):

    - eq. (18) sums over 0 < |alpha| < n, which drops the constant Taylor
      term; eq. (14), which it approximates, sums over |alpha| < n.  We follow
      eq. (14) (the constant term is needed: with n = 1 it is the only one).
    - the shifts m/N and the constants of h are biases (the "biases exempt"
      reading): B_N of Table 1 is not built, so the distinct-weight count
      holds for weights only; the biases are listed by
      ``metrics.distinct_weights(net, with_biases=True)``.
    - the product nesting of eq. (17): x'(h_1, x'(h_2, ... x'(factor, ...)));
      shorter branches are delayed with 2-unit buses so the network stays
      layered; a single factor needs no x'.
    - B_w reads its term with a sign gate and delivers beta' times it; w' = 0
      (beta rounds to 0) drops the term.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> net = theorem1_net({(2,): "1/2"}, d=1, n=1, N=8, lam=2)   # f = x^2/2
    >>> print(net.metadata["eps"], net.metadata["t"], evaluate(net, ["1/2"])[0])
    3/4 3 1/8
    """
    _check_int("d", d, 1)
    _check_int("n", n, 1)
    _check_int("N", N, 1)
    _check_int("lam", lam, 2)
    if N & (N - 1):
        raise InvalidArgument(f"N must be a power of 2 (B_s scales by 3N through doublings), got {N}")
    if quantization not in ("nonlinear", "linear"):
        raise InvalidArgument(f"quantization must be 'nonlinear' or 'linear', got {quantization!r}")
    if quantization == "linear":
        _linear_log(lam)
    nu = N.bit_length() - 1
    params = theorem1_parameters(d, n, N, rounding=rounding)
    r, t = int(params["r"]), int(params["t"])  # type: ignore[call-overload]
    P = _poly(poly, d)
    xs = [f"x{k + 1}" for k in range(d)]
    G = _Graph(xs)
    from itertools import product as cartesian

    terms: list[tuple[tuple[int, ...], tuple[int, ...], Delivery]] = []
    for mi, m in enumerate(cartesian(range(N + 1), repeat=d)):
        hats = [_hat(G, f"m{mi}.h{k}.", xs[k], m[k], N, nu) for k in range(d)]
        for ai, alpha in enumerate(_multi_indices(d, n)):
            if eq18_literal and sum(alpha) == 0:
                continue
            pre = f"m{mi}.a{ai}."
            factors: list[tuple[Delivery, bool]] = [(h, True) for h in hats]
            for k, ak in enumerate(alpha):
                for j in range(ak):
                    factors.append((_shift(G, f"{pre}s{k}_{j}.", xs[k], m[k], N), False))
            # x'(F_1, x'(F_2, ... x'(F_{K-1}, F_K))): fold from the right, delaying to align
            acc, nonneg = factors[-1]
            for fi in range(len(factors) - 2, -1, -1):
                F, F_nonneg = factors[fi]
                la, lf = _layer(G, acc), _layer(G, F)
                if la < lf:
                    acc = _delay(G, f"{pre}q{fi}.", acc, lf - la, nonneg=nonneg)
                elif lf < la:
                    F = _delay(G, f"{pre}f{fi}.", F, la - lf, nonneg=F_nonneg)
                acc = _product_block(G, f"{pre}p{fi}.", F, acc, r)
                nonneg = False
            terms.append((m, alpha, acc))
    top = max((_layer(G, dv) for _, _, dv in terms), default=0)
    out: Delivery = []
    betas = []
    for ti, (m, alpha, dv) in enumerate(terms):
        k = sum(alpha)
        point = [Q(mk, N) for mk in m]
        beta = _round_to(taylor_coefficient(P, alpha, point), Q(d, N) ** (n - k) / n)
        if not -1 <= beta <= 1:
            raise InvalidArgument(f"beta = {beta} at m = {m}, alpha = {alpha} is outside [-1, 1]: f is not in F_{{d,n}}")
        dv = _delay(G, f"t{ti}.", dv, top - _layer(G, dv), nonneg=False)
        if quantization == "linear":
            neg = [(u, -w) for u, w in dv]
            half = _weight_block_linear(G, f"t{ti}.w.", dv, neg, False, beta, lam, t, halve=True)
        else:
            half = _weight_block(G, f"t{ti}.w.", dv, beta, lam, t, signed=True, halve=True)
        out += half
        betas.append((str(m), str(alpha), str(beta), str(quantize_weight(beta, t))))
    G.unit("y", out, act="identity")
    return G.network(xs, ["y"], {
        "construction": "ding2019-theorem1",
        "paper": "Ding et al. 2019, arXiv:1802.03646, Theorem 1, App. A.2, eq. (10)-(21), Fig. 3",
        "d": d, "n": n, "N": N, "lam": lam, "r": r, "t": t, "rounding": rounding, "eq18_literal": eq18_literal,
        "quantization": quantization,
        "eps": str(params["eps"]), "terms": len(terms), "betas": betas,
        "f": {",".join(map(str, e)): str(c) for e, c in P.items()},
    })
