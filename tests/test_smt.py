"""Tests of exactnet.smt: z3 proofs agree with the exact PWL route; models are exact."""

import pytest

from exactnet.certificate import Verdict
from exactnet.constructions.yarotsky2017 import sawtooth_net, square_net, tent_net
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
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


# -- induction for all sizes (issue 6, part 3) ------------------------------------------

def _tent_with(b2: str, out_bias: str = "0") -> Network:
    # 2 relu(x) - 4 relu(x - b2) + out_bias: the tent map when b2 = 1/2, out_bias = 0
    return Network.from_layers([[[1], [1]], [[2, -4]]], [[0, f"-{b2}"], [out_bias]], ["relu", "identity"])


def test_sawtooth_induction_holds_for_all_s() -> None:
    c = smt.sawtooth_induction(tent_net(), tent_net(), timeout=60)
    assert c.verdict is Verdict.HOLDS and c.method == "z3 induction"
    names = [l["claim"].split(":")[0] for part in ("base", "step", "corollary") for l in c.details[part]]
    assert names == ["lemma base", "lemma floor", "lemma step", "lemma grid"]
    assert all("(check-sat)" in l["smt2"] for l in c.details["step"])
    assert "sequential" in c.details["assumption"]


def test_a_false_step_is_not_holds() -> None:
    # bias -1/3 instead of -1/2: step(1/2) = 1 - 4/6 = 1/3 while T(1) = 1, so the step lemma is
    # false (z3 gives a counterexample) and the induction proves nothing: UNKNOWN, not HOLDS
    c = smt.sawtooth_induction(tent_net(), _tent_with("1/3"), timeout=60)
    assert c.verdict is Verdict.UNKNOWN
    assert "step" in c.details["reason"] and "counterexample" in c.details["reason"]
    (step,) = [l for l in c.details["step"] if l["claim"].startswith("lemma step")]
    assert step["verdict"] == "violated"
    # the counterexample re-checks independently.  The step lemma relaxes each floor to a real
    # e with e <= u < e + 1 (e0 for u = X/2, e1 for u = X); T(u) = r or 2 - r with r = u - 2e
    cx = {k: Q(v) for k, v in step["counterexample"].items()}
    g, x, e0, e1 = cx["G"], cx["X"], cx["e0"], cx["e1"]

    def T(u: Q, e: Q) -> Q:
        r = u - 2 * e
        return r if r <= 1 else 2 - r

    assert x >= 0 and e0 <= x / 2 < e0 + 1 and e1 <= x < e1 + 1 and e1 in (2 * e0, 2 * e0 + 1)
    assert g == T(x, e0)
    assert evaluate(_tent_with("1/3"), g)[0] != T(2 * x, e1)


def test_a_false_base_is_not_holds_and_a_cross_check_refutes() -> None:
    # g_1 = g_2 is wrong: the base lemma fails (UNKNOWN); an exhaustive check of the claim at
    # s = 1 with the wrong base network finds g_2(1/2) = 0 != 1 = 1 mod 2: VIOLATED
    from exactnet.exhaustive import check_on_grid

    wrong = sawtooth_net(2)
    c = smt.sawtooth_induction(wrong, tent_net(), timeout=60)
    assert c.verdict is Verdict.UNKNOWN and "base" in c.details["reason"]
    grid = check_on_grid(wrong, range(3), 2, lambda x: Q(int(x * 2) % 2), claim="g_1(k/2) = k mod 2")
    c = smt.sawtooth_induction(wrong, tent_net(), cross_checks=[grid], timeout=60)
    assert c.verdict is Verdict.VIOLATED and c.witness == (Q(1, 2),)


def test_square_induction_holds_and_a_wrong_weight_fails() -> None:
    c = smt.square_induction(square_net(1), tent_net(), timeout=60)
    assert c.verdict is Verdict.HOLDS
    assert [l["verdict"] for l in c.details["corollary"]] == ["holds", "holds"]
    # an output bias 1/1000 in the step network breaks g_(m+1) = T(2^(m+1) x): not HOLDS
    c = smt.square_induction(square_net(1), _tent_with("1/2", "1/1000"), timeout=60)
    assert c.verdict is Verdict.UNKNOWN


