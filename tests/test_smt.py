"""Tests of exactnet.smt: z3 proofs agree with the exact PWL route; models are exact."""

import pytest

from exactnet.certificate import Verdict
from exactnet.constructions.yarotsky2017 import sawtooth_net, square_net, tent_net
from exactnet.evaluate import evaluate
from exactnet.network import Network
from exactnet.numbers import Box, Interval, Q
from exactnet import smt
from exactnet.supnorm import certify


@pytest.mark.parametrize("m", [1, 2, 3, 4])
def test_bound_agrees_with_the_pwl_route(m: int) -> None:
    # Yarotsky Prop. 2: sup |f_m - x^2| = 2^(-2m-2); at that eps both routes say holds,
    # just below it both say violated
    eps = Q(1, 2 ** (2 * m + 2))
    for bound in (eps, eps * Q(99, 100)):
        z = smt.prove_bound(square_net(m), "x^2", Interval(0, 1), bound)
        p = certify(square_net(m), "x^2", Interval(0, 1), bound)
        assert z.verdict is p.verdict
    z = smt.prove_bound(square_net(m), "x^2", Interval(0, 1), eps * Q(99, 100))
    (x,) = z.witness
    assert abs(evaluate(square_net(m), x)[0] - x * x) > eps * Q(99, 100)


def test_equality_holds_and_fails() -> None:
    # the tent map is 2 relu(x) - 4 relu(x - 1/2) by construction (Yarotsky 2017, Fig. 2)
    assert smt.prove_equal(tent_net(), "2*relu(x) - 4*relu(x - 1/2)", Interval(0, 1)).verdict is Verdict.HOLDS
    c = smt.prove_equal(tent_net(), "2*relu(x) - 4*relu(x - 1/2) + relu(x - 9/10)", Interval(0, 1))
    assert c.verdict is Verdict.VIOLATED
    (x,) = c.witness
    assert x > Q(9, 10)  # the extra term is zero up to 9/10


def test_two_networks_on_a_box() -> None:
    # relu(x1 + x2 - 1) against itself written with the inputs swapped
    a = Network.from_layers([[[1, 1]]], [[-1]], ["relu"])
    b = Network.from_layers([[[1, 1]]], [["-1"]], ["relu"])
    box = Box([Interval(0, 1), Interval(0, 1)])
    assert smt.prove_equal(a, b, box).verdict is Verdict.HOLDS
    c = Network.from_layers([[[1, 2]]], [[-1]], ["relu"])
    cert = smt.prove_equal(a, c, box)
    assert cert.verdict is Verdict.VIOLATED
    p = cert.witness
    assert evaluate(a, p) != evaluate(c, p)


def test_lemmas_name_the_failing_piece() -> None:
    # f_1 has pieces [0,1/2] and [1/2,1], both with max error 1/16 (at 1/4 and 3/4)
    ls = smt.prove_lemmas(square_net(1), "x^2", Interval(0, 1), Q(1, 17))
    assert [c.verdict for c in ls] == [Verdict.VIOLATED, Verdict.VIOLATED]
    assert ls[1].claim.startswith("lemma 2 on [1/2, 1]")


@pytest.mark.parametrize("s", [1, 3, 6])
def test_sawtooth_for_all_k(s: int) -> None:
    # Yarotsky 2017, Lemma 2: g_s(k/2^s) = k mod 2 for every integer 0 <= k <= 2^s
    c = smt.prove_on_grid(sawtooth_net(s), 2**s, 2**s, lambda k: k % 2, lambda k: Q(k % 2), "g_s")
    assert c.verdict is Verdict.HOLDS
    # a wrong expectation (k mod 2 shifted) is refuted with an exact integer k
    c = smt.prove_on_grid(sawtooth_net(s), 2**s, 2**s, lambda k: (k + 1) % 2, lambda k: Q((k + 1) % 2), "bad")
    assert c.verdict is Verdict.VIOLATED


def test_timeout_is_unknown_not_a_crash() -> None:
    c = smt.prove_bound(square_net(9), "x^2", Interval(0, 1), Q(1, 2**20), timeout=0.001)
    assert c.verdict is Verdict.UNKNOWN and "reason" in c.details


def test_smt2_and_cvc5_agree() -> None:
    pytest.importorskip("cvc5")
    for eps, expected in ((Q(1, 256), "unsat"), (Q(1, 257), "sat")):
        cc = smt.cross_check(smt.bound_query(square_net(3), "x^2", Interval(0, 1), eps), timeout=30)
        assert cc["z3"] == expected and cc["cvc5"] == expected and cc["agree"]
    text = smt.to_smt2(smt.bound_query(square_net(2), "x^2", Interval(0, 1), Q(1, 64)))
    assert "(check-sat)" in text and "(/ 1.0 64.0)" in text or "1/64" in text or "64" in text


def test_transcendental_targets_are_refused() -> None:
    from exactnet.exceptions import InvalidArgument

    with pytest.raises(InvalidArgument, match="transcendental"):
        smt.prove_bound(square_net(2), "sin(x)", Interval(0, 1), Q(1, 10))


def test_cli_prove(tmp_path, capsys) -> None:
    from exactnet.cli import main
    from exactnet.io.json import dump

    path = tmp_path / "f3.json"
    dump(square_net(3), path)
    # sup |f_3 - x^2| = 1/256 (Prop. 2): holds at 1/256, violated at 1/257, on both routes
    assert main(["prove", str(path), "--target", "x^2", "--on", "0,1", "--eps", "1/256"]) == 0
    assert "route: exact PWL" in capsys.readouterr().out
    smt2 = tmp_path / "q.smt2"
    assert main(["prove", str(path), "--target", "x^2", "--on", "0,1", "--eps", "1/257",
                 "--method", "smt", "--smt2", str(smt2)]) == 1
    assert "(check-sat)" in smt2.read_text()
    assert main(["prove", str(path), "--equals", "x^2", "--on", "0,1"]) == 1
    assert main(["prove", str(path), "--target", "x^2", "--on", "0,1"]) == 2  # no --eps
