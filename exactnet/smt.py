"""The z3 bridge: identities and error bounds of networks proved by SMT, with exact models.

This is the only module that imports z3.  A network is encoded as one real
term per node (``If(pre > 0, pre, 0)`` for a ReLU), with every constant built
from its numerator and denominator (never from a float: ``RealVal(0.1)`` would
be read as a decimal).  A claim "for all x in the box, P(x)" is decided by
asking for an x in the box with not P(x):

* unsat: the claim HOLDS (z3's verdict is the certificate; its statistics
  are kept);
* sat: the model's x is read exactly (``as_fraction``; an algebraic model value
  is replaced by a nearby rational that still violates, checked exactly) and
  re-confirmed by exact evaluation: VIOLATED with that witness;
* unknown or timeout: UNKNOWN with z3's reason.

Every query can be written as SMT-LIB 2 (:func:`to_smt2`) and re-checked by
cvc5 when its Python package is installed (:func:`cross_check`); a
disagreement is reported, never settled silently.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Sequence

import z3

from exactnet.certificate import Certificate, Verdict
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import Box, Interval, Q, QLike, library_versions, q
from exactnet.targets import Add, Call, Div, Expr, Mul, Num, Pi, Pow, Target, Var, as_target

__all__ = [
    "Query",
    "prove_outputs_on_grid",
    "encode",
    "equality_query",
    "bound_query",
    "decide",
    "prove_equal",
    "prove_bound",
    "prove_lemmas",
    "to_smt2",
    "cross_check",
    "grid_query",
    "prove_on_grid",
]


def _const(v: Q) -> z3.ArithRef:
    return z3.Q(int(v.numerator), int(v.denominator)) if v.denominator != 1 else z3.RealVal(int(v.numerator))


def encode(net: Network, xs: Sequence[z3.ArithRef]) -> list[z3.ArithRef]:
    """The network's outputs as z3 real terms of the input terms `xs`.

    Examples
    --------
    >>> N = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "identity"])
    >>> x = z3.Real("x")
    >>> (y,) = encode(N, [x])
    >>> z3.simplify(z3.substitute(y, (x, z3.Q(3, 4))))
    1/2
    """
    if len(xs) != len(net.inputs):
        raise InvalidArgument(f"{len(xs)} input terms for a network with {len(net.inputs)} inputs")
    val: dict[str, z3.ArithRef] = dict(zip(net.inputs, xs))
    for n in net.neurons:
        acc: z3.ArithRef = _const(net.bias(n))
        for src, w in net.predecessors(n):
            acc = acc + _const(w) * val[src]
        val[n] = z3.If(acc > 0, acc, z3.RealVal(0)) if net.activation(n) == "relu" else acc
    return [val[o] for o in net.outputs]


def _target_term(f: Target, x: z3.ArithRef) -> z3.ArithRef:
    def go(e: Expr) -> z3.ArithRef:
        if isinstance(e, Num):
            return _const(e.value)
        if isinstance(e, Var):
            return x
        if isinstance(e, Add):
            return go(e.a) + go(e.b) if e.sign > 0 else go(e.a) - go(e.b)
        if isinstance(e, Mul):
            return go(e.a) * go(e.b)
        if isinstance(e, Div):
            return go(e.a) / go(e.b)
        if isinstance(e, Pow):
            b = go(e.base)
            out: z3.ArithRef = z3.RealVal(1)
            for _ in range(abs(e.n)):
                out = out * b
            return 1 / out if e.n < 0 else out
        if isinstance(e, Call) and e.name in ("relu", "abs", "max", "min"):
            a = [go(v) for v in e.args]
            if e.name == "relu":
                return z3.If(a[0] > 0, a[0], z3.RealVal(0))
            if e.name == "abs":
                return z3.If(a[0] >= 0, a[0], -a[0])
            if e.name == "max":
                return z3.If(a[0] >= a[1], a[0], a[1])
            return z3.If(a[0] <= a[1], a[0], a[1])
        raise InvalidArgument(
            f"target {f.text!r} is {f.kind}: z3 handles polynomial, rational and piecewise-linear "
            "targets only (use the PWL route for transcendental ones)"
        )

    if isinstance(f.expr, Pi):
        raise InvalidArgument("pi is not a real-closed-field constant")
    return go(f.expr)


@dataclass(frozen=True)
class Query:
    """An SMT question "is there x in the box with `negation`?" and how to read its answer.

    Attributes
    ----------
    claim : str
        The universal claim whose negation is asked.
    xs : tuple of z3 terms
        The input variables.
    constraints : tuple of z3 booleans
        The box and the negated claim.
    confirm : callable
        Exact re-check of a candidate point: True if it violates the claim.
    value : callable or None
        The exact value reported with a witness (e.g. the error there).
    """

    claim: str
    xs: tuple
    constraints: tuple
    confirm: Callable[[tuple[Q, ...]], bool]
    value: Callable[[tuple[Q, ...]], Q] | None = None


def _box_constraints(xs: Sequence[z3.ArithRef], box: Box) -> list:
    out = []
    for x, iv in zip(xs, box.sides):
        out += [x >= _const(iv.lo), x <= _const(iv.hi)]
    return out


def _as_box(domain: "Box | Interval") -> Box:
    return Box((domain,)) if isinstance(domain, Interval) else domain


def equality_query(net: Network, g: "Network | Target | str", domain: "Box | Interval") -> Query:
    """Is there x in the box with N(x) != g(x)?  (g a network or a PWL/polynomial formula.)"""
    box = _as_box(domain)
    if len(box.sides) != len(net.inputs):
        raise InvalidArgument(f"the box has {len(box.sides)} dimensions, the network {len(net.inputs)} inputs")
    xs = [z3.Real(f"x{i + 1}") for i in range(len(net.inputs))]
    outs = encode(net, xs)
    if isinstance(g, Network):
        if len(g.inputs) != len(net.inputs) or len(g.outputs) != len(net.outputs):
            raise InvalidArgument("the two networks have different numbers of inputs or outputs")
        other = encode(g, xs)
        name = g.metadata.get("name", "the other network") if hasattr(g, "metadata") else "the other network"
        claim = f"N = {name} on {box}"

        def confirm(p: tuple[Q, ...]) -> bool:
            return evaluate(net, p) != evaluate(g, p)
    else:
        f = as_target(g)
        if len(net.inputs) != 1 or len(net.outputs) != 1:
            raise InvalidArgument("a formula compares with one-input, one-output networks")
        other = [_target_term(f, xs[0])]
        claim = f"N(x) = {f.text} on {box}"

        def confirm(p: tuple[Q, ...]) -> bool:
            return evaluate(net, p[0])[0] != f(p[0])
    differ = z3.Or([a != b for a, b in zip(outs, other)])
    return Query(claim, tuple(xs), tuple(_box_constraints(xs, box) + [differ]), confirm)


def bound_query(net: Network, target: "Target | str", domain: "Box | Interval", eps: QLike) -> Query:
    """Is there x in the interval with |N(x) - f(x)| > eps?  (f polynomial, rational or PWL.)"""
    box = _as_box(domain)
    if len(net.inputs) != 1 or len(net.outputs) != 1 or len(box.sides) != 1:
        raise InvalidArgument("prove_bound takes a one-input, one-output network and an interval")
    f = as_target(target)
    e = q(eps)
    x = z3.Real("x")
    (y,) = encode(net, [x])
    d = y - _target_term(f, x)
    cons = _box_constraints([x], box) + [z3.Or(d > _const(e), d < -_const(e))]

    def err(p: tuple[Q, ...]) -> Q:
        return abs(evaluate(net, p[0])[0] - f(p[0]))

    return Query(f"|N(x) - ({f.text})| <= {e} on {box.sides[0]}", (x,), tuple(cons), lambda p: err(p) > e, err)


def _model_point(m: z3.ModelRef, xs: Sequence[z3.ArithRef], confirm: Callable) -> tuple[Q, ...] | None:
    """The model's point, exactly; algebraic values are replaced by rationals that still violate."""
    vals = [m.eval(x, model_completion=True) for x in xs]
    if all(z3.is_int_value(v) for v in vals):
        p = tuple(q(v.as_long()) for v in vals)
        return p if confirm(p) else None
    if all(not z3.is_algebraic_value(v) for v in vals):
        p = tuple(q(str(v.as_fraction())) for v in vals)
        return p if confirm(p) else None
    for digits in (10, 20, 40, 80):
        p = tuple(
            q(str(v.approx(digits).as_fraction())) if z3.is_algebraic_value(v) else q(str(v.as_fraction()))
            for v in vals
        )
        if confirm(p):
            return p
    return None


