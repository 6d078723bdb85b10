"""Checks of a paper's stated sizes (depth, width, weights, bits) against counted metrics.

A paper states a size as a formula in its parameters (``depth <= c log(1/eps)``,
``weights = 4m + 1``).  exactnet builds the network, counts with
:func:`exactnet.metrics.metrics`, evaluates the formula exactly at the same
parameters and compares.  The verdict is VIOLATED exactly when a counted value
breaks its relation; the details list every count with its stated value, so a
loose bound shows its exact slack.
"""

from __future__ import annotations

from typing import Mapping

from exactnet.certificate import Certificate, Verdict
from exactnet.exceptions import InvalidArgument
from exactnet.metrics import Metrics, metrics
from exactnet.network import Network
from exactnet.numbers import Q, QLike, q

__all__ = ["RELATIONS", "certify_sizes"]

RELATIONS = ("==", "<=", ">=")
"""How a counted size may relate to the stated one."""


def _holds(counted: Q, stated: Q, relation: str) -> bool:
    if relation == "==":
        return counted == stated
    if relation == "<=":
        return counted <= stated
    return counted >= stated


def certify_sizes(
    net: Network,
    stated: Mapping[str, QLike],
    *,
    claim: str,
    relation: "str | Mapping[str, str]" = "==",
    parameters: Mapping[str, object] | None = None,
) -> Certificate:
    """Compare counted metrics of `net` with the sizes a paper states.

    Parameters
    ----------
    net : Network
        The built construction.
    stated : mapping
        Metric name (a field of :class:`~exactnet.metrics.Metrics`, e.g.
        ``"depth"``, ``"weights"``, ``"distinct_weights"``) to the value the
        paper's formula gives at these parameters (exact: int, Fraction, "p/q").
    claim : str
        The statement, in words and symbols.
    relation : str or mapping
        ``"=="`` (the default), ``"<="`` (the count must not exceed the stated
        value: an upper bound) or ``">="``; one for all metrics or one per name.
    parameters : mapping, optional
        The construction's parameters, recorded in the details.

    Returns
    -------
    Certificate
        HOLDS when every relation holds (``value`` and ``witness`` None);
        VIOLATED otherwise, with ``value`` the first broken stated size and
        ``witness`` its count.  The details name every broken metric and hold,
        per metric, the count, the stated value, the relation and the slack
        (stated - count).

    Raises
    ------
    InvalidArgument
        An unknown metric name or relation.

    Examples
    --------
    The tent map g(x) = 2 relu(x) - 4 relu(x - 1/2) (Yarotsky 2017, eq. (3)) has
    two affine layers, two hidden neurons and four nonzero weights (count them in
    the formula):

    >>> from exactnet.constructions.yarotsky2017 import tent_net
    >>> c = certify_sizes(tent_net(), {"depth": 2, "weights": 4}, claim="tent sizes")
    >>> print(c.verdict.value, c.details["sizes"]["weights"]["slack"])
    holds 0
    >>> c = certify_sizes(tent_net(), {"width": 1}, claim="width 1?")
    >>> print(c.verdict.value, c.details["violated"])
    violated ('width',)
    """
    fields = set(Metrics.__dataclass_fields__)
    m = metrics(net).as_dict()
    sizes: dict[str, dict[str, str]] = {}
    broken: list[str] = []
    for name, value in stated.items():
        if name not in fields:
            raise InvalidArgument(f"unknown metric {name!r}; known: {', '.join(sorted(fields))}")
        rel = relation if isinstance(relation, str) else relation.get(name, "==")
        if rel not in RELATIONS:
            raise InvalidArgument(f"relation {rel!r} for {name!r}: use one of {RELATIONS}")
        raw = m[name]
        if raw is None or isinstance(raw, bool):
            raise InvalidArgument(f"metric {name!r} is not a number ({raw!r})")
        counted = q(raw)
        want = q(value)
        sizes[name] = {
            "counted": str(counted),
            "stated": str(want),
            "relation": rel,
            "slack": str(want - counted),
        }
        if not _holds(counted, want, rel):
            broken.append(name)
    details: dict[str, object] = {"sizes": sizes, "violated": tuple(broken)}
    if parameters:
        details["parameters"] = {k: str(v) for k, v in parameters.items()}
    if broken:
        # the witness of a broken size is the count itself (re-derivable from the
        # network by anyone who counts); the value is the stated one it breaks
        first = sizes[broken[0]]
        return Certificate(
            claim, Verdict.VIOLATED, q(first["stated"]), (q(first["counted"]),),
            "counted metrics", details,
        )
    return Certificate(claim, Verdict.HOLDS, None, None, "counted metrics", details)
