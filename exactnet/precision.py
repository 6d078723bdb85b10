"""The depth-precision converter: an equivalent deeper network whose weights lie in a small alphabet.

Ou, Schenkel and Bölcskei (arXiv:2405.01952, 2024) name the *depth-precision
tradeoff*: a network with high-precision weights can be converted into a
functionally equivalent deeper network with low-precision weights.
:func:`to_alphabet` does this exactly for any plain MLP with dyadic weights and
biases.  Each converted layer ``act(W a + b)`` is written over the binary
digits of its numbers, W = sum_p 2^(p-F) D_p with D_p in {-1, 0, 1}, and
evaluated by two Horner chains that run side by side:

- the fractional digits by halving, t <- D_p a + beta_p + t/2 (weights +-1/2),
- the integer digits by doubling, u <- D_p a + beta_p + 2u (weights +-2, or two
  copies of each neuron with weights +-1 when 2 is not in the alphabet),

and the layer's neuron is ``act(t + 2u)``.  A chain value may be negative, so it
is carried as a sign split v = relu(v) - relu(-v); the layer's inputs are
carried alongside through ReLUs with weight 1 (a signed input is split first).
A layer whose numbers already lie in the alphabet is copied unchanged.

Why a module of its own: :mod:`exactnet.quantize` works on values (which
numbers an alphabet holds, rounding to it, counting bits); this module builds
networks, and it is exact by construction rather than by rounding.  The
equivalence is not assumed: ``exactnet.supnorm.certify_equal`` (1-D) and
``exactnet.smt.prove_equal`` (n-D) prove it for each converted network.

Examples
--------
>>> from exactnet.evaluate import evaluate
>>> N = Network.from_layers([[["3/4"]], [["5/2"]]], [["-1/8"], ["1"]])
>>> M = to_alphabet(N)
>>> sorted(str(w) for w in {w for _, _, w in M.edges() if w != 0})
['-1', '-1/2', '1', '1/2']
>>> all(evaluate(M, x) == evaluate(N, x) for x in ("-1", "0", "1/3", "7/5"))
True
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from exactnet.exceptions import InvalidArgument, UnsupportedError
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Q, frac_bits, is_dyadic
from exactnet.quantize import Alphabet, as_alphabet

__all__ = ["DEFAULT_ALPHABET", "to_alphabet"]

DEFAULT_ALPHABET = Alphabet.finite(["-1", "-1/2", "1/2", "1"])
"""{-1, -1/2, 1/2, 1}: 2 bits per weight, enough for every dyadic network."""

_Rep = list[tuple[str, Q]]  # a value as sum(weight * node), every node a ReLU output >= 0


class _Builder:
    """The growing graph of the converted network, layer by layer."""

    def __init__(self, A: Alphabet) -> None:
        self.A = A
        self.g = nx.DiGraph()
        self.names: set[str] = set()

    def fresh(self, base: str) -> str:
        name, i = base, 1
        while name in self.names:
            i += 1
            name = f"{base}#{i}"
        self.names.add(name)
        return name

    def neuron(self, name: str, terms: dict[str, Q], bias: Q, act: str, anchor: str) -> str:
        self.g.add_node(name, bias=bias, act=act)
        for src, w in terms.items():
            if w != 0:
                self.g.add_edge(src, name, weight=w)
        if self.g.in_degree(name) == 0:
            # a constant neuron (every digit 0): a zero weight from the layer before keeps
            # the network a plain MLP, as from_layers keeps the zeros of a weight matrix
            self.g.add_edge(anchor, name, weight=ZERO)
        return name

    def value(self, base: str, terms: dict[str, Q], bias: Q, mult: Q, anchor: str) -> _Rep:
        """Neurons holding v = terms + bias, read by the next layer as mult * v."""
        A = self.A
        if mult in A and -mult in A:
            p = self.neuron(self.fresh(base + "+"), terms, bias, "relu", anchor)
            n = self.neuron(self.fresh(base + "-"), {s: -w for s, w in terms.items()}, -bias, "relu", anchor)
            return [(p, mult), (n, -mult)]
        if mult == 2 and ONE in A and -ONE in A:
            # 2v = v + v: two copies of each half of the split, read with weight +-1
            rep: _Rep = []
            for sign, tag in ((ONE, "+"), (-ONE, "-")):
                for copy in ("a", "b"):
                    t = {s: sign * w for s, w in terms.items()}
                    node = self.neuron(self.fresh(base + tag + copy), t, sign * bias, "relu", anchor)
                    rep.append((node, sign))
            return rep
        raise InvalidArgument(
            f"the alphabet {A.name} cannot scale by {mult}: it needs {mult} and {-mult}"
            + (" (or 1 and -1 to double by copies)" if mult == 2 else "")
            + "; the default {-1, -1/2, 1/2, 1} works for every dyadic network"
        )

    def carry(self, rep: _Rep, tag: str) -> _Rep:
        """The same value one layer later (ReLU outputs are >= 0, so relu is the identity)."""
        return [(self.neuron(self.fresh(f"{node}{tag}"), {node: ONE}, ZERO, "relu", node), w) for node, w in rep]


def _digits(v: Q, F: int) -> list[int]:
    """Signed binary digits of the integer v * 2^F, least significant first."""
    m = int(v * Q(2) ** F)
    s = 1 if m >= 0 else -1
    m = abs(m)
    out = []
    while m:
        out.append(s * (m & 1))
        m >>= 1
    return out


def _terms(reps: list[_Rep], digit_row: list[int]) -> dict[str, Q]:
    terms: dict[str, Q] = {}
    for rep, d in zip(reps, digit_row):
        if d:
            for node, w in rep:
                # w is +-1 for split inputs, or the reader's weight of a ReLU output (1)
                terms[node] = terms.get(node, ZERO) + d * (ONE if w > 0 else -ONE)
    return terms


def _layer_in_alphabet(W: tuple[tuple[Q, ...], ...], b: tuple[Q, ...], A: Alphabet) -> bool:
    return all(v == 0 or v in A for row in W for v in row) and all(v == 0 or v in A for v in b)


def to_alphabet(net: Network, alphabet: Alphabet | None = None) -> Network:
    """A deeper network computing exactly the same function, every weight and bias in `alphabet` or 0.

    Parameters
    ----------
    net : Network
        A plain MLP (``net.layers()`` is not None) with dyadic weights and biases.
    alphabet : Alphabet, optional
        Default {-1, -1/2, 1/2, 1}.  It must hold 1 and -1; halving needs 1/2 and
        -1/2 (only when some number has fractional bits); doubling uses 2 and -2,
        or two copies of a neuron with weights 1 when 2 is missing.

    Returns
    -------
    Network
        Same inputs and outputs (the converted layer's neurons keep their
        names); ``metadata["depth_precision"]`` records the alphabet.

    Raises
    ------
    UnsupportedError
        If `net` is not a plain MLP.
    InvalidArgument
        If a number is not dyadic, or the alphabet cannot make the needed
        scalings (e.g. {-2, -1, 1, 2} and a weight 3/4: every slope of such a
        network is an integer, so no conversion exists).

    Examples
    --------
    Weight 3 = 2 + 1 over {-2, -1, 1, 2}: one doubling step.

    >>> from exactnet.evaluate import evaluate
    >>> N = Network.from_layers([[[3]], [[1]]], [[0], [0]])
    >>> M = to_alphabet(N, Alphabet.finite([-2, -1, 1, 2]))
    >>> [str(evaluate(M, x)[0]) for x in ("-1", "1/2", "2")], M.layers() is not None
    (['0', '3/2', '6'], True)

    Notes
    -----
    A layer whose numbers have F fractional bits and B bits in all takes
    max(F + 1, B - F - 1) chain layers plus itself, so the depth grows by about
    the number of bits and the memory per weight falls to log2 |alphabet| bits:
    the tradeoff of [1]; that the converted network keeps [1]'s memory-optimality
    is not claimed here.

    References
    ----------
    .. [1] W. Ou, P. Schenkel, H. Bölcskei, "Three Quantization Regimes for ReLU
       Networks", arXiv:2405.01952 (2024), abstract and introduction (the
       depth-precision tradeoff).
    """
    A = DEFAULT_ALPHABET if alphabet is None else as_alphabet(alphabet)
    if ONE not in A or -ONE not in A:
        raise InvalidArgument(f"the alphabet {A.name} must hold 1 and -1 (the binary digits)")
    layers = net.layers()
    if layers is None:
        raise UnsupportedError("the depth-precision converter needs a plain MLP (net.layers() is None)")
    bad = [v for L in layers for row in L.weights for v in row if not is_dyadic(v)]
    bad += [v for L in layers for v in L.biases if not is_dyadic(v)]
    if bad:
        raise InvalidArgument(f"weight or bias {bad[0]} is not dyadic: no finite binary expansion to convert")
    B_ = _Builder(A)
    B_.names.update(net.nodes)  # original names are kept; chain names avoid them
    for x in net.inputs:
        B_.g.add_node(x)
    prev: list[str] = list(net.inputs)
    prev_signed = True  # inputs may be negative
    hidden_names = [[n for n in net.neurons if net.depth_of(n) == d] for d in range(1, len(layers) + 1)]
    for li, L in enumerate(layers):
        names = list(net.outputs) if li == len(layers) - 1 else _ordered(hidden_names[li], len(L.biases))
        if _layer_in_alphabet(L.weights, L.biases, A):
            for j, name in enumerate(names):
                B_.neuron(name, dict(zip(prev, L.weights[j])), L.biases[j], L.activation, prev[0])
        else:
            if prev_signed:
                reps = [B_.value(f"{p}.split", {p: ONE}, ZERO, ONE, p) for p in prev]
            else:
                reps = [[(p, ONE)] for p in prev]
            _convert_layer(B_, L.weights, L.biases, L.activation, names, reps, li + 1)
        prev = names
        prev_signed = L.activation != "relu"
    meta: dict[str, Any] = dict(net.metadata)
    meta["depth_precision"] = {
        "alphabet": A.name,
        "method": "binary digits by Horner chains (halving and doubling), sign split, exact",
    }
    return Network.from_graph(B_.g, net.inputs, net.outputs, metadata=meta)


def _ordered(names: list[str], count: int) -> list[str]:
    from exactnet.network import _natural_key

    out = sorted(names, key=_natural_key)
    assert len(out) == count, "layer sizes disagree with the depth grouping"
    return out


def _convert_layer(
    B_: _Builder,
    W: tuple[tuple[Q, ...], ...],
    b: tuple[Q, ...],
    act: str,
    names: list[str],
    reps: list[_Rep],
    layer: int,
) -> None:
    nums = [v for row in W for v in row] + list(b)
    F = max(frac_bits(v) for v in nums)
    digits = [[_digits(v, F) for v in row] for row in W]
    bdig = [_digits(v, F) for v in b]
    nbits = max([len(d) for row in digits for d in row] + [len(d) for d in bdig] + [1])
    Lf = F + 1  # halving steps: digit positions p = 0..F
    Li = max(nbits - F - 1, 0)  # doubling steps: positions nbits-1 down to F+1
    steps = max(Lf, Li)
    half = Q(1, 2)

    def digit(row: list[list[int]], p: int) -> list[int]:
        return [d[p] if p < len(d) else 0 for d in row]

    def bias_digit(j: int, p: int) -> Q:
        d = bdig[j]
        return Q(d[p]) if p < len(d) else ZERO

    t_rep: list[_Rep | None] = [None] * len(names)
    u_rep: list[_Rep | None] = [None] * len(names)
    cur = reps
    for s in range(1, steps + 1):
        new_t: list[_Rep | None] = list(t_rep)
        new_u: list[_Rep | None] = list(u_rep)
        anchor = cur[0][0][0]
        for j, name in enumerate(names):
            pf = s - (steps - Lf) - 1  # fractional chain position at this step
            if 0 <= pf <= F:
                terms = _terms(cur, digit(digits[j], pf))
                for node, w in t_rep[j] or []:
                    terms[node] = terms.get(node, ZERO) + w
                mult = half if pf < F else ONE
                new_t[j] = B_.value(f"{name}.L{layer}f{pf}", terms, bias_digit(j, pf), mult, anchor)
            ki = s - (steps - Li) - 1  # doubling chain step
            if 0 <= ki < Li:
                p = nbits - 1 - ki
                terms = _terms(cur, digit(digits[j], p))
                for node, w in u_rep[j] or []:
                    terms[node] = terms.get(node, ZERO) + w
                new_u[j] = B_.value(f"{name}.L{layer}i{p}", terms, bias_digit(j, p), Q(2), anchor)
        t_rep, u_rep = new_t, new_u
        if s < steps:
            cur = [B_.carry(rep, f".L{layer}c{s}") for rep in cur]
    for j, name in enumerate(names):
        terms: dict[str, Q] = {}
        for node, w in (t_rep[j] or []) + (u_rep[j] or []):
            terms[node] = terms.get(node, ZERO) + w
        B_.neuron(name, terms, ZERO, act, (t_rep[j] or [("", ZERO)])[0][0])