def decide(query: Query, *, timeout: float | None = None, method: str = "z3") -> Certificate:
    """Ask z3 and turn the answer into a certificate (see the module docstring).

    Examples
    --------
    >>> N = Network.from_layers([[[1], [1]], [[1, -1]]], [[0, -1], [0]], ["relu", "identity"])
    >>> print(decide(equality_query(N, "relu(x) - relu(x - 1)", Interval(0, 2))).verdict.value)
    holds
    >>> c = decide(equality_query(N, "min(x, 1) + 1/100", Interval(0, 2)))
    >>> print(c.verdict.value)
    violated
    """
    s = z3.Solver()
    if timeout is not None:
        s.set("timeout", max(1, int(timeout * 1000)))
    s.add(*query.constraints)
    start = time.perf_counter()
    answer = s.check()
    seconds = time.perf_counter() - start
    stats = {k: (v if isinstance(v, (int, str)) else str(v)) for k, v in s.statistics()}
    details: dict = {"solver": "z3", "seconds": round(seconds, 6), "statistics": stats, "versions": library_versions()}
    if timeout is not None:
        details["timeout_seconds"] = timeout
    if answer == z3.unsat:
        return Certificate(query.claim, Verdict.HOLDS, None, None, method, details)
    if answer == z3.sat:
        p = _model_point(s.model(), query.xs, query.confirm)
        if p is not None:
            value = query.value(p) if query.value is not None else None
            return Certificate(query.claim, Verdict.VIOLATED, value, p, method, details)
        details["reason"] = "z3 found a model, but no exact point near it re-confirms the violation"
        return Certificate(query.claim, Verdict.UNKNOWN, None, None, method, details)
    details["reason"] = f"z3 answered unknown: {s.reason_unknown()}"
    return Certificate(query.claim, Verdict.UNKNOWN, None, None, method, details)


