"""Every proofs/*.py script runs in a subprocess and exits 0 (its claims hold)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROOFS = Path(__file__).resolve().parent.parent / "proofs"
SLOW = {
    m.group(1)
    for m in re.finditer(r"^\| `([^`]+\.py)` .*\| yes \|$", (PROOFS / "README.md").read_text(), re.M)
}
SCRIPTS = sorted(PROOFS.glob("*.py"))


def test_every_script_is_indexed() -> None:
    index = (PROOFS / "README.md").read_text()
    missing = [s.name for s in SCRIPTS if f"`{s.name}`" not in index]
    assert not missing, f"proofs/README.md does not list {missing}"


@pytest.mark.parametrize(
    "script",
    [pytest.param(s, marks=pytest.mark.slow) if s.name in SLOW else s for s in SCRIPTS],
    ids=lambda s: s.name,
)
def test_proof_script(script: Path) -> None:
    # run against this checkout's exactnet, whatever is installed
    env = dict(os.environ, PYTHONPATH=str(PROOFS.parent))
    r = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=1200, env=env
    )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert "holds" in r.stdout
