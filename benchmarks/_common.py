"""Helpers shared by the benchmark scripts (run as ``PYTHONPATH=. python benchmarks/X.py``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from exactnet.network import Network
from exactnet.numbers import Q


def mlp(seed: int, den: int, width: int, hidden: int) -> Network:
    """A random 1-width^hidden-1 perceptron with weights and biases ``j / den``.

    First-layer numerators |j| <= 256, later ones |j| <= 64, biases |j| <= 64.
    """
    rng = np.random.default_rng(seed)
    sizes = [1] + [width] * hidden + [1]
    weights, biases = [], []
    for l in range(1, len(sizes)):
        jmax = 256 if l == 1 else 64
        j = rng.integers(-jmax, jmax + 1, size=(sizes[l], sizes[l - 1]))
        weights.append([[Q(int(v), den) for v in row] for row in j])
        biases.append([Q(int(v), den) for v in rng.integers(-64, 65, size=sizes[l])])
    return Network.from_layers(
        weights, biases, metadata={"name": f"mlp 1-{width}x{hidden}-1 j/{den}"}
    )


def best_of(f: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The best wall time of `repeat` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = f()
        best = min(best, time.perf_counter() - t0)
    return best, result
