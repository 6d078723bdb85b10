"""Claims on bit extraction and the depth-precision tradeoff (Ou, Schenkel, Bölcskei 2024).

W. Ou, P. Schenkel, H. Bölcskei, "Three Quantization Regimes for ReLU Networks",
arXiv:2405.01952 (2024).  Only the paper's abstract and introduction were
retrievable here: they announce (a) a refinement of the bit extraction technique
and (b) the depth-precision tradeoff, "networks with high-precision weights can
be converted into functionally equivalent deeper networks with low-precision
weights".  The lemma texts are not checked; the claims below decide exactly
what exactnet's constructions (:mod:`exactnet.constructions.ou2024`,
:mod:`exactnet.precision`) do, each statement saying precisely what it decides.
Bit extraction itself is the technique of Bartlett, Harvey, Liaw, Mehrabian
(JMLR 2019, arXiv:1703.02930).
"""

from __future__ import annotations

from exactnet.catalogue import Claim, register
from exactnet.certificate import Certificate
from exactnet.compose import affine_combination, affine_net, sequential
from exactnet.constructions.ou2024 import (
    bit_extraction_net,
    bit_extraction_refined_net,
    bit_extraction_refined_sizes,
    bit_extraction_sizes,
    bits_of,
)
from exactnet.counts import certify_sizes
from exactnet.network import Network
from exactnet.numbers import Box, Interval, Q
from exactnet.precision import to_alphabet
from exactnet.pwl import to_pwl
from exactnet.quantize import Alphabet
from exactnet.smt import prove_equal, prove_outputs_on_grid
from exactnet.supnorm import certify_equal

__all__ = [
    "bit_extraction_grid",
    "bit_extraction_size",
    "converted_alphabet_size",
    "converted_equal",
    "converted_equal_2d",
    "first_bit_ramp",
    "refined_equals_classic",
    "sum_abs_difference",
    "transition_zones",
]

SOURCE = "Ou, Schenkel, Bölcskei 2024 (arXiv:2405.01952)"
SOURCE_BE = "Bartlett et al. 2019 (arXiv:1703.02930), bit extraction; " + SOURCE + ", refined bit extraction"
ALPHABETS = {
    "half": Alphabet.finite(["-1", "-1/2", "1/2", "1"]),
    "half-two": Alphabet.finite(["-2", "-1", "-1/2", "1/2", "1", "2"]),
}


def _builder(refined: bool):  # type: ignore[no-untyped-def]
    return bit_extraction_refined_net if refined else bit_extraction_net


def bit_extraction_grid(n: int, *, refined: bool = False, timeout: float | None = None) -> Certificate:
    """N(k/2^n) = (bits of k) for every integer 0 <= k < 2^n, in one z3 query (k an integer).

    The expected bit j is (k div 2^(n-j)) mod 2 in z3's integer arithmetic; a
    model would be re-checked by exact evaluation.

    Examples
    --------
    >>> print(bit_extraction_grid(4).verdict.value)
    holds
    """
    kind = "refined" if refined else "classic"
    return prove_outputs_on_grid(
        _builder(refined)(n), 2**n, 2**n - 1,
        lambda k: [(k / 2 ** (n - j)) % 2 for j in range(1, n + 1)],
        lambda k: [Q(b) for b in bits_of(k, n)],
        f"{kind} bit extraction, n={n}: N(k/2^{n}) = (floor(k/2^({n}-j)) mod 2)_(j=1..{n}) for all 0 <= k < 2^{n}",
        timeout=timeout,
    )


def bit_extraction_size(n: int, *, refined: bool = False) -> Certificate:
    """The counted sizes of the bit extraction network equal the hand-derived formulas.

    Examples
    --------
    >>> print(bit_extraction_size(5).verdict.value)
    holds
    """
    if refined:
        return certify_sizes(
            bit_extraction_refined_net(n), bit_extraction_refined_sizes(n),
            claim=f"refined bit extraction n={n}: depth n(n+1)/2+1, width n+1, weights in {{-2, 1, 2}}",
            parameters={"n": n},
        )
    return certify_sizes(
        bit_extraction_net(n), bit_extraction_sizes(n),
        claim=f"classic bit extraction n={n}: depth n+1, width n+1, n(n-1)/2+11n-9 weights, largest 2^n",
        parameters={"n": n},
    )


