"""The import boundaries of STYLE 3.2, 3.11 and 4.3, checked by parsing every module with ast.

Each heavy or exact-arithmetic library enters exactnet through one named module, so
that exactness is a type boundary and ``import exactnet`` stays light.  A violation
names the module and the import.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "exactnet"

# library -> the modules (paths relative to exactnet/) allowed to import it
BOUNDARIES = {
    "gmpy2": {"numbers.py"},
    "z3": {"smt.py"},
    "cvc5": {"smt.py"},
    "flint": {"reals.py"},
    "sympy": {"symbolic.py", "_sympy_solve.py"},
    "matplotlib": {"plot.py"},
    "onnx": {"io/onnx.py"},
    "torch": {"io/torch.py"},
    "safetensors": {"io/torch.py"},
}

# the independent certificate checker may not lean on the code it checks
CHECKER_FORBIDDEN = {
    "exactnet.numbers", "exactnet.pwl", "exactnet.supnorm", "exactnet.evaluate",
    "exactnet.regions", "exactnet.supbox", "exactnet.algebraic", "exactnet.reals",
    "exactnet.targets", "exactnet.polynomial", "gmpy2", "flint",
}

CHECKERS = {"supnorm", "smt", "symbolic", "supbox", "counts", "exhaustive", "catalogue"}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def imports(path: Path) -> set[str]:
    """Every module name imported anywhere in the file (top level or inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def test_each_library_has_one_door() -> None:
    wrong = [
        f"{rel(p)} imports {name}"
        for p in modules()
        for name in sorted(imports(p))
        for lib, allowed in BOUNDARIES.items()
        if name.split(".")[0] == lib and rel(p) not in allowed
    ]
    assert wrong == []


def test_the_checker_is_independent() -> None:
    checker_files = [p for p in modules() if p.name == "checker.py" or p.name.startswith("_checker")]
    assert checker_files
    wrong = [
        f"{rel(p)} imports {name}"
        for p in checker_files
        for name in sorted(imports(p))
        if any(name == f or name.startswith(f + ".") for f in CHECKER_FORBIDDEN)
    ]
    assert wrong == []


def test_constructions_do_not_import_checkers() -> None:
    # STYLE 4.3: builders build; claims are decided in claims/, proofs/ and tests/
    wrong = [
        f"{rel(p)} imports {name}"
        for p in modules()
        if rel(p).startswith("constructions/")
        for name in sorted(imports(p))
        if name.startswith("exactnet.") and name.split(".")[1] in CHECKERS
    ]
    assert wrong == []


@pytest.mark.parametrize("lib", ["z3", "sympy", "matplotlib", "onnx", "torch", "flint"])
def test_import_exactnet_stays_light(lib: str) -> None:
    code = f"import sys, exactnet; print({lib!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
