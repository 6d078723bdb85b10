"""exactnet.report: tables, Markdown and JSON of results, metrics and values."""

from __future__ import annotations

import json
import re

from exactnet.catalogue import Claim, ClaimResult, annotate, verify_exit_code
from exactnet.certificate import Certificate, Verdict
from exactnet.constructions.yarotsky2017 import tent_net
from exactnet.metrics import metrics
from exactnet.numbers import Q, ZERO
from exactnet.report import (
    render,
    render_metrics,
    render_results,
    render_values,
    results_json,
    results_markdown,
    table,
)

HOLDS = Certificate("g_1 parity", Verdict.HOLDS, ZERO, None, "exhaustive", {"value_label": "max over 3 points"})
VIOLATED = Certificate("g = x^2", Verdict.VIOLATED, Q(7, 16), (Q(1, 4),), "exhaustive", {})
UNKNOWN = Certificate("hard", Verdict.UNKNOWN, None, None, "error", {"reason": "why"})


def results() -> list[ClaimResult]:
    return [
        ClaimResult(Claim("t/holds", "first | with a pipe", "Paper A, Thm 1", lambda: HOLDS), HOLDS, 0.5),
        ClaimResult(Claim("t/violated", "second", "Paper B", lambda: VIOLATED), VIOLATED, 0.25),
        ClaimResult(Claim("t/unknown", "third", "Paper C", lambda: UNKNOWN), UNKNOWN, 0.0),
    ]