def test_lemma_counterexample_is_exact() -> None:
    import z3

    u = z3.Real("u")
    # "u >= 1/3 implies 3u > 1" fails exactly at u = 1/3 (by hand)
    c = smt.decide_lemma(smt.Lemma("edge", "3u >= 1 implies 3u > 1", (u * 3 >= 1,), u * 3 > 1))
    assert c.verdict is Verdict.VIOLATED and c.witness == (Q(1, 3),)


def test_a_failed_assumption_check_is_not_holds() -> None:
    # f_2 != f_1 on [0, 1] (f_1(1/4) = 1/8, f_2(1/4) = 1/16): an assumption check that fails
    # means the proof does not apply to the networks: UNKNOWN, never HOLDS
    from exactnet.supnorm import certify_equal

    wrong = certify_equal(square_net(2), square_net(1), Interval(0, 1))
    assert wrong.verdict is Verdict.VIOLATED
    c = smt.square_induction(square_net(1), tent_net(), assumption_checks=[wrong], timeout=60)
    assert c.verdict is Verdict.UNKNOWN and "assumption check" in c.details["reason"]


def test_induction_lemmas_replay_in_cvc5() -> None:
    # a second solver on the exported SMT-LIB 2 of every lemma: all unsat (the lemmas hold)
    pytest.importorskip("cvc5")
    for c in (smt.sawtooth_induction(sawtooth_net(1), tent_net(), timeout=60, cvc5=True),
              smt.square_induction(square_net(1), tent_net(), timeout=60, cvc5=True)):
        assert c.verdict is Verdict.HOLDS
        assert {l["cvc5"] for part in ("base", "step", "corollary") for l in c.details[part]} == {"unsat"}


def test_bound_on_a_box_reads_y_as_the_second_input() -> None:
    # N(x, y) = relu(x + y) - relu(-x - y) = x + y.  On [0,1]^2, x + y - xy = 1 - (1-x)(1-y)
    # lies in [0, 1] and reaches 1 at (1, 0), (0, 1), (1, 1): eps = 1 holds, eps = 1/2 does not.
    # (Before the fix, y was silently read as x: |2x - x^2| <= 1 would have held for the wrong reason.)
    net = Network.from_layers([[[1, 1], [-1, -1]], [[1, -1]]], [[0, 0], [0]], ["relu", "identity"])
    box = Box((Interval(0, 1), Interval(0, 1)))
    assert smt.prove_bound(net, "x*y", box, 1).verdict is Verdict.HOLDS
    c = smt.prove_bound(net, "x*y", box, Q(1, 2))
    assert c.verdict is Verdict.VIOLATED
    x, y = c.witness
    assert x + y - x * y > Q(1, 2)  # re-derived here from the closed form above
    assert smt.prove_equal(net, "x + y", box).verdict is Verdict.HOLDS
    assert smt.prove_equal(net, "x + 2*y", box).verdict is Verdict.VIOLATED


def test_a_target_in_y_needs_a_second_input() -> None:
    net = Network.from_layers([[[1]]], [[0]], ["identity"])
    with pytest.raises(InvalidArgument, match="uses y but the network has 1 input"):
        smt.prove_bound(net, "x*y", Interval(0, 1), 1)


def test_cli_prove_on_a_box(tmp_path, capsys) -> None:
    from exactnet.cli import main
    from exactnet.io.json import dump

    # N(x, y) = x + y (relu(s) - relu(-s)); x + y - xy = 1 - (1-x)(1-y) in [0, 1] on [0,1]^2
    path = tmp_path / "sum.json"
    dump(Network.from_layers([[[1, 1], [-1, -1]], [[1, -1]]], [[0, 0], [0]], ["relu", "identity"]), path)
    assert main(["prove", str(path), "--target", "x*y", "--on", "0,1x0,1", "--eps", "1"]) == 0
    assert "route: z3" in capsys.readouterr().out
    assert main(["prove", str(path), "--target", "x*y", "--on", "0,1x0,1", "--eps", "1/2"]) == 1
    line = [l for l in capsys.readouterr().out.splitlines() if l.startswith("counterexample")][0]
    x, y = (Q(v) for v in line.split("= (")[1].rstrip(")").split(", "))
    assert x + y - x * y > Q(1, 2)
    assert main(["prove", str(path), "--target", "x*z", "--on", "0,1x0,1", "--eps", "1"]) == 2
    assert "uses z but the network has 2 input(s)" in capsys.readouterr().err
