"""docs/primitives.md works: its Python blocks, run in order in a fresh interpreter, declare mish
once and check it with every witness."""
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "primitives.md"


def test_the_example_declares_once_and_every_witness_checks_it(tmp_path):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 4
    assert sum(b.count("symdiff.primitive(") for b in blocks) == 1
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", "\n".join(blocks)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "witnesses: symbolic, tape, finite differences: all agree" in done.stdout
    assert "skipped" not in done.stdout
    assert "gradient check failed" in done.stdout     # the wrong rule was caught


def test_readme_and_architecture_point_to_the_declaration():
    assert "docs/primitives.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/primitives.md" in (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