def prove_equal(
    net: Network, g: "Network | Target | str", domain: "Box | Interval", *, timeout: float | None = None
) -> Certificate:
    """Prove N = g on the box (g a network, or a PWL/polynomial formula in x).

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import tent_net
    >>> c = prove_equal(tent_net(), "2*relu(x) - 4*relu(x - 1/2)", Interval(0, 1))
    >>> print(c.verdict.value)
    holds
    """
    return decide(equality_query(net, g, domain), timeout=timeout, method="z3 (exists x: N(x) != g(x))")


def prove_bound(
    net: Network, target: "Target | str", domain: "Box | Interval", eps: QLike, *, timeout: float | None = None
) -> Certificate:
    """Prove |N(x) - f(x)| <= eps on the interval with z3's nonlinear real arithmetic.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> print(prove_bound(square_net(2), "x^2", Interval(0, 1), "1/64").verdict.value)
    holds
    >>> c = prove_bound(square_net(2), "x^2", Interval(0, 1), "1/65")
    >>> print(c.verdict.value, c.value > Q(1, 65))
    violated True
    """
    return decide(bound_query(net, target, domain, eps), timeout=timeout, method="z3 nonlinear real arithmetic")


def prove_lemmas(
    net: Network, target: "Target | str", interval: Interval, eps: QLike, *, timeout: float | None = None
) -> list[Certificate]:
    """One lemma per piece [b_i, b_(i+1)] of N: N = a_i x + c_i there, and |a_i x + c_i - f| <= eps.

    Each lemma is a separate z3 query; a failure names the lemma (its piece)
    and carries an exact counterexample.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> ls = prove_lemmas(square_net(1), "x^2", Interval(0, 1), "1/16")
    >>> [c.verdict.value for c in ls], ls[0].claim
    (['holds', 'holds'], 'lemma 1 on [0, 1/2]: N(x) = 1/2*x and |1/2*x - (x^2)| <= 1/16')
    """
    from exactnet.polynomial import Polynomial
    from exactnet.pwl import to_pwl

    f = as_target(target)
    e = q(eps)
    pwl = to_pwl(net, interval).canonical()
    out = []
    x = z3.Real("x")
    (y,) = encode(net, [x])
    ft = _target_term(f, x)
    for i, s in enumerate(pwl.slopes):
        a, b = pwl.xs[i], pwl.xs[i + 1]
        c = pwl.ys[i] - s * a
        lin = _const(s) * x + _const(c)
        text = str(Polynomial.from_coeffs([c, s]))
        claim = f"lemma {i + 1} on [{a}, {b}]: N(x) = {text} and |{text} - ({f.text})| <= {e}"
        cons = [x >= _const(a), x <= _const(b), z3.Or(y != lin, lin - ft > _const(e), ft - lin > _const(e))]

        def confirm(p: tuple[Q, ...], s: Q = s, c: Q = c) -> bool:
            v = evaluate(net, p[0])[0]
            return v != s * p[0] + c or abs(s * p[0] + c - f(p[0])) > e

        out.append(decide(Query(claim, (x,), tuple(cons), confirm), timeout=timeout, method="z3 per-piece lemma"))
    return out