def columns(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_table_exact_layout() -> None:
    # widths: column 1 = len("333") = 3, column 2 = len("bb") = 2; two spaces between
    assert table(["a", "bb"], [["1", "2"], ["333", "4"]]) == "a    bb\n---  --\n1    2\n333  4"
    assert table(["x"], []) == "x\n-"


def test_table_aligns_columns() -> None:
    text = table(["claim", "value"], [["a-long-claim", "1/3"], ["b", "-22/7"]])
    lines = text.splitlines()
    start = lines[0].index("value")
    assert lines[2].index("1/3") == start and lines[3].index("-22/7") == start
    assert set(lines[1]) == {"-", " "}


def test_render_results_columns_and_summary() -> None:
    text = render_results(results())
    lines = text.splitlines()
    assert columns(lines[0]) == ["claim", "source", "verdict", "exact value", "time"]
    assert columns(lines[2]) == ["t/holds", "Paper A, Thm 1", "holds", "0 (max over 3 points)", "0.500s"]
    assert columns(lines[3]) == ["t/violated", "Paper B", "violated", "7/16", "0.250s"]
    assert columns(lines[4]) == ["t/unknown", "Paper C", "unknown", "-", "0.000s"]  # no value: "-"
    # every cell of a column starts where its header starts
    for name, cell in [("verdict", "violated"), ("exact value", "7/16"), ("time", "0.250s")]:
        assert lines[3].index("  " + cell) + 2 == lines[0].index(name)
    assert lines[-1] == "3 claims: 1 holds, 1 unknown, 1 violated (0.75s)"  # 0.5 + 0.25 + 0
    assert lines[-2] == ""


def test_results_markdown() -> None:
    lines = results_markdown(results()).splitlines()
    assert lines[0] == (
        "| claim | paper's statement | decided instance | source | verdict "
        "| exact value, notes | reproduce |"
    )
    assert lines[1] == "|---|---|---|---|---|---|---|"
    assert lines[2] == (
        "| `t/holds` | (as decided) | first \\| with a pipe | Paper A, Thm 1 | holds "
        "| 0 (max over 3 points) | `exactnet verify --only t/holds` |"
    )
    assert lines[3] == (
        "| `t/violated` | (as decided) | second | Paper B | violated | 7/16 "
        "| `exactnet verify --only t/violated` |"
    )
    assert len(lines) == 5


def test_results_json() -> None:
    d = json.loads(results_json(results()))
    assert d["exit_code"] == 1  # one violated
    assert [c["id"] for c in d["claims"]] == ["t/holds", "t/violated", "t/unknown"]
    first = d["claims"][1]
    assert first["statement"] == "second" and first["source"] == "Paper B" and first["seconds"] == 0.25
    assert first["certificate"] == VIOLATED.to_dict()
    assert Certificate.from_dict(first["certificate"]) == VIOLATED
    assert json.loads(results_json(results()[:1]))["exit_code"] == 0
    assert json.loads(results_json([results()[0], results()[2]]))["exit_code"] == 3


def test_render_bare_certificates() -> None:
    lines = render([HOLDS, VIOLATED]).splitlines()
    assert columns(lines[0]) == ["claim", "verdict", "exact value", "method"]
    assert columns(lines[2]) == ["g_1 parity", "holds", "0 (max over 3 points)", "exhaustive"]
    assert columns(lines[3]) == ["g = x^2", "violated", "7/16", "exhaustive"]


def test_render_metrics() -> None:
    m = metrics(tent_net())
    text = render_metrics(m, "tent.json: 1 inputs -> 1 outputs")
    lines = text.splitlines()
    assert lines[0] == "tent.json: 1 inputs -> 1 outputs"
    assert columns(lines[1]) == ["metric", "value", "definition"]
    rows = {columns(l)[0]: columns(l)[1:] for l in lines[3:]}
    assert list(rows) == list(m.as_dict())  # every metric, in order
    assert rows["depth"] == ["2", "affine layers on the longest path"]
    assert rows["memory_bits"] == ["8", "weights x bits_per_weight"]
    assert rows["max_magnitude"] == ["4", "largest |weight| or |bias|"]
    assert rows["inputs"] == ["1"]  # no note
    assert render_metrics(m).splitlines()[0].startswith("metric")  # no name line


def test_render_values_exact_then_approx() -> None:
    text = render_values(["x"], ["y"], [(Q(1, 3),), (Q(-1, 128),)], [(Q(2, 3),), (Q(-1, 64),)], digits=5)
    lines = text.splitlines()
    assert columns(lines[0]) == ["x", "y (exact)", "y ≈"]
    # 2/3 = 0.666666... -> 0.66667 (5 significant digits); -1/64 = -0.015625 -> -0.015625
    assert columns(lines[2]) == ["1/3", "2/3", "0.66667"]
    assert columns(lines[3]) == ["-1/128", "-1/64", "-0.015625"]


def test_render_values_several_inputs_and_outputs() -> None:
    text = render_values(["a", "b"], ["p", "q"], [(Q(1), Q(2))], [(Q(3), Q(1, 7))], digits=3)
    lines = text.splitlines()
    assert columns(lines[0]) == ["a", "b", "p (exact)", "q (exact)", "p ≈", "q ≈"]
    assert columns(lines[2]) == ["1", "2", "3", "1/7", "3", "0.143"]  # 1/7 = 0.142857...


def test_erratum_and_loose_findings() -> None:
    # a recorded erratum that comes out VIOLATED reproduces the catalogue's finding
    err = Claim("t/erratum", "x^2 <= 1/4 on [0,1]", "Paper D", lambda: VIOLATED,
                paper_statement="x^2 <= 1/4", erratum="fails at x = 1")
    loose = annotate(HOLDS, finding="holds, loose", note="exact 0, stated 1")
    rs = [ClaimResult(err, VIOLATED, 0.1), ClaimResult(Claim("t/loose", "s", "P", lambda: loose), loose, 0.1)]
    assert verify_exit_code(rs) == 0
    text = render_results(rs)
    assert "violated (known erratum)" in text and "holds, loose" in text
    md = results_markdown(rs).splitlines()
    assert "| x^2 <= 1/4 | x^2 <= 1/4 on [0,1] |" in md[2] and "erratum: fails at x = 1" in md[2]
    assert "exact 0, stated 1" in md[3]
    assert json.loads(results_json(rs))["claims"][0]["finding"] == "violated (known erratum)"
    # an erratum that now HOLDS no longer reproduces: exit 1; an unknown alone: 3
    assert verify_exit_code([ClaimResult(err, HOLDS, 0.1)]) == 1
    assert verify_exit_code([ClaimResult(Claim("u", "u", "u", lambda: UNKNOWN), UNKNOWN, 0.0)]) == 3
