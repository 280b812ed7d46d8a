"""Property-based testing of gradient rules, for symdiff and for its users.

Hypothesis strategies (random expression DAGs, programs, matrix expressions,
points and structured arrays inside a domain) and ``check_rule``, which checks
a derivative or a vector-Jacobian rule against finite differences and
symdiff's own gradient.  The pytest plugin is ``symdiff.testing.plugin``.

Names are loaded lazily (PEP 562), so that the pytest plugin, which lives in
this package, costs nothing until a test uses it.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    # scalar expressions, programs, points, arrays
    "expression_dags": "symdiff.testing.strategies",
    "programs": "symdiff.testing.strategies",
    "points": "symdiff.testing.strategies",
    "arrays": "symdiff.testing.strategies",
    "values_for": "symdiff.testing.strategies",
    "resolve_domain": "symdiff.testing.strategies",
    "primitives_exercising": "symdiff.testing.strategies",
    "contains_rule": "symdiff.testing.strategies",
    "rule_entry": "symdiff.testing.strategies",
    "Primitive": "symdiff.testing.strategies",
    "PRIMITIVES": "symdiff.testing.strategies",
    "SMOOTH": "symdiff.testing.strategies",
    "NONSMOOTH": "symdiff.testing.strategies",
    "STRUCTURES": "symdiff.testing.strategies",
    "Interval": "symdiff.testing.intervals",
    # matrix expressions
    "matrix_expressions": "symdiff.testing.matrices",
    "matrix_primitives_exercising": "symdiff.testing.matrices",
    "MATRIX_PRIMITIVES": "symdiff.testing.matrices",
    "MATRIX_REDUCTIONS": "symdiff.testing.matrices",
    # tape op inputs
    "op_inputs": "symdiff.testing.tape_inputs",
    "register_op_inputs": "symdiff.testing.tape_inputs",
    "OpCall": "symdiff.testing.tape_inputs",
    "TAPE_OP_INPUTS": "symdiff.testing.tape_inputs",
    # Hypothesis profiles ("ci", "thorough") and example counts that follow the active one
    "PROFILES": "symdiff.testing.profiles",
    "register_profiles": "symdiff.testing.profiles",
    "load_profile": "symdiff.testing.profiles",
    "profile_examples": "symdiff.testing.profiles",
    "profile_settings": "symdiff.testing.profiles",
    # sweeping whole tables
    "check_scalar_entry": "symdiff.testing.sweeps",
    "check_matrix_entry": "symdiff.testing.sweeps",
    "check_tape_op": "symdiff.testing.sweeps",
    "uncovered_scalar_entries": "symdiff.testing.sweeps",
    "uncovered_matrix_entries": "symdiff.testing.sweeps",
    "uncovered_tape_ops": "symdiff.testing.sweeps",
    # checking rules
    "check_rule": "symdiff.testing.rules",
    "GradientChecker": "symdiff.testing.checkers",
    "VJPChecker": "symdiff.testing.checkers",
    "UnusablePoint": "symdiff.testing.running",
    "run_examples": "symdiff.testing.running",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'symdiff.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