def grid_query(
    net: Network,
    den: int,
    count: int,
    expected: Callable[[z3.ArithRef], z3.ArithRef],
    expected_exact: Callable[[int], Q],
    claim: str,
) -> Query:
    """Is there an integer 0 <= k <= count with N(k/den) != expected(k)?

    `expected` builds the z3 term of the expected value from the integer
    variable k (e.g. ``k % 2``); `expected_exact` computes it for one k, for the
    exact re-check of a model.
    """
    k = z3.Int("k")
    x = z3.ToReal(k) / den
    (y,) = encode(net, [x])
    cons = (k >= 0, k <= count, y != z3.ToReal(expected(k)))

    def confirm(p: tuple[Q, ...]) -> bool:
        kk = p[0]
        return evaluate(net, kk / den)[0] != expected_exact(int(kk))

    return Query(claim, (k,), cons, confirm)


def prove_on_grid(
    net: Network,
    den: int,
    count: int,
    expected: Callable[[z3.ArithRef], z3.ArithRef],
    expected_exact: Callable[[int], Q],
    claim: str,
    *,
    timeout: float | None = None,
) -> Certificate:
    """Prove N(k/den) = expected(k) for every integer 0 <= k <= count at once (k a z3 integer).

    Examples
    --------
    The sawtooth g_3 (Yarotsky 2017, Lemma 2) takes the value k mod 2 at x = k/8:

    >>> from exactnet.constructions.yarotsky2017 import sawtooth_net
    >>> c = prove_on_grid(sawtooth_net(3), 8, 8, lambda k: k % 2, lambda k: Q(k % 2), "g_3(k/8) = k mod 2")
    >>> print(c.verdict.value)
    holds
    """
    return decide(grid_query(net, den, count, expected, expected_exact, claim), timeout=timeout,
                  method="z3 (integer k)")


def to_smt2(query: Query) -> str:
    """The query as an SMT-LIB 2 script (declarations, assertions, check-sat).

    Examples
    --------
    >>> N = Network.from_layers([[[1]]], [[0]], ["relu"])
    >>> text = to_smt2(equality_query(N, "relu(x)", Interval(-1, 1)))
    >>> "(check-sat)" in text and "(declare-fun x1 () Real)" in text
    True
    """
    s = z3.Solver()
    s.add(*query.constraints)
    return s.to_smt2()


