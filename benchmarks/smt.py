"""z3 against the exact PWL route on the same claims, as the networks grow (issue 6).

Claim: sup over [0, 1] of |f_m(x) - x^2| <= 2^(-2m-2) (Yarotsky 2017, Prop. 2), which holds
with equality, for m = 2..12.  Routes:

* pwl: exactnet.supnorm.certify (exact extraction + exact piece maxima);
* z3:  exactnet.smt.prove_bound (z3 nonlinear real arithmetic; "exists x with
  |N(x) - x^2| > eps" must be unsat), with a time limit per query;
* z3 lemmas: exactnet.smt.prove_lemmas (one query per piece; total time).

Run:  PYTHONPATH=. python benchmarks/smt.py [--max-m 12] [--timeout 10]
Prints one row per m with the times and the ratio z3 / pwl.
"""

from __future__ import annotations

import argparse
import time

from exactnet.certificate import Verdict
from exactnet.constructions.yarotsky2017 import square_net
from exactnet.numbers import Interval, Q
from exactnet.smt import prove_bound, prove_lemmas
from exactnet.supnorm import certify


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-m", type=int, default=12)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--lemmas-up-to", type=int, default=8, help="largest m for the per-piece lemma route")
    args = ap.parse_args()
    print(f"{'m':>3} {'pieces':>7} {'pwl s':>9} {'z3 s':>9} {'z3 verdict':>10} {'z3/pwl':>9} {'lemmas s':>9}")
    for m in range(2, args.max_m + 1):
        net, eps, dom = square_net(m), Q(1, 2 ** (2 * m + 2)), Interval(0, 1)
        t = time.perf_counter()
        p = certify(net, "x^2", dom, eps)
        t_pwl = time.perf_counter() - t
        assert p.verdict is Verdict.HOLDS
        t = time.perf_counter()
        z = prove_bound(net, "x^2", dom, eps, timeout=args.timeout)
        t_z3 = time.perf_counter() - t
        lem = "-"
        if m <= args.lemmas_up_to:
            t = time.perf_counter()
            ls = prove_lemmas(net, "x^2", dom, eps, timeout=args.timeout)
            lem = f"{time.perf_counter() - t:9.3f}"
            assert all(c.verdict is not Verdict.VIOLATED for c in ls)
        assert z.verdict is not Verdict.VIOLATED, "z3 and the PWL route disagree"
        print(f"{m:>3} {2**m:>7} {t_pwl:9.4f} {t_z3:9.3f} {z.verdict.value:>10} {t_z3 / t_pwl:9.1f} {lem:>9}")


if __name__ == "__main__":
    main()
