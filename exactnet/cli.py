"""The ``exactnet`` command: subcommands, argument parsing, exit codes.

This is the only module that prints.  Exit codes: 0 holds or done, 1 a claim
is violated, 2 a user's mistake (bad file, bad number, bad option), 3 unknown.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path
from typing import Any, Sequence

__all__ = ["main"]

EPILOG = """\
examples:
  exactnet verify                       decide the built-in catalogue of claims
  exactnet verify --only square --json  a subset, as JSON
  exactnet info net.json                depth, width, weights, bits (--json)
  exactnet eval net.json --at 1/3 --at 2^-7
  exactnet eval net.json --at 1/2,3/4   one point of a two-input network
  exactnet eval net.json --points pts.txt --json
  exactnet pieces net.json --on 0,1 --csv
  exactnet sup-error net.json --target "x^2" --on 0,1 --eps 1/64 --cert c.json
  exactnet sup-error net.json --target "x^2" --on 0,1 --plot err.png   (or .svg)
  exactnet report net.json --target "x^2" --on 0,1 --html report.html (or --md report.md)
  exactnet sup-error model.onnx --target "x^3 - x/2" --on -1,1
  exactnet regions net2d.json --box 0,1x0,1 --plot regions.png   exact linear regions
  exactnet sup-error prod.json --target "x*y" --box -1,1x-1,1      on a box (x, y, z)
  exactnet export model.onnx --to model.json