def cross_check(query: Query, *, timeout: float | None = None) -> dict:
    """Run the SMT-LIB script through z3 and, when installed, cvc5; report both answers.

    Returns a dict with ``z3``, ``cvc5`` (``"sat"``, ``"unsat"``, ``"unknown"``
    or ``"not installed"``) and ``agree`` (False only when both answered
    sat/unsat differently).
    """
    text = to_smt2(query)
    s = z3.Solver()
    if timeout is not None:
        s.set("timeout", max(1, int(timeout * 1000)))
    s.from_string(text)
    z = str(s.check())
    c = _cvc5_check(text, timeout)
    agree = not ({z, c} == {"sat", "unsat"})
    return {"z3": z, "cvc5": c, "agree": agree}


def _cvc5_check(text: str, timeout: float | None) -> str:
    try:
        import cvc5
    except ImportError:
        return "not installed"
    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    solver.setOption("produce-models", "true")
    # nonlinear real arithmetic: cvc5 is complete with cylindrical algebraic coverings
    solver.setOption("nl-cov", "true")
    if "(set-logic" not in text:
        text = "(set-logic QF_NRA)\n" + text
    if timeout is not None:
        solver.setOption("tlimit-per", str(max(1, int(timeout * 1000))))
    parser = cvc5.InputParser(solver)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "exactnet")
    sm = parser.getSymbolManager()
    answer = "unknown"
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        out = cmd.invoke(solver, sm)
        if "check-sat" in str(cmd):
            answer = out.strip() or answer
    return answer if answer in ("sat", "unsat") else "unknown"


def prove_outputs_on_grid(
    net: Network,
    den: int,
    count: int,
    expected: Callable[[z3.ArithRef], Sequence[z3.ArithRef]],
    expected_exact: Callable[[int], Sequence[Q]],
    claim: str,
    *,
    timeout: float | None = None,
) -> Certificate:
    """Prove N(k/den) = expected(k) in every output at once, for every integer 0 <= k <= count.

    The multi-output form of :func:`prove_on_grid`: one z3 query asks for an
    integer k and an output j with N_j(k/den) != expected(k)_j.  A model is
    re-checked with the exact evaluator; the witness is k.

    Examples
    --------
    The map x -> (x, 2x) at x = k/4 takes the values (k/4, k/2); a wrong second
    output is caught with an integer witness that the exact evaluator confirms:

    >>> N = Network.from_layers([[[1], [2]]], [[0, 0]], ["identity"])
    >>> c = prove_outputs_on_grid(N, 4, 3, lambda k: [z3.ToReal(k) / 4, z3.ToReal(k) / 2],
    ...                           lambda k: [Q(k, 4), Q(k, 2)], "N(k/4) = (k/4, k/2)")
    >>> print(c.verdict.value)
    holds
    >>> c = prove_outputs_on_grid(N, 4, 3, lambda k: [z3.ToReal(k) / 4, z3.ToReal(k) / 4],
    ...                           lambda k: [Q(k, 4), Q(k, 4)], "N(k/4) = (k/4, k/4)")
    >>> print(c.verdict.value, 1 <= c.witness[0] <= 3)
    violated True
    """
    k = z3.Int("k")
    x = z3.ToReal(k) / den
    ys = encode(net, [x])
    want = list(expected(k))
    if len(want) != len(ys):
        raise InvalidArgument(f"expected gives {len(want)} values for {len(ys)} outputs")
    # integer terms (k % 2) are lifted to reals; real terms (k / 4) are used as they are
    want = [z3.ToReal(w) if z3.is_int(w) else w for w in want]
    cons = (k >= 0, k <= count, z3.Or(*[y != w for y, w in zip(ys, want)]))

    def confirm(p: tuple[Q, ...]) -> bool:
        kk = int(p[0])
        return tuple(evaluate(net, p[0] / den)) != tuple(q(v) for v in expected_exact(kk))

    return decide(Query(claim, (k,), cons, confirm), timeout=timeout, method="z3 (integer k, all outputs)")