def transition_zones(n: int, j: int, *, refined: bool = False) -> tuple[tuple[Q, Q], ...]:
    """The maximal closed intervals of [0, 1] on which bit j (1-based) is not constantly 0 or 1.

    Read from the exact PWL function of output j: a piece belongs to a zone
    unless its value is the same 0 or 1 at both ends; touching pieces merge.

    Examples
    --------
    b_1 of the n = 4 network climbs from 0 to 1 on [1/2 - 2^-4, 1/2] (by hand:
    2^4 (relu(x - 1/2 + 1/16) - relu(x - 1/2))):

    >>> [(str(a), str(b)) for a, b in transition_zones(4, 1)]
    [('7/16', '1/2')]
    """
    f = to_pwl(_builder(refined)(n), Interval(0, 1), output=j - 1).canonical()
    zones: list[tuple[Q, Q]] = []
    for a, b, ya, yb in zip(f.xs, f.xs[1:], f.ys, f.ys[1:]):
        if ya == yb and ya in (0, 1):
            continue
        if zones and zones[-1][1] == a:
            zones[-1] = (zones[-1][0], b)
        else:
            zones.append((a, b))
    return tuple(zones)


def first_bit_ramp(n: int) -> Certificate:
    """Between grid points, bit 1 of the classic network is the ramp min(relu(2^n (x - 1/2) + 1), 1) on [0, 1].

    By hand from the construction: b_1 = 2^n (relu(x - 1/2 + 2^-n) - relu(x - 1/2)),
    0 up to 1/2 - 2^-n, 1 from 1/2 on; decided by exact PWL extraction.

    Examples
    --------
    >>> print(first_bit_ramp(3).verdict.value)
    holds
    """
    N = bit_extraction_net(n)
    b1 = sequential(N, affine_net([[1 if i == 0 else 0 for i in range(n)]], [0]))
    return certify_equal(b1, f"min(relu({2**n}*x - {2 ** (n - 1) - 1}), 1)", Interval(0, 1))


def sum_abs_difference(a: Network, b: Network) -> Network:
    """The one-output network sum_j |a_j - b_j| (|z| = relu(z) + relu(-z)): zero iff a = b everywhere.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> D = sum_abs_difference(bit_extraction_net(2), bit_extraction_refined_net(2))
    >>> print(evaluate(D, "3/8")[0], len(D.outputs))
    0 1
    """
    m = len(a.outputs)
    diff = affine_combination([(1, a), (-1, b)])
    absolute = Network.from_layers(
        [[[1 if i == j else 0 for i in range(m)] for j in range(m)]
         + [[-1 if i == j else 0 for i in range(m)] for j in range(m)], [[1] * (2 * m)]],
        [[0] * (2 * m), [0]],
    )
    return sequential(diff, absolute)


def refined_equals_classic(n: int) -> Certificate:
    """The refined network computes exactly the classic one on [0, 1], every output (PWL route).

    Examples
    --------
    >>> print(refined_equals_classic(3).verdict.value)
    holds
    """
    D = sum_abs_difference(bit_extraction_net(n), bit_extraction_refined_net(n))
    return certify_equal(D, "0", Interval(0, 1))


def converted_equal(n: int, alphabet: str = "half") -> Certificate:
    """to_alphabet(classic bit extraction n) = the original on [-1, 2], every output (PWL route).

    Examples
    --------
    >>> print(converted_equal(2).verdict.value)
    holds
    """
    N = bit_extraction_net(n)
    D = sum_abs_difference(N, to_alphabet(N, ALPHABETS[alphabet]))
    return certify_equal(D, "0", Interval(-1, 2))


def converted_alphabet_size(n: int, alphabet: str = "half") -> Certificate:
    """The converted network uses at most |alphabet| distinct numbers, each of magnitude <= max |alphabet|.

    Examples
    --------
    >>> print(converted_alphabet_size(3).verdict.value)
    holds
    """
    A = ALPHABETS[alphabet]
    M = to_alphabet(bit_extraction_net(n), A)
    assert A.size is not None and A.bound is not None
    return certify_sizes(
        M, {"distinct_weights_with_biases": A.size, "max_magnitude": A.bound},
        claim=f"converted bit extraction n={n}: every weight and bias in {A.name} (or 0)",
        relation="<=", parameters={"n": n, "alphabet": A.name},
    )


def converted_equal_2d(*, timeout: float | None = None) -> Certificate:
    """A two-input network with 4-bit weights, converted to {-1, -1/2, 1/2, 1}, is equal on a box (z3).

    Examples
    --------
    >>> print(converted_equal_2d().verdict.value)
    holds
    """
    N = Network.from_layers(
        [[["3/4", "-5/2"], ["1/8", "13/16"], ["-7/4", "1"]], [["3", "-1/4", "5/8"]]],
        [["1/2", "-3", "1/16"], ["5/8"]],
    )
    return prove_equal(N, to_alphabet(N), Box([Interval(-2, 2), Interval(-1, 3)]), timeout=timeout)


