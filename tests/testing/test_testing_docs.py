"""docs/testing.md works: its Python blocks run in order, and the test functions it defines pass.

The worked example declares a new primitive (which enters the scalar table,
the forward translation and the strategy catalogue) and a tape op with its
inputs; all of them are restored afterwards, so the sweeps see the tables as they are in the
source.
"""
import inspect
import pathlib
import re

import pytest

import symdiff.witnesses
from symdiff.primitives import DECLARED
from symdiff.rules import SCALAR_RULES
from symdiff.tape import OPS
from symdiff.testing import PRIMITIVES, TAPE_OP_INPUTS, check_rule

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "testing.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)


@pytest.fixture
def restored_tables():
    tables = [SCALAR_RULES.rules, SCALAR_RULES.names, OPS, PRIMITIVES, TAPE_OP_INPUTS,
              symdiff.witnesses.FORWARD_OPS, DECLARED]
    saved = [dict(t) for t in tables]
    yield
    for table, before in zip(tables, saved):
        table.clear()
        table.update(before)


def test_the_page_has_the_worked_example():
    text = DOC.read_text()
    for step in ("symdiff.primitive(", "defop(\"swish\"", "check_rule(swish", "expression_dags("):
        assert step in text, step


# the page's @pytest.mark.gradient_rule is registered by the plugin, which this suite loads only
# once the pytest11 entry point is installed
@pytest.mark.filterwarnings("ignore::pytest.PytestUnknownMarkWarning")
def test_every_python_block_runs_and_its_tests_pass(restored_tables):
    namespace = {"__name__": "docs_testing"}
    for k, block in enumerate(BLOCKS):
        exec(compile(block, f"{DOC}:block{k}", "exec"), namespace)
    tests = {name: f for name, f in namespace.items() if name.startswith("test_") and callable(f)}
    assert len(tests) >= 5
    for test in tests.values():
        # a test taking the plugin's fixture gets what the fixture gives: check_rule itself
        test(check_rule) if "check_rule" in inspect.signature(test).parameters else test()


def test_the_tables_are_restored_after_the_worked_example():
    assert "swish" not in OPS and "swish" not in PRIMITIVES and "swish" not in TAPE_OP_INPUTS
    assert not any(getattr(h, "__name__", "") == "swish" for h in SCALAR_RULES.rules)