networks: NET is a .json network file, or a real network: .onnx (Gemm, MatMul, Add,
Relu, Identity, Flatten/Reshape, Constant), .safetensors or .pt (an nn.Sequential of
Linear and ReLU; a bare state_dict is read as Linear, ReLU, ..., Linear: a ReLU between
consecutive Linear layers, none after the last). Float weights are taken at their
exact binary values; --snap K rounds them to the grid 2^-K instead.
numbers are exact: 3/8, -0.375 (read as 3/8 exactly), 2^-5; never floats.
exit codes: 0 holds/done, 1 violated, 2 your input is wrong, 3 unknown.
"""


class _UserError(Exception):
    """A mistake in the command line or an input file: one line, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    from exactnet import __version__

    p = argparse.ArgumentParser(
        prog="exactnet",
        description="Exact verification of ReLU networks: exact evaluation with rational "
        "arithmetic, exact metrics, and a catalogue of claims from the "
        "approximation-theory papers decided exactly.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"exactnet {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    v = sub.add_parser(
        "verify",
        help="decide the built-in catalogue of claims and print the table",
        description="Decide every claim of the built-in catalogue exactly and print "
        "one row per claim: claim, source, verdict, exact value, time. A paper's "
        "statement that is wrong as written is recorded in the catalogue as an "
        "erratum: its VIOLATED verdict (with the exact counterexample) is the "
        "expected finding. Exit 0 when every claim reproduces its finding, 1 when "
        "one does not, 3 when one is unknown. --markdown writes the table of "
        "docs/claims.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    v.add_argument("--full", action="store_true", help="include the larger instances")
    v.add_argument("--only", metavar="TEXT", help="only claims whose id contains TEXT")
    v.add_argument("--list", action="store_true", help="list the claims without running them")
    fmt = v.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="machine-readable output")
    fmt.add_argument("--markdown", action="store_true", help="a Markdown table (docs/claims.md)")

    i = sub.add_parser(
        "info",
        help="size metrics of a network file",
        description="Depth, width, neurons, weights (with and without biases), distinct "
        "weights lambda, bits per weight ceil(log2 lambda), memory, fractional bits.",
    )
    i.add_argument("net", metavar="NET", help="a network file (.json, .onnx, .safetensors, .pt)")
    i.add_argument("--json", action="store_true", help="machine-readable output")

    e = sub.add_parser(
        "eval",
        help="evaluate a network exactly at rational points",
        description="Evaluate NET exactly. Each output is printed as an exact p/q, then "
        "as a decimal marked ≈ (display only).",
        epilog="A point is one number per input, separated by commas: --at 1/3 "
        "or --at 1/2,-3/4. A points file has one point per line; blank lines and "
        "lines starting with # are skipped.",
    )
    e.add_argument("net", metavar="NET", help="a network file (.json, .onnx, .safetensors, .pt)")
    e.add_argument("--at", action="append", default=[], metavar="POINT", help="a point (repeatable)")
    e.add_argument("--points", metavar="FILE", help="a file of points, one per line")
    e.add_argument("--digits", type=int, default=20, help="significant digits of the ≈ decimals (default 20)")
    e.add_argument("--json", action="store_true", help="machine-readable output")

    pc = sub.add_parser(
        "pieces",
        help="the exact piecewise-linear function of a one-input network",
        description="Extract the exact breakpoints, values and slopes of NET on an "
        "interval. Collinear neighbouring pieces are merged (both counts are shown).",
    )
    pc.add_argument("net", metavar="NET", help="a network file (.json, .onnx, .safetensors, .pt)")
    where = pc.add_mutually_exclusive_group(required=True)
    where.add_argument("--on", metavar="A,B", help="the interval of a one-input network, e.g. 0,1 or -1/2,2^-3")
    where.add_argument(
        "--segment",
        metavar="P:Q",
        help="for several inputs: the segment from point P to point Q, e.g. 0,0:1,1 "
        "(the function of t in [0,1] at P + t (Q - P))",
    )
    pc.add_argument(
        "--rebuild",
        metavar="FILE",
        help="also write the exact ReLU network of the extracted function (one hidden layer "
        "of one neuron per piece; --form deep for width 2) to FILE",
    )
    pc.add_argument("--form", choices=["shallow", "deep"], default="shallow", help="the form of --rebuild")
    pc.add_argument("--plot", metavar="FILE", help="also plot the function with its breakpoints (.png or .svg)")
    pc.add_argument("--target", metavar="F", help="with --on and --plot: draw this target too (sampled, display only)")
    pfmt = pc.add_mutually_exclusive_group()
    pfmt.add_argument("--json", action="store_true", help="machine-readable output")
    pfmt.add_argument("--csv", action="store_true", help="x,y,slope_right rows")
    pfmt.add_argument("--sympy", action="store_true", help="the function as a sympy Piecewise (exact rationals)")

    se = sub.add_parser(
        "sup-error",
        help="the exact sup-norm error of a network against a target function",
        description="Compute sup over [A,B] of |NET(x) - F(x)| with a maximiser; with --eps, "
        "decide whether it is <= eps (exit 0 holds, 1 violated, 3 unknown). For polynomial, "
        "rational and piecewise-linear F the value is exact (a rational, or an algebraic "
        "number given by its minimal polynomial and an isolating interval); for "
        "transcendental F it is a rigorous enclosure of width <= --tol (Arb ball arithmetic).",
        epilog="""targets (parsed with an explicit grammar, never evaluated as code):
  polynomial      "x^2"  "x^3 - x/2"  "(x - 1/3)**2"
  rational        "1/(1 + x^2)"  "x^-1"
  piecewise       "abs(x - 1/3)"  "max(x, 1 - x)"  "relu(2*x - 1)"
  transcendental  "sin(pi*x)"  "exp(-x^2)"  "log(1 + x)"  "sqrt(x)"  "cos(x)^2"
examples:
  exactnet sup-error f3.json --target "x^2" --on 0,1 --eps 1/256 --cert c.json
  exactnet sup-error half.json --target "x^3" --on 0,1 --side above
  exactnet sup-error f3.json --target "x^2" --on 0,1 --norm L2
  exactnet check-certificate c.json""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    se.add_argument("net", metavar="NET", help="a network file (.json, .onnx, .safetensors, .pt), one input and one output")
    se.add_argument("--target", required=True, metavar="F", help="the target function of x (with --box: of x, y, z)")
    se_where = se.add_mutually_exclusive_group(required=True)
    se_where.add_argument("--on", metavar="A,B", help="the interval")
    se_where.add_argument(
        "--box",
        metavar="BOX",
        help="a box for a network of d >= 2 inputs, e.g. -1,1x-1,1 (polynomial targets of degree "
        "<= 2 exactly, others as enclosures)",
    )
    se.add_argument("--eps", metavar="E", help="the claimed bound (exact, e.g. 1/64)")
    se.add_argument(
        "--side",
        choices=["abs", "above", "below"],
        default="abs",
        help="abs: sup |N - F| (default); above: sup (N - F); below: sup (F - N)",
    )
    se.add_argument(
        "--norm",
        choices=["sup", "L1", "L2"],
        default="sup",
        help="sup (default) or the exact L1 / L2 error (polynomial targets)",
    )
    se.add_argument("--tol", metavar="T", default="1e-30", help="enclosure width for transcendental targets (default 1e-30, exact)")
    se.add_argument("--cert", metavar="FILE", help="write the certificate (JSON) here")
    se.add_argument("--json", action="store_true", help="print the certificate as JSON")
    se.add_argument("--plot", metavar="FILE", help="plot N against F and the error curve (.png or .svg)")

    rg = sub.add_parser(
        "regions",
        help="the exact linear regions of a network on a box",
        description="Split --box into the regions where NET is affine: the cells of constant "
        "ReLU activation pattern, each an exact rational polytope (vertices and inequalities "
        "A x <= b) with N's affine map there. Neighbouring regions with the same map are not "
        "merged. The exact volumes add up to the box's volume.",
        epilog="""examples:
  exactnet regions net2d.json --box 0,1x0,1
  exactnet regions net3d.json --box -1,1x-1,1x-1,1 --json
  exactnet regions net2d.json --box 0,1x0,1 --plot regions.png""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rg.add_argument("net", metavar="NET", help="a network file (.json, .onnx, .safetensors, .pt) with d inputs")
    rg.add_argument("--box", required=True, metavar="BOX", help="the box, one A,B per input joined by x, e.g. 0,1x-1,1")
    rg.add_argument("--json", action="store_true", help="every region exactly, as JSON")
    rg.add_argument("--plot", metavar="FILE", help="a map of the regions (2-D boxes; .png or .svg)")

    cc = sub.add_parser(
        "check-certificate",
        help="re-validate a certificate file independently",
        description="Check a certificate (sup-error-1d or sup-error-box) on a code path independent of "
        "exactnet's computation: its own network reader and Fraction evaluator, formula "
        "parser, Sturm root isolation, and mpmath interval arithmetic for transcendental "
        "targets. Exit 0 accepted, 1 rejected, 3 unknown certificate (nothing to check), "
        "2 the file cannot be read.",
    )
    cc.add_argument("cert", metavar="CERT", help="a certificate file (.json)")
    cc.add_argument("--json", action="store_true", help="machine-readable output")
    pr = sub.add_parser(
        "prove",
        help="prove an identity or an error bound with z3 (or the exact PWL route)",
        description="Prove N = G on an interval (--equals), or |N - F| <= eps (--target with "
        "--eps). The SMT route asks z3 for a counterexample: unsat proves the claim; a model is "
        "read exactly and re-confirmed by exact evaluation; unknown or a timeout gives the "
        "verdict unknown (exit 3). --method auto picks the exact PWL route for one-input networks "
        "(it is complete and, on these claims, faster: see benchmarks/RESULTS.md) and z3 otherwise.",
        epilog="""examples:
  exactnet prove net.json --equals "relu(x) - relu(x - 1)" --on 0,2
  exactnet prove f3.json --target "x^2" --on 0,1 --eps 1/256 --method smt --smt2 q.smt2
  exactnet prove f3.json --target "x^2" --on 0,1 --eps 1/256 --lemmas    one lemma per piece
  exactnet prove f3.json --target "x^2" --on 0,1 --eps 1/256 --cross-check   z3 and cvc5""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pr.add_argument("net", metavar="NET", help="a network file")
    what = pr.add_mutually_exclusive_group(required=True)
    what.add_argument("--equals", metavar="G", help="a PWL or polynomial formula in x, or a network file")
    what.add_argument("--target", metavar="F", help="polynomial, rational or PWL target (with --eps)")
    pr.add_argument("--on", required=True, metavar="A,B", help="the interval, or a box 0,1x0,1 for a network with several inputs (z3 route; targets in x, y, z)")
    pr.add_argument("--eps", metavar="E", help="the bound for --target")
    pr.add_argument("--method", choices=["auto", "pwl", "smt"], default="auto", help="which route (default auto)")
    pr.add_argument("--lemmas", action="store_true", help="with --target: one z3 lemma per piece of N")
    pr.add_argument("--timeout", type=float, metavar="S", help="seconds per SMT query (unknown when exceeded)")
    pr.add_argument("--smt2", metavar="FILE", help="write the SMT-LIB 2 query to FILE")
    pr.add_argument("--cross-check", action="store_true", help="re-check the query with cvc5 (if installed)")
    pr.add_argument("--json", action="store_true", help="print the certificate(s) as JSON")

    rp = sub.add_parser(
        "report",
        help="one page (HTML or Markdown): metrics, pieces, sup error, certificate, plots",
        description="Write one page about NET: its metrics; with --on its exact pieces (the "
        "table is truncated beyond --max-rows breakpoints, with a note) and a plot; with "
        "--target also the sup error with its maximiser, the certificate (collapsed) and the "
        "plots of N against F and of the error. HTML embeds the plots; Markdown writes them "
        "as PNG files next to the page. Exit codes as for sup-error (0 without a target).",
    )
    rp.add_argument("net", metavar="NET", help="a network file")
    rp.add_argument("--target", metavar="F", help="the target function of x (needs --on)")
    rp.add_argument("--on", metavar="A,B", help="the interval (one-input, one-output networks)")
    rp.add_argument("--eps", metavar="E", help="a claimed bound on the sup error (with --target)")
    rp.add_argument("--side", choices=["abs", "above", "below"], default="abs", help="as for sup-error")
    rp.add_argument("--max-rows", type=int, default=200, metavar="N", help="breakpoint rows shown (default 200)")
    rout = rp.add_mutually_exclusive_group(required=True)
    rout.add_argument("--html", metavar="FILE", help="write a self-contained HTML page (.html)")
    rout.add_argument("--md", metavar="FILE", help="write Markdown (.md) and its PNG plots next to it")

    ex = sub.add_parser(
        "export",
        help="write a network as ONNX (float32) or as the exact network file",
        description="Read NET (.json, .onnx, .safetensors, .pt) and write it to --to: .onnx is a "
        "float32 graph (one Gemm + Relu per layer of a plain MLP; groups of Gemm/MatMul/Add/Relu "
        "for any other DAG, skip connections included), written only if float32 holds every "
        "weight and bias exactly (checked exactly) unless --allow-rounding; .json is the exact "
        "network file.",
        epilog="""examples:
  exactnet export f3.json --to f3.onnx                 exact: f3's weights are dyadic
  exactnet export net.json --to net.onnx --allow-rounding   round 1/3 etc. to float32, report the largest change
  exactnet export model.onnx --to model.json           the exact binary float32 values as p/q
  exactnet export model.safetensors --snap 8 --to model.json""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ex.add_argument("net", metavar="NET", help="a network file (.json, .onnx, .safetensors, .pt)")
    ex.add_argument("--to", required=True, metavar="OUT", help="out.onnx or out.json")
    ex.add_argument(
        "--allow-rounding",
        action="store_true",
        help=".onnx: round weights float32 cannot hold to the nearest float32 and report the largest change",
    )
    ex.add_argument("--form", choices=["graph", "layered"], default="graph", help=".json: the form written")
    qz = sub.add_parser(
        "quantize",
        help="trade depth for weight precision exactly, or round weights to a B-bit grid",
        description="Without --round: the depth-precision converter (Ou, Schenkel, Bölcskei "
        "2024, arXiv:2405.01952). NET (a plain MLP with dyadic weights and biases) becomes a "
        "deeper network computing exactly the same function whose weights and biases lie in a "
        "B-bit alphabet: --bits 1 {-1, 1} (integer networks only), --bits 2 {-1, -1/2, 1/2, 1}, "
        "--bits 3 {-2, -1, -1/2, 1/2, 1, 2}, or --alphabet. Each weight is written by its binary "
        "digits and evaluated by chains of exact halvings and doublings. The equivalence is "
        "proved, not assumed: one input: identical PWL functions on --on (every output); several "
        "inputs: z3 on --box. With --round: every weight and bias is rounded to the grid 2^-B "
        "(round half to even) and the exact sup of |N - rounded N| on --on / --box is reported "
        "with a point attaining it. Both print depth, width, weights, distinct weights, bits per "
        "weight and memory before and after. Exit 0 done/holds, 1 the equivalence fails (a bug), "
        "2 bad input, 3 unknown (z3 timeout).",
        epilog="""examples:
  exactnet quantize net.json --bits 2 --on 0,1 -o net2.json    {+-1/2, +-1}, proved equal on [0,1]
  exactnet quantize net.json --alphabet -2,-1,1,2 --on 0,1     integer networks: no halving needed
  exactnet quantize net2d.json --bits 2 --box 0,1x0,1 --timeout 60
  exactnet quantize net.json --bits 4 --round --on -1,1         the exact sup change of rounding to 2^-4
domain: --on A,B for one input, --box A,BxC,D for several; default [0, 1] in every input.
memory: bits per weight = ceil(log2 lambda) over the lambda distinct nonzero values
(weights and biases), memory = that times their number; "fixed point" is the shortest
sign-magnitude word holding every value.""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    qz.add_argument("net", metavar="NET", help="a network file (.json, .onnx, .safetensors, .pt)")
    qz.add_argument("--bits", type=int, metavar="B",
                    help="alphabet bits (1, 2 or 3) for the converter; the grid 2^-B with --round")
    qz.add_argument("--alphabet", metavar="LIST", help="the converter's alphabet, e.g. -1,-1/2,1/2,1 (overrides --bits)")
    qdom = qz.add_mutually_exclusive_group()
    qdom.add_argument("--on", metavar="A,B", help="the interval of a one-input network (default 0,1)")
    qdom.add_argument("--box", metavar="BOX", help="the box of a several-input network, e.g. 0,1x-1,1")
    qz.add_argument("--round", action="store_true", help="round to the grid 2^-B instead of converting")
    qz.add_argument("--timeout", type=float, metavar="S", help="seconds for the z3 proof (several inputs)")
    qz.add_argument("--json", action="store_true", help="machine-readable output")
    qz.add_argument("-o", "--output", metavar="OUT", help="write the resulting network (.json)")
    for net_parser in (i, e, pc, se, pr, ex, rp, rg):
        net_parser.add_argument("--snap", type=int, metavar="K", help=SNAP_HELP)
    return p


def _cmd_prove(args: argparse.Namespace) -> int:
    from exactnet.certificate import exit_code
    from exactnet.numbers import parse_box, parse_interval, parse_number
    from exactnet.report import render

    net = _load_net(args.net, args.snap)
    if args.target is not None and args.eps is None:
        raise _UserError("--target needs --eps (the bound to prove)")
    if args.equals is not None and args.eps is not None:
        raise _UserError("--eps goes with --target, not with --equals")
    domain = parse_box(args.on) if "x" in args.on else parse_interval(args.on)
    one_d = len(net.inputs) == 1
    method = args.method
    if method == "auto":
        method = "pwl" if one_d and not (args.smt2 or args.cross_check or args.lemmas) else "smt"
    if method == "pwl" and (args.smt2 or args.cross_check or args.lemmas):
        raise _UserError("--smt2, --cross-check and --lemmas need --method smt")
    other: Any = args.equals
    if args.equals is not None and Path(args.equals).suffix in (".json", ".onnx", ".safetensors", ".pt"):
        other = _load_net(args.equals)
    certs = []
    note = ""
    if method == "pwl":
        from exactnet.numbers import Interval

        if not one_d or not isinstance(domain, Interval):
            raise _UserError("the PWL route needs a one-input network and an interval; use --method smt")
        if args.target is not None:
            from exactnet.supnorm import certify

            certs.append(certify(net, args.target, domain, parse_number(args.eps)))
        else:
            from exactnet.supnorm import certify_equal

            certs.append(certify_equal(net, other, domain))
        note = "route: exact PWL extraction"
    else:
        from exactnet import smt

        if args.target is not None and args.lemmas:
            certs = smt.prove_lemmas(net, args.target, domain, parse_number(args.eps), timeout=args.timeout)
            query = None
        elif args.target is not None:
            query = smt.bound_query(net, args.target, domain, parse_number(args.eps))
        else:
            query = smt.equality_query(net, other, domain)
        if query is not None:
            certs.append(smt.decide(query, timeout=args.timeout))
            if args.smt2:
                _write_atomic(Path(args.smt2), smt.to_smt2(query))
            if args.cross_check:
                cc = smt.cross_check(query, timeout=args.timeout)
                note = f"cross-check: z3 {cc['z3']}, cvc5 {cc['cvc5']}"
                if not cc["agree"]:
                    note += "  -- THE SOLVERS DISAGREE"
        note = ("route: z3" + (f"; {note}" if note else "")) if not note.startswith("route") else note
    if args.json:
        print(json.dumps({"route": method, "note": note, "certificates": [c.to_dict() for c in certs]}, indent=1))
    else:
        print(render(certs))
        print(f"\n{note}")
        for c in certs:
            if c.witness is not None and c.verdict.value == "violated":
                point = ", ".join(str(w) for w in c.witness)
                d = len(c.witness)
                names = ", ".join(("x", "y", "z")[:d] if d <= 3 else (f"x{i + 1}" for i in range(d)))
                print(f"counterexample: x = {point}" if d == 1 else f"counterexample: ({names}) = ({point})")
            if "reason" in c.details:
                print(f"reason: {c.details['reason']}")
    if args.cross_check and "DISAGREE" in note:
        return 3
    return exit_code(certs)


def _load_net(path: str, snap: int | None = None) -> Any:
    """Read NET by extension (.json, .onnx, .safetensors, .pt); say on stderr how floats came in."""
    from exactnet.io.formats import import_note, load_any

    net = load_any(path, snap=snap)
    note = import_note(net)
    if note:
        print(f"note: {path}: {note}", file=sys.stderr)
    return net


SNAP_HELP = (
    "round every weight and bias of NET to the dyadic grid 2^-K (round half to even on the "
    "exact value) and report the largest change; without it, float weights (.onnx, "
    ".safetensors, .pt) are taken at their exact binary values"
)


def _cmd_export(args: argparse.Namespace) -> int:
    from exactnet.io.formats import dump_any
    from exactnet.numbers import approx

    net = _load_net(args.net, args.snap)
    out = Path(args.to)
    if out.suffix.lower() == ".json" and args.allow_rounding:
        raise _UserError("--allow-rounding is for .onnx (float32); the network file is exact")
    if out.suffix.lower() == ".onnx" and args.form != "graph":
        raise _UserError("--form is for .json; .onnx is always a graph of Gemm/MatMul/Add/Relu")
    change = dump_any(net, out, allow_rounding=args.allow_rounding, form=args.form)
    if out.suffix.lower() == ".onnx":
        if change:
            print(f"wrote {out} (float32; weights rounded to the nearest float32, largest change "
                  f"{change} ≈ {approx(change, 6)})")
        else:
            print(f"wrote {out} (float32; every weight and bias exact)")
    else:
        print(f"wrote {out}")
    return 0


def _parse_point(text: str, d: int, where: str) -> tuple[Any, ...]:
    from exactnet.exceptions import ExactnetError
    from exactnet.numbers import parse_number

    parts = [t for t in text.replace(";", ",").split(",")]
    if len(parts) == 1 and d > 1:
        parts = text.split()
    try:
        values = tuple(parse_number(t) for t in parts)
    except ExactnetError as exc:
        raise _UserError(f"{where}: {exc}") from None
    if len(values) != d:
        raise _UserError(
            f"{where}: the point {text.strip()!r} has {len(values)} coordinate"
            f"{'s' if len(values) != 1 else ''} but the network has {d} input"
            f"{'s' if d != 1 else ''}"
        )
    return values


def _cmd_eval(args: argparse.Namespace) -> int:
    from exactnet.evaluate import evaluate_batch
    from exactnet.report import render_values

    net = _load_net(args.net, args.snap)
    d = len(net.inputs)
    points = [_parse_point(t, d, f"--at {t}") for t in args.at]
    if args.points:
        path = Path(args.points)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise _UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
        for n, line in enumerate(lines, start=1):
            s = line.strip()
            if s and not s.startswith("#"):
                points.append(_parse_point(s, d, f"{path}:{n}"))
    if not points:
        raise _UserError("no points: give --at POINT (repeatable) or --points FILE")
    if args.digits < 1:
        raise _UserError(f"--digits must be >= 1, got {args.digits}")
    values = evaluate_batch(net, points)
    if args.json:
        from exactnet.numbers import approx

        out = {
            "inputs": list(net.inputs),
            "outputs": list(net.outputs),
            "results": [
                {
                    "point": [str(v) for v in p],
                    "values": [str(v) for v in y],
                    "approx": [approx(v, args.digits) for v in y],
                }
                for p, y in zip(points, values)
            ],
        }
        print(json.dumps(out, indent=1, ensure_ascii=False))
    else:
        print(render_values(net.inputs, net.outputs, points, values, digits=args.digits))
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from exactnet.metrics import metrics
    from exactnet.report import render_metrics

    net = _load_net(args.net, args.snap)
    m = metrics(net)
    if args.json:
        print(json.dumps({"file": args.net, "metadata": dict(net.metadata), "metrics": m.as_dict()}, indent=1))
    else:
        name = f"{args.net}: {len(net.inputs)} inputs -> {len(net.outputs)} outputs"
        if net.metadata.get("construction"):
            name += f" ({net.metadata['construction']})"
        print(render_metrics(m, name))
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from exactnet.catalogue import claims, run_claim, verify_exit_code
    from exactnet.report import render_results, results_json, results_markdown, table

    items = claims(full=args.full, only=args.only)
    if not items:
        raise _UserError(f"no claim id contains {args.only!r}; see exactnet verify --list")
    if args.list:
        print(table(["claim", "source", "statement"], [[c.id, c.source, c.statement] for c in items]))
        return 0
    from tqdm import tqdm

    results = []
    bar = tqdm(items, unit="claim", disable=not sys.stderr.isatty(), leave=False, file=sys.stderr)
    for c in bar:
        bar.set_postfix_str(c.id, refresh=False)
        results.append(run_claim(c))
    bar.close()
    if args.json:
        print(results_json(results))
    elif args.markdown:
        print(results_markdown(results))
    else:
        print(render_results(results))
    return verify_exit_code(results)


def _cmd_pieces(args: argparse.Namespace) -> int:
    from exactnet.numbers import approx, parse_interval
    from exactnet.pwl import to_pwl, to_pwl_segment
    from exactnet.report import table

    if args.target is not None and (args.on is None or args.plot is None):
        raise _UserError("--target goes with --on and --plot (it is drawn, not compared; see sup-error)")
    if args.plot is not None:
        from exactnet.plot import plot_format

        plot_format(args.plot)  # a wrong extension fails before any work
    net = _load_net(args.net, args.snap)
    if args.on is not None:
        raw = to_pwl(net, parse_interval(args.on))
    else:
        ends = args.segment.split(":")
        if len(ends) != 2:
            raise _UserError(f"--segment {args.segment!r}: write two points separated by ':', e.g. 0,0:1,1")
        d = len(net.inputs)
        raw = to_pwl_segment(net, _parse_point(ends[0], d, "--segment"), _parse_point(ends[1], d, "--segment"))
    f = raw.canonical()
    if args.rebuild:
        from exactnet.io.json import dumps
        from exactnet.representation import to_network

        _write_atomic(Path(args.rebuild), dumps(to_network(f, form=args.form)) + "\n")
    if args.plot is not None:
        from exactnet.plot import pieces_figure, save_figure

        fig = pieces_figure(f, target=args.target, title=Path(args.net).name, var="x" if args.on else "t")
        save_figure(fig, args.plot)
    slopes = [*(str(s) for s in f.slopes), ""]
    if args.json:
        print(
            json.dumps(
                {
                    "interval": [str(f.xs[0]), str(f.xs[-1])],
                    "pieces": f.pieces,
                    "pieces_before_merging": raw.pieces,
                    "breakpoints": [str(x) for x in f.xs],
                    "values": [str(y) for y in f.ys],
                    "slopes": [str(s) for s in f.slopes],
                },
                indent=1,
            )
        )
    elif args.sympy:
        from exactnet.symbolic import to_sympy

        print(to_sympy(f, var="x" if args.on is not None else "t"))
    elif args.csv:
        print("x,y,slope_right")
        for x, y, s in zip(f.xs, f.ys, slopes):
            print(f"{x},{y},{s}")
    else:
        rows = [[str(x), str(y), s, approx(y, 12)] for x, y, s in zip(f.xs, f.ys, slopes)]
        print(table(["x", "N(x)", "slope to the right", "N(x) ≈"], rows))
        print(f"\n{f.pieces} pieces ({raw.pieces} before merging collinear pieces)")
    return 0


def _progress(label: str) -> Any:
    """A progress callback drawing a bar on stderr when it is a terminal (else None)."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=label, unit="", file=sys.stderr, leave=False)
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update


def _cmd_sup_error(args: argparse.Namespace) -> int:
    from exactnet.certificate import exit_code
    from exactnet.numbers import parse_interval, parse_number
    from exactnet.report import render_real, render_sup
    from exactnet.supnorm import certify, lp_error
    from exactnet.targets import parse_target

    if args.plot is not None:
        from exactnet.plot import plot_format

        plot_format(args.plot)  # a wrong extension fails before any work
    if args.box is not None:
        return _sup_error_box(args)
    net = _load_net(args.net, args.snap)
    target = parse_target(args.target)
    interval = parse_interval(args.on)
    eps = parse_number(args.eps) if args.eps is not None else None
    if args.norm != "sup":
        if args.eps is not None or args.cert or args.side != "abs" or args.plot:
            raise _UserError("--norm L1/L2 computes a value: drop --eps, --cert, --side and --plot")
        r = lp_error(net, target, interval, int(args.norm[1]))
        exact = r.value if r.value is not None else r.enclosure
        if args.json:
            print(json.dumps({"norm": args.norm, "value": _real_json(exact), "exact": r.value is not None,
                              "rational_part": str(r.rational_part),
                              "algebraic_terms": [[sg, _real_json(t)] for sg, t in r.algebraic_terms]}, indent=1))
        else:
            print(f"{args.norm} error of NET against {target.text} on {interval}:")
            print(f"  {render_real(exact)}")
            if r.value is None:
                print(f"  exactly: {r.rational_part} + a signed sum of {len(r.algebraic_terms)} algebraic "
                      "numbers (see --json)")
        return 0
    tol = parse_number(args.tol)
    if tol <= 0:
        raise _UserError(f"--tol {args.tol}: must be > 0")
    cert = certify(net, target, interval, eps, side=args.side, tol=tol, progress=_progress("sup error"))
    if args.cert:
        _write_atomic(Path(args.cert), cert.to_json() + "\n")
    if args.plot:
        from exactnet.plot import save_figure, sup_error_figure

        save_figure(sup_error_figure(cert, title=Path(args.net).name), args.plot)
    if args.json:
        print(cert.to_json())
    else:
        print(render_sup(cert))
    return exit_code([cert])


def _box_for(net: Any, text: str) -> Any:
    from exactnet.numbers import parse_box

    box = parse_box(text)
    if box.dim != len(net.inputs):
        raise _UserError(f"--box {text}: {box.dim} dimension(s), but the network has {len(net.inputs)} inputs")
    return box


def _sup_error_box(args: argparse.Namespace) -> int:
    from exactnet.certificate import exit_code
    from exactnet.numbers import parse_number
    from exactnet.report import render_real
    from exactnet.supbox import certify_box
    from exactnet.targets import parse_target

    if args.norm != "sup":
        raise _UserError("--norm L1/L2 is for --on intervals; on a box the sup error is computed")
    net = _load_net(args.net, args.snap)
    box = _box_for(net, args.box)
    target = parse_target(args.target)
    eps = parse_number(args.eps) if args.eps is not None else None
    tol = parse_number(args.tol)
    if tol <= 0:
        raise _UserError(f"--tol {args.tol}: must be > 0")
    cert = certify_box(net, target, box, eps, side=args.side, tol=tol, progress=_progress("sup error"))
    if args.cert:
        _write_atomic(Path(args.cert), cert.to_json() + "\n")
    if args.plot:
        from exactnet.plot import save_figure, sup_error_box_figure

        save_figure(sup_error_box_figure(cert, title=Path(args.net).name), args.plot)
    if args.json:
        print(cert.to_json())
        return exit_code([cert])
    print(f"claim:    {cert.claim}")
    print(f"verdict:  {cert.verdict.value}")
    if cert.value is not None:
        print(f"value:    {render_real(cert.value)}")
    if cert.witness is not None:
        at = ", ".join(str(v) for v in cert.witness)
        print(f"{'witness' if cert.details.get('cells') is not None else 'attained at'}: ({at})")
    if "reason" in cert.details:
        print(f"reason:   {cert.details['reason']}")
    print(f"regions:  {len(cert.details['regions'])}; target kind: {cert.details['target_kind']}")
    print(f"method:   {cert.method}")
    print(f"time:     {cert.details['seconds']:.3f}s")
    return exit_code([cert])


def _cmd_regions(args: argparse.Namespace) -> int:
    from exactnet.numbers import approx
    from exactnet.regions import linear_regions, total_volume
    from exactnet.report import table

    if args.plot is not None:
        from exactnet.plot import plot_format

        plot_format(args.plot)  # a wrong extension fails before any work
    net = _load_net(args.net, args.snap)
    box = _box_for(net, args.box)
    if args.plot is not None and box.dim != 2:
        raise _UserError(f"--plot draws 2-D boxes; this box has {box.dim} dimensions")
    if len(net.outputs) != 1 and args.plot is not None:
        raise _UserError("--plot needs a network with one output")
    regions = linear_regions(net, box)
    volume = total_volume(regions)
    if args.plot is not None:
        from exactnet.plot import regions_figure, save_figure

        save_figure(regions_figure(regions, box, title=Path(args.net).name), args.plot)
    relus = [n for n, _ in regions[0].pattern]
    if args.json:
        out = {
            "box": [[str(s.lo), str(s.hi)] for s in box.sides],
            "count": len(regions),
            "volume": str(volume),
            "relus": relus,
            "regions": [
                {
                    "pattern": "".join("1" if p else "0" for _, p in r.pattern),
                    "vertices": [[str(c) for c in v] for v in r.vertices],
                    "A": [[str(c) for c in row] for row in r.A],
                    "b": [str(c) for c in r.b],
                    "weights": [[str(c) for c in w] for w in r.weights],
                    "offsets": [str(c) for c in r.offsets],
                    "volume": str(r.volume),
                }
                for r in regions
            ],
        }
        print(json.dumps(out, indent=1))
        return 0
    names = ["x", "y", "z"] if box.dim <= 3 else [f"x{i + 1}" for i in range(box.dim)]
    rows = []
    for k, r in enumerate(regions):
        maps = []
        for w, c in zip(r.weights, r.offsets):
            terms = " ".join(f"{'+' if v >= 0 else '-'} {abs(v)}*{n}" for v, n in zip(w, names) if v)
            maps.append(f"{c} {terms}".strip())
        rows.append([str(k), "".join("1" if p else "0" for _, p in r.pattern) or "-", str(len(r.vertices)),
                     str(r.volume), approx(r.volume, 6), "; ".join(maps)])
    print(table(["#", "pattern", "vertices", "volume", "volume ≈", "N = (affine map)"], rows))
    print(f"\n{len(regions)} regions on {box}; their volumes add up to {volume}"
          f" ({'=' if volume == box.volume else '!='} the box's volume {box.volume}); "
          f"pattern bits: {', '.join(relus) if len(relus) <= 12 else str(len(relus)) + ' ReLU neurons'}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from exactnet.certificate import exit_code
    from exactnet.numbers import parse_interval, parse_number
    from exactnet.report_page import build_report, write_html, write_markdown

    if args.target is not None and args.on is None:
        raise _UserError("--target needs --on A,B (the interval of the sup error)")
    if args.eps is not None and args.target is None:
        raise _UserError("--eps is a bound on the sup error: it needs --target")
    if args.max_rows < 2:
        raise _UserError(f"--max-rows {args.max_rows}: must be >= 2")
    out = Path(args.html or args.md)
    suffixes = (".html", ".htm") if args.html else (".md", ".markdown")
    if out.suffix.lower() not in suffixes:  # fail before any work
        raise _UserError(f"{out}: {'--html' if args.html else '--md'} writes a file ending in {' or '.join(suffixes)}")
    net = _load_net(args.net, args.snap)
    rep = build_report(
        net,
        source=Path(args.net).name,
        interval=parse_interval(args.on) if args.on is not None else None,
        target=args.target,
        eps=parse_number(args.eps) if args.eps is not None else None,
        side=args.side,
    )
    write = write_html if args.html else write_markdown
    for path in write(rep, out, max_rows=args.max_rows):
        print(f"wrote {path}")
    return exit_code([rep.certificate]) if rep.certificate is not None else 0


def _cmd_check_certificate(args: argparse.Namespace) -> int:
    from exactnet.checker import check_certificate_file

    report = check_certificate_file(args.cert)
    if args.json:
        print(json.dumps({"file": args.cert, **report.to_dict()}, indent=1, ensure_ascii=False))
    else:
        status = {True: "accepted", False: "REJECTED", None: "unknown (nothing to validate)"}
        print(f"{args.cert}: {status[report.accepted]}")
        if report.reasons:
            print("why:")
            for line in report.reasons:
                print(f"  - {line}")
        if report.checks:
            print("verified:" if report.accepted is not None else "note:")
            for line in report.checks:
                print(f"  - {line}")
    return {True: 0, False: 1, None: 3}[report.accepted]


def _real_json(x: Any) -> Any:
    from exactnet.algebraic import real_to_json

    return real_to_json(x)


_CONVERTER_BITS = {1: "-1,1", 2: "-1,-1/2,1/2,1", 3: "-2,-1,-1/2,1/2,1,2"}


def _cmd_quantize(args: argparse.Namespace) -> int:
    from exactnet.certificate import exit_code
    from exactnet.metrics import metrics
    from exactnet.numbers import Box, Interval, parse_box, parse_interval, parse_number
    from exactnet.quantize import Alphabet, memory

    net = _load_net(args.net)
    d = len(net.inputs)
    if args.on is not None and d != 1:
        raise _UserError(f"--on is for one-input networks; this one has {d} inputs: use --box")
    if args.box is not None and d == 1:
        raise _UserError("this network has one input: use --on A,B")
    if args.box is not None:
        domain: Any = parse_box(args.box)
        if domain.dim != d:
            raise _UserError(f"--box has {domain.dim} sides for {d} inputs")
    elif args.on is not None:
        domain = parse_interval(args.on)
    else:
        domain = Interval(0, 1) if d == 1 else Box([Interval(0, 1)] * d)
    if args.bits is None and (args.round or args.alphabet is None):
        raise _UserError("give --bits B (the alphabet's bits, or the grid 2^-B with --round)")
    out: dict[str, Any] = {"file": args.net, "domain": str(domain)}
    certs: list[Any] = []
    if args.round:
        if args.alphabet is not None:
            raise _UserError("--alphabet is for the converter; --round uses the grid 2^-B")
        if not 0 <= args.bits <= 1100:
            raise _UserError(f"--bits {args.bits} must be between 0 and 1100 with --round (the grid 2^-B)")
        from exactnet.quantize import snap

        result, info = snap(net, args.bits)
        out["round"] = {"grid": f"2^-{args.bits}", "largest_weight_change": str(info.largest_change),
                        "changed": info.changed, "numbers": info.total}
        out["sup_change"] = _sup_change(net, result, domain)
        title = f"round to the grid 2^-{args.bits}"
    else:
        text = args.alphabet if args.alphabet is not None else _CONVERTER_BITS.get(args.bits)
        if text is None:
            raise _UserError(f"--bits {args.bits}: the converter targets 1, 2 or 3-bit alphabets "
                             "(or give --alphabet); use --round to round to the grid 2^-B")
        try:
            alphabet = Alphabet.finite([parse_number(t) for t in text.split(",")])
        except ValueError as exc:
            raise _UserError(f"--alphabet {text!r}: {exc}") from None
        from exactnet.precision import to_alphabet

        result = to_alphabet(net, alphabet)
        certs = _prove_same(net, result, domain, args.timeout)
        out["alphabet"] = alphabet.name
        out["equivalence"] = [c.to_dict() for c in certs]
        if not isinstance(domain, Interval):
            # a second, independent route: N - M is affine on each linear region, so it is
            # 0 on the box iff it is 0 at every vertex of every region
            out["regions_route"] = _sup_change(net, result, domain)
        title = f"depth-precision conversion to {alphabet.name}"
    before, after = metrics(net), metrics(result)
    mem_b, mem_a = memory(net, biases=True), memory(result, biases=True)
    rows = [
        ("depth (affine layers)", before.depth, after.depth),
        ("width", before.width, after.width),
        ("weights (nonzero)", before.weights, after.weights),
        ("weights and biases (nonzero)", before.weights_with_biases, after.weights_with_biases),
        ("distinct values lambda (with biases)", mem_b.distinct, mem_a.distinct),
        ("bits per weight ceil(log2 lambda)", mem_b.codebook_bits, mem_a.codebook_bits),
        ("memory bits (codebook)", mem_b.total_codebook, mem_a.total_codebook),
        ("bits per weight (fixed point)", mem_b.fixed_point_bits, mem_a.fixed_point_bits),
        ("memory bits (fixed point)", mem_b.total_fixed_point, mem_a.total_fixed_point),
    ]
    out["before"] = {"metrics": before.as_dict(), "memory": mem_b.as_dict()}
    out["after"] = {"metrics": after.as_dict(), "memory": mem_a.as_dict()}
    if args.output:
        from exactnet.io.json import dumps

        _write_atomic(Path(args.output), dumps(result) + "\n")
        out["written"] = args.output
    if args.json:
        print(json.dumps(out, indent=1, ensure_ascii=False))
    else:
        from exactnet.numbers import approx
        from exactnet.report import table

        print(f"{args.net}: {title}")
        print(table(["", "before", "after"], [[a, str(b), str(c)] for a, b, c in rows]))
        if args.round:
            r = out["round"]
            print(f"largest weight change: {r['largest_weight_change']} ({r['changed']} of {r['numbers']} numbers moved)")
            for j, s in enumerate(out["sup_change"]):
                print(f"sup over {domain} of |N - rounded N| (output {j + 1}): {s['value']} "
                      f"≈ {approx(parse_number(s['value']), 6)} at x = {', '.join(s['at'])}")
        else:
            for c in certs:
                print(f"{c.verdict.value}: {c.claim} ({c.method})")
            for j, r in enumerate(out.get("regions_route", [])):
                print(f"regions: max |N - M| over the vertices of the {r['regions']} linear regions of "
                      f"N - M (output {j + 1}) = {r['value']}")
        if args.output:
            print(f"written: {args.output}")
    return exit_code(certs) if certs else 0


def _outputs(net: Any) -> list[Any]:
    """One single-output network per output (a selecting affine layer merged into the last)."""
    from exactnet.compose import affine_net, sequential

    m = len(net.outputs)
    if m == 1:
        return [net]
    return [sequential(net, affine_net([[1 if i == j else 0 for i in range(m)]], [0])) for j in range(m)]


def _prove_same(net: Any, other: Any, domain: Any, timeout: float | None) -> list[Any]:
    """1-D: identical PWL functions output by output; n-D: z3 on the box."""
    from exactnet.numbers import Interval

    if isinstance(domain, Interval):
        from exactnet.supnorm import certify_equal

        return [certify_equal(a, b, domain) for a, b in zip(_outputs(net), _outputs(other))]
    from exactnet.smt import prove_equal

    return [prove_equal(net, other, domain, timeout=timeout)]


def _sup_change(net: Any, other: Any, domain: Any) -> list[dict[str, Any]]:
    """The exact sup of |N_j - M_j| on the domain, per output, with a point attaining it."""
    from exactnet.compose import affine_combination
    from exactnet.evaluate import evaluate
    from exactnet.numbers import Interval

    res = []
    for a, b in zip(_outputs(net), _outputs(other)):
        diff = affine_combination([(1, a), (-1, b)])
        extra: dict[str, Any] = {}
        if isinstance(domain, Interval):
            from exactnet.supnorm import sup_error

            r = sup_error(diff, "0", domain)
            value, at = r.value, (r.witness,)
        else:
            from exactnet.regions import linear_regions

            # |affine| is largest at a vertex of each region; the vertices are exact
            value, at = None, None
            regions = linear_regions(diff, domain)
            extra["regions"] = len(regions)
            for reg in regions:
                for v in reg.vertices:
                    y = abs(reg(*v)[0])
                    if value is None or y > value:
                        value, at = y, v
            assert at is not None and abs(evaluate(diff, at)[0]) == value, "regions disagree with evaluate: a bug"
        res.append({"value": str(value), "at": [str(c) for c in at], **extra})
    return res


def _write_atomic(path: Path, text: str) -> None:
    from exactnet.io.files import write_atomic

    write_atomic(path, text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from exactnet.exceptions import ExactnetError

    parser = _parser()
    raw = list(sys.argv[1:] if argv is None else argv)
    # "--at -1/2": argparse would take -1/2 for an option; glue values to their flag
    valued = {"--at", "--on", "--eps", "--target", "--box", "--alphabet"}
    fixed: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] in valued and i + 1 < len(raw) and raw[i + 1].startswith("-"):
            fixed.append(f"{raw[i]}={raw[i + 1]}")
            i += 2
        else:
            fixed.append(raw[i])
            i += 1
    args = parser.parse_args(fixed)
    if args.command is None:
        parser.print_help()
        return 2
    handler = {
        "verify": _cmd_verify,
        "info": _cmd_info,
        "eval": _cmd_eval,
        "pieces": _cmd_pieces,
        "sup-error": _cmd_sup_error,
        "prove": _cmd_prove,
        "check-certificate": _cmd_check_certificate,
        "report": _cmd_report,
        "export": _cmd_export,
        "regions": _cmd_regions,
        "quantize": _cmd_quantize,
    }[args.command]
    try:
        return handler(args)
    except (ExactnetError, _UserError) as exc:
        if args.debug:
            traceback.print_exc()
        print(f"exactnet {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"exactnet {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug in exactnet, not the user's mistake
        if args.debug:
            raise
        print(
            f"exactnet {args.command}: internal error ({type(exc).__name__}: {exc}); "
            "rerun with --debug for the traceback and please report it",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