for _n in range(1, 13):
    register(Claim(
        id=f"ou2024/bit-extraction/classic/grid/n={_n}",
        statement=f"classic bit extraction network (n={_n}) maps k/2^{_n} to the {_n} bits of k, all 0 <= k < 2^{_n} (z3, k integer)",
        source=SOURCE_BE,
        check=lambda n=_n: bit_extraction_grid(n),
        full_only=_n > 8,
        paper_statement="bit extraction: a ReLU network reads the binary digits of its input",
    ))
for _n in range(1, 13):
    register(Claim(
        id=f"ou2024/bit-extraction/classic/first-bit-ramp/n={_n}",
        statement=f"between grid points, bit 1 of the classic network (n={_n}) is the ramp min(relu(2^{_n} (x - 1/2) + 1), 1) on [0, 1]: transition zone [1/2 - 2^-{_n}, 1/2]",
        source=SOURCE_BE,
        check=lambda n=_n: first_bit_ramp(n),
        full_only=_n > 10,
    ))
for _n in range(1, 9):
    register(Claim(
        id=f"ou2024/bit-extraction/refined/grid/n={_n}",
        statement=f"refined bit extraction network (n={_n}, weights in {{-2, 1, 2}}) maps k/2^{_n} to the bits of k, all 0 <= k < 2^{_n} (z3)",
        source=SOURCE_BE,
        check=lambda n=_n: bit_extraction_grid(n, refined=True),
        full_only=_n > 5,
        paper_statement="a refinement of the bit extraction technique (abstract; exactnet's own refinement is decided)",
    ))
for _n in range(1, 17):
    register(Claim(
        id=f"ou2024/bit-extraction/classic/sizes/n={_n}",
        statement=f"classic bit extraction n={_n}: depth n+1, width n+1, n(n-1)/2+11n-9 nonzero weights (4 for n=1), largest weight 2^n (hand count)",
        source=SOURCE_BE,
        check=lambda n=_n: bit_extraction_size(n),
        full_only=_n > 12,
    ))
    register(Claim(
        id=f"ou2024/bit-extraction/refined/sizes/n={_n}",
        statement=f"refined bit extraction n={_n}: depth n(n+1)/2+1, width n+1, 3 distinct weights {{-2, 1, 2}}: 2 bits per weight (hand count)",
        source=SOURCE_BE,
        check=lambda n=_n: bit_extraction_size(n, refined=True),
        full_only=_n > 12,
    ))
for _n in range(1, 9):
    register(Claim(
        id=f"ou2024/bit-extraction/refined-equals-classic/n={_n}",
        statement=f"refined and classic bit extraction (n={_n}) are the same function on [0, 1], every output (exact PWL of sum_j |a_j - b_j|)",
        source=SOURCE_BE,
        check=lambda n=_n: refined_equals_classic(n),
        full_only=_n > 6,
    ))
for _n in range(1, 9):
    for _a, _alphabet in ALPHABETS.items():
        register(Claim(
            id=f"ou2024/depth-precision/bit-extraction/{_a}/equal/n={_n}",
            statement=f"depth-precision converter: classic bit extraction n={_n} over {_alphabet.name} equals the original on [-1, 2] (exact PWL)",
            source=SOURCE + ", depth-precision tradeoff (abstract)",
            check=lambda n=_n, a=_a: converted_equal(n, a),
            full_only=_n > 5,
            paper_statement="networks with high-precision weights can be converted into functionally equivalent deeper networks with low-precision weights",
        ))
        register(Claim(
            id=f"ou2024/depth-precision/bit-extraction/{_a}/alphabet/n={_n}",
            statement=f"depth-precision converter: every weight and bias of converted bit extraction n={_n} lies in {_alphabet.name} or is 0",
            source=SOURCE + ", depth-precision tradeoff (abstract)",
            check=lambda n=_n, a=_a: converted_alphabet_size(n, a),
            full_only=_n > 5,
        ))
register(Claim(
    id="ou2024/depth-precision/two-inputs",
    statement="depth-precision converter: a 2-input network with weights of up to 4 fractional bits, over {-1, -1/2, 1/2, 1}, equals the original on [-2, 2] x [-1, 3] (z3)",
    source=SOURCE + ", depth-precision tradeoff (abstract)",
    check=lambda: converted_equal_2d(),
))
