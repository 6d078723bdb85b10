"""Size metrics of a network in the papers' terms: depth, width, weights, bits.

Papers count differently: is a bias a weight?  Is depth the number of affine
layers or of hidden layers?  Every metric that depends on such a convention is
offered in both readings, and the field name says which is which.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from exactnet.network import Network
from exactnet.numbers import Q, ZERO, frac_bits, is_dyadic

__all__ = ["Metrics", "metrics", "depth", "width", "distinct_weights", "bits_for"]


def depth(net: Network) -> int:
    """Affine layers on the longest input-to-output path (an affine map x -> W x + b
    counts once, whether or not a ReLU follows).  Hidden layers = depth - 1.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import sawtooth_net
    >>> depth(sawtooth_net(3))
    4
    """
    return max((net.depth_of(n) for n in net.nodes), default=0)


def width(net: Network) -> int:
    """The largest number of neurons at one hidden depth (1 .. depth - 1).

    Neurons are grouped by their depth (longest path from an input), so in a
    plain MLP this is the widest hidden layer.  0 when there is no hidden layer.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> width(square_net(4))
    2
    """
    D = depth(net)
    counts: dict[int, int] = {}
    for n in net.neurons:
        l = net.depth_of(n)
        if l < D:
            counts[l] = counts.get(l, 0) + 1
    return max(counts.values(), default=0)


def distinct_weights(net: Network, *, with_biases: bool = False) -> frozenset[Q]:
    """The set of distinct nonzero weights (and nonzero biases if asked).

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import tent_net
    >>> sorted(str(w) for w in distinct_weights(tent_net()))
    ['-4', '1', '2']
    >>> sorted(str(w) for w in distinct_weights(tent_net(), with_biases=True))
    ['-1/2', '-4', '1', '2']
    """
    values = {w for _, _, w in net.edges() if w != 0}
    if with_biases:
        values |= {net.bias(n) for n in net.neurons if net.bias(n) != 0}
    return frozenset(values)


def bits_for(n_values: int) -> int:
    """ceil(log2 n): bits to index one of n distinct values (0 for n <= 1).

    Examples
    --------
    >>> [bits_for(n) for n in (1, 2, 3, 4, 5)]
    [0, 1, 2, 2, 3]
    """
    return (n_values - 1).bit_length() if n_values > 1 else 0


@dataclass(frozen=True, slots=True)
class Metrics:
    """Every size metric of a network; see :func:`metrics` for the definitions."""

    inputs: int
    outputs: int
    depth: int
    hidden_layers: int
    width: int
    neurons: int
    hidden_neurons: int
    relu_neurons: int
    edges: int
    weights: int
    weights_with_biases: int
    biases_nonzero: int
    distinct_weights: int
    distinct_weights_with_biases: int
    bits_per_weight: int
    bits_per_weight_with_biases: int
    memory_bits: int
    memory_bits_with_biases: int
    dyadic: bool
    max_frac_bits: int | None
    max_magnitude: Q

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: exact numbers as strings."""
        d = asdict(self)
        d["max_magnitude"] = str(self.max_magnitude)
        return d


def metrics(net: Network) -> Metrics:
    """All size metrics of `net`.

    Definitions
    -----------
    - ``depth``: affine layers on the longest path (see :func:`depth`);
      ``hidden_layers`` = depth - 1 (the other convention in the papers).
    - ``width``: see :func:`width`.
    - ``neurons``: all non-input nodes (outputs included); ``hidden_neurons``
      excludes the outputs; ``relu_neurons`` counts ReLU units.
    - ``weights``: nonzero edge weights; ``weights_with_biases`` adds the
      nonzero biases (papers that quantize biases too count them).
    - ``distinct_weights`` is lambda, the number of distinct nonzero weights;
      ``bits_per_weight`` = ceil(log2 lambda); ``memory_bits`` = weights x
      bits_per_weight.  Each has a ``_with_biases`` twin.
    - ``max_frac_bits``: the largest k of m/2^k over weights and biases (None
      when some number is not dyadic); ``max_magnitude``: the largest |w| or |b|.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import tent_net
    >>> m = metrics(tent_net())
    >>> m.depth, m.width, m.weights, m.weights_with_biases, m.distinct_weights
    (2, 2, 4, 5, 3)
    >>> m.bits_per_weight, m.memory_bits, m.max_frac_bits, str(m.max_magnitude)
    (2, 8, 1, '4')
    """
    D = depth(net)
    neurons = net.neurons
    outs = set(net.outputs)
    ws = [w for _, _, w in net.edges() if w != 0]
    bs = [net.bias(n) for n in neurons if net.bias(n) != 0]
    lam = len(distinct_weights(net))
    lam_b = len(distinct_weights(net, with_biases=True))
    numbers = ws + bs
    dyadic = all(is_dyadic(v) for v in numbers)
    return Metrics(
        inputs=len(net.inputs),
        outputs=len(net.outputs),
        depth=D,
        hidden_layers=max(D - 1, 0),
        width=width(net),
        neurons=len(neurons),
        hidden_neurons=sum(1 for n in neurons if n not in outs),
        relu_neurons=sum(1 for n in neurons if net.activation(n) == "relu"),
        edges=len(net.edges()),
        weights=len(ws),
        weights_with_biases=len(ws) + len(bs),
        biases_nonzero=len(bs),
        distinct_weights=lam,
        distinct_weights_with_biases=lam_b,
        bits_per_weight=bits_for(lam),
        bits_per_weight_with_biases=bits_for(lam_b),
        memory_bits=len(ws) * bits_for(lam),
        memory_bits_with_biases=(len(ws) + len(bs)) * bits_for(lam_b),
        dyadic=dyadic,
        max_frac_bits=max((frac_bits(v) for v in numbers), default=0) if dyadic else None,
        max_magnitude=max((abs(v) for v in numbers), default=ZERO),
    )


