"""Gonon et al. (2023): parameter perturbations, the Lipschitz-parameterization bound, uniform quantization.

A. Gonon, N. Brisebarre, R. Gribonval, E. Riccietti, "Approximation speed of
quantized vs. unquantized ReLU neural networks and beyond", IEEE Trans. Inf.
Theory 69(6) (2023), arXiv:2205.11874, Section III (Lipschitz
parameterization of ReLU networks and nearest-neighbour uniform quantization).

The paper bounds ``sup_x |R_theta(x) - R_theta'(x)|`` by a constant times
``||theta - theta'||_inf`` for parameters bounded by r on inputs bounded by D.
Its printed constant could not be retrieved from the text stores available
to exactnet (only the abstract and the introduction of arXiv:2205.11874
were found); :func:`lipschitz_bound` is therefore the layer-by-layer
telescoping bound that such constants are derived from, written out exactly
for the network's own layer widths and proved in its Notes.  It is an upper
bound for every network of the architecture, which the claims in
:mod:`exactnet.claims.gonon2023` check against exact sups.

Parameters are ordered layer by layer, the weights row by row then the
biases (:func:`parameters`), as in :meth:`Network.from_layers`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import product

from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Interval, Q, QLike, q
from exactnet.pwl import to_pwl

__all__ = [
    "layer_widths",
    "lipschitz_bound",
    "parameter_bound",
    "parameters",
    "perturb",
    "perturbation_sup",
    "quantization_step",
    "quantize_uniform",
    "search_sign_perturbation",
    "sign_perturbations",
    "with_parameters",
    "worst_sign_perturbation",
]


def _layers(net: Network):  # type: ignore[no-untyped-def]
    layers = net.layers()
    if layers is None:
        raise InvalidArgument(
            "the network is not a plain multilayer perceptron (Network.layers() is None)"
        )
    return layers


def parameters(net: Network) -> tuple[Q, ...]:
    """The parameter vector theta of a plain network: per layer, weights row by row, then biases.

    Examples
    --------
    >>> N = Network.from_layers([[[2], [3]], [[5, 7]]], [[0, 1], [4]])
    >>> [str(t) for t in parameters(N)]
    ['2', '3', '0', '1', '5', '7', '4']
    """
    out: list[Q] = []
    for layer in _layers(net):
        for row in layer.weights:
            out.extend(row)
        out.extend(layer.biases)
    return tuple(out)


def with_parameters(net: Network, theta: Sequence[QLike]) -> Network:
    """The network of the same architecture (names, activations) with parameters theta.

    Examples
    --------
    >>> N = Network.from_layers([[[2], [3]], [[5, 7]]], [[0, 1], [4]])
    >>> with_parameters(N, [1, 1, 0, 0, 1, 1, 0]) == Network.from_layers([[[1], [1]], [[1, 1]]], [[0, 0], [0]])
    True
    """
    layers = _layers(net)
    theta = [q(t) for t in theta]
    if len(theta) != len(parameters(net)):
        raise InvalidArgument(
            f"{len(theta)} parameters for a network with {len(parameters(net))}"
        )
    it = iter(theta)
    weights, biases, acts = [], [], []
    for layer in layers:
        weights.append([[next(it) for _ in row] for row in layer.weights])
        biases.append([next(it) for _ in layer.biases])
        acts.append(layer.activation)
    return Network.from_layers(
        weights, biases, acts, inputs=net.inputs, outputs=net.outputs
    )


def perturb(net: Network, deltas: Sequence[QLike]) -> Network:
    """The network with parameters theta + deltas.

    Examples
    --------
    >>> N = Network.from_layers([[[1]]], [[0]], ["identity"])
    >>> [str(t) for t in parameters(perturb(N, ["1/4", "-1/4"]))]
    ['5/4', '-1/4']
    """
    theta = parameters(net)
    if len(deltas) != len(theta):
        raise InvalidArgument(
            f"{len(deltas)} perturbations for a network with {len(theta)} parameters"
        )
    return with_parameters(net, [t + q(d) for t, d in zip(theta, deltas)])


def sign_perturbations(P: int, *, zero: bool = False) -> Iterator[tuple[int, ...]]:
    """Every sign vector in {-1, 1}^P (or {-1, 0, 1}^P with ``zero=True``), in lexicographic order.

    Examples
    --------
    >>> list(sign_perturbations(2))
    [(-1, -1), (-1, 1), (1, -1), (1, 1)]
    >>> len(list(sign_perturbations(3, zero=True)))
    27
    """
    if not isinstance(P, int) or P < 1:
        raise InvalidArgument(f"P={P!r} must be an integer >= 1")
    return product((-1, 0, 1) if zero else (-1, 1), repeat=P)


def layer_widths(net: Network) -> tuple[int, ...]:
    """(N_0, N_1, ..., N_L): the input dimension and every layer's width.

    Examples
    --------
    >>> layer_widths(Network.from_layers([[[2], [3]], [[5, 7]]], [[0, 1], [4]]))
    (1, 2, 1)
    """
    return (len(net.inputs),) + tuple(len(layer.biases) for layer in _layers(net))


def parameter_bound(net: Network) -> Q:
    """||theta||_inf, the largest parameter magnitude.

    Examples
    --------
    >>> print(parameter_bound(Network.from_layers([[["-3/2"]]], [[1]], ["identity"])))
    3/2
    """
    return max(abs(t) for t in parameters(net))


def lipschitz_bound(widths: Sequence[int], r: QLike, D: QLike) -> Q:
    """C with sup_(||x||_inf <= D) ||R_theta(x) - R_theta'(x)||_inf <= C ||theta - theta'||_inf.

    Valid for every pair of networks with layer widths (N_0, ..., N_L),
    ReLU hidden layers, an affine last layer, and ||theta||_inf,
    ||theta'||_inf <= r.  With delta = ||theta - theta'||_inf,
    M_0 = D, e_0 = 0 and for l = 1..L

        M_l = N_(l-1) r M_(l-1) + r,
        e_l = N_(l-1) (M_(l-1) + r e_(l-1)) + 1,

    C = e_L.

    Examples
    --------
    One affine layer x -> a x + b on [-D, D]: |(a - a')x + (b - b')| <= (D + 1) delta.

    >>> print(lipschitz_bound([1, 1], 5, 3))
    4

    Notes
    -----
    Proof.  Let h_l, h'_l be the layer outputs (h_0 = h'_0 = x), A_l, b_l the
    parameters.  |relu(z)| <= |z| gives ||h_l||_inf <= N_(l-1) r ||h_(l-1)||_inf + r,
    so ||h_l||_inf <= M_l.  Since relu is 1-Lipschitz,
    ||h_l - h'_l||_inf <= ||(A_l - A'_l) h_(l-1)|| + ||A'_l (h_(l-1) - h'_(l-1))||
    + ||b_l - b'_l|| <= N_(l-1) delta M_(l-1) + N_(l-1) r ||h_(l-1) - h'_(l-1)|| + delta,
    which is e_l delta by induction.  For equal widths W and r >= 1 this is
    the familiar shape O(L W^L r^(L-1) (D + 1)) of the bounds in the
    literature (Gonon et al. 2023, Section III; Berner et al. 2020).
    """
    if len(widths) < 2 or any(not isinstance(n, int) or n < 1 for n in widths):
        raise InvalidArgument(
            f"widths={list(widths)!r} must be >= 2 positive integers (N_0, ..., N_L)"
        )
    r, D = q(r), q(D)
    if r < 0 or D < 0:
        raise InvalidArgument(f"r={r} and D={D} must be >= 0")
    M, e = D, ZERO
    for n_prev in widths[:-1]:
        M, e = n_prev * r * M + r, n_prev * (M + r * e) + ONE
    return e


def quantize_uniform(net: Network, step: QLike) -> Network:
    """Nearest-neighbour uniform quantization: every parameter rounded to the grid step * Z.

    Ties (a parameter exactly half way) go to the grid point of smaller
    magnitude, so |theta - Q(theta)| <= step / 2 always.

    Examples
    --------
    >>> N = Network.from_layers([[["1/3"]]], [["-5/8"]], ["identity"])
    >>> [str(t) for t in parameters(quantize_uniform(N, "1/4"))]
    ['1/4', '-1/2']
    """
    step = q(step)
    if step <= 0:
        raise InvalidArgument(f"step={step} must be > 0")

    def rnd(t: Q) -> Q:
        k, rest = divmod(abs(t), step)
        k = int(k) + (1 if 2 * rest > step else 0)
        return (k * step) if t >= 0 else -(k * step)

    return with_parameters(net, [rnd(t) for t in parameters(net)])


def quantization_step(eps: QLike, constant: QLike) -> Q:
    """The coarsest dyadic step 2^-k <= 1 with constant * step / 2 <= eps.

    Rounding to that grid moves every parameter by at most step / 2, so a
    Lipschitz constant C (:func:`lipschitz_bound`) guarantees a sup error of
    at most C step / 2 <= eps.

    Examples
    --------
    >>> print(quantization_step("1/100", 7))
    1/512
    """
    eps, constant = q(eps), q(constant)
    if eps <= 0 or constant <= 0:
        raise InvalidArgument(f"eps={eps} and constant={constant} must be > 0")
    step = ONE
    while constant * step / 2 > eps:
        step /= 2
    while step < 1 and constant * step <= eps:  # a coarser grid still works
        step *= 2
    return step


def perturbation_sup(net: Network, other: Network, interval: Interval) -> tuple[Q, Q]:
    """sup over the interval of |R_theta(x) - R_theta'(x)| for one-input networks, and a maximiser.

    R_theta - R_theta' is piecewise linear, so the sup is the largest |value|
    at a breakpoint of the exact difference of the two PWL functions.  (The
    claims re-certify the worst case with :func:`exactnet.supnorm.certify`
    on the difference network.)

    Examples
    --------
    >>> N = Network.from_layers([[[1]], [[1]]], [[0], [0]])
    >>> M = Network.from_layers([[["5/4"]], [[1]]], [[0], [0]])
    >>> [str(v) for v in perturbation_sup(N, M, Interval(-1, 1))]
    ['1/4', '1']
    """
    d = (to_pwl(net, interval) - to_pwl(other, interval)).canonical()
    return max((abs(y), x) for x, y in zip(d.xs, d.ys))


def worst_sign_perturbation(
    net: Network, delta: QLike, interval: Interval, *, zero: bool = False
) -> tuple[tuple[int, ...], Q, Q]:
    """The sign vector s maximising sup |R_theta - R_(theta + s delta)| over the interval, exhaustively.

    Every s in {-1, 1}^P ({-1, 0, 1}^P with ``zero=True``) is tried, so
    this is for small P (2^P or 3^P exact PWL extractions).  Ties keep the
    first s in lexicographic order.

    Returns
    -------
    (signs, sup, maximiser)

    Examples
    --------
    One affine layer a x + b on [-1, 1]: the worst is moving a and b the same way,
    |delta x + delta| = 2 delta at x = 1.

    >>> N = Network.from_layers([[[1]]], [[0]], ["identity"])
    >>> s, v, x = worst_sign_perturbation(N, "1/8", Interval(-1, 1))
    >>> s, str(v), str(x)
    ((-1, -1), '1/4', '1')
    """
    delta = q(delta)
    best: tuple[tuple[int, ...], Q, Q] | None = None
    P = len(parameters(net))
    for signs in sign_perturbations(P, zero=zero):
        v, x = perturbation_sup(
            net, perturb(net, [sg * delta for sg in signs]), interval
        )
        if best is None or v > best[1]:
            best = (signs, v, x)
    assert best is not None
    return best


def search_sign_perturbation(
    net: Network,
    delta: QLike,
    interval: Interval,
    *,
    start: Sequence[int] | None = None,
) -> tuple[tuple[int, ...], Q, Q]:
    """A locally worst sign vector s in {-1, 1}^P: no single sign flip increases the exact sup.

    Hill climbing from `start` (default all +1): flip the sign of the
    parameter whose flip increases sup |R_theta - R_(theta + s delta)| the
    most, until no flip does.  Every sup is exact, so the returned value is
    attained (a lower bound on the worst case over the sign grid, to be
    compared with an upper bound such as :func:`lipschitz_bound`).

    Returns
    -------
    (signs, sup, maximiser)

    Examples
    --------
    From (+1, -1) the difference -delta x + delta already reaches 2 delta at x = -1, the
    largest any sign vector reaches, so no flip helps:

    >>> N = Network.from_layers([[[1]]], [[0]], ["identity"])
    >>> s, v, x = search_sign_perturbation(N, "1/8", Interval(-1, 1), start=[1, -1])
    >>> s, str(v), str(x)
    ((1, -1), '1/4', '-1')
    """
    delta = q(delta)
    P = len(parameters(net))
    signs = list(start) if start is not None else [1] * P
    if len(signs) != P or any(sg not in (-1, 1) for sg in signs):
        raise InvalidArgument(f"start must be {P} signs in {{-1, 1}}")

    def value(sg: Sequence[int]) -> tuple[Q, Q]:
        return perturbation_sup(net, perturb(net, [t * delta for t in sg]), interval)

    best, at = value(signs)
    while True:
        moves = []
        for i in range(P):
            trial = signs[:]
            trial[i] = -trial[i]
            v, x = value(trial)
            if v > best:
                moves.append((v, -i, x))
        if not moves:
            return tuple(signs), best, at
        best, negi, at = max(moves)
        signs[-negi] = -signs[-negi]
