"""Claims decided by exact evaluation on a finite set of points.

A claim "N(x) = f(x) for every x in S" with S finite is decided completely by
evaluating N exactly at every point of S (the scaled-integer fast path, which
agrees exactly with the reference loop) and comparing with f computed
independently in exact arithmetic.  A violation is re-confirmed by the
reference evaluator before it is reported.
"""

from __future__ import annotations

import time
from typing import Callable, Sequence

import numpy as np

from exactnet.certificate import Certificate, Verdict
from exactnet.evaluate import evaluate, evaluate_scaled
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import Q, ZERO, library_versions

__all__ = ["check_on_grid"]


def check_on_grid(
    net: Network,
    numerators: Sequence[int],
    denominator: int,
    expected: Callable[[Q], Q],
    *,
    claim: str,
    output: int = 0,
) -> Certificate:
    """Decide ``N(k / den) = expected(k / den)`` for every k in `numerators`.

    Parameters
    ----------
    net : Network
        One input.
    numerators : sequence of int
        The points are ``k / denominator``.
    denominator : int, > 0
    expected : callable Q -> Q
        The claimed values, computed exactly and independently of `net`.
    claim : str
        The statement, for the certificate.
    output : int
        Which output of `net` is compared.

    Returns
    -------
    Certificate
        HOLDS with value = max |N - expected| = 0 over the points, or VIOLATED
        with the first failing point as witness and the deviation there as value.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import sawtooth_net
    >>> c = check_on_grid(sawtooth_net(3), range(9), 8, lambda x: Q(int(x * 8) % 2),
    ...                   claim="g_3(k/8) = k mod 2")
    >>> c.verdict.value, str(c.value), c.details["points"]
    ('holds', '0', 9)
    """
    if len(net.inputs) != 1:
        raise InvalidArgument(f"check_on_grid needs a one-input network, got {len(net.inputs)}")
    if not 0 <= output < len(net.outputs):
        raise InvalidArgument(f"{output=} is not an output index of a {len(net.outputs)}-output network")
    start = time.perf_counter()
    ks = list(numerators)
    batch = evaluate_scaled(net, np.array(ks, dtype=object), denominator)
    nums = batch.numerators[:, output].tolist()
    den_out = batch.denominators[output]
    for k, num in zip(ks, nums):
        x = Q(k, denominator)
        got = Q(int(num), den_out)
        dev = abs(got - expected(x))
        if dev != 0:
            # re-confirm with the reference loop before reporting a violation
            ref = evaluate(net, x)[output]
            assert ref == got, "fast path and reference disagree: a bug in exactnet"
            return Certificate(
                claim,
                Verdict.VIOLATED,
                dev,
                (x,),
                "exhaustive exact evaluation",
                {
                    "points": len(ks),
                    "value_label": f"|N - f| at the witness ({len(ks)} points)",
                    "network_value": str(got),
                    "expected_value": str(expected(x)),
                    "seconds": round(time.perf_counter() - start, 6),
                    "versions": library_versions(),
                },
            )
    return Certificate(
        claim,
        Verdict.HOLDS,
        ZERO,
        None,
        "exhaustive exact evaluation",
        {
            "points": len(ks),
            "value_label": f"max |N - f| over {len(ks)} points",
            "fast_path_int64_levels": batch.int64_levels,
            "versions": library_versions(),
        },
    )
