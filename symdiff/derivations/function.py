"""The ``[function]`` of a derivation file: its LaTeX definition, its program, or both.

``read_function`` reads the definition ``F = ...`` (or ``f(x, y) = ...``, or
``y_i = ...`` per index) and the program text, and declares the program's
intermediates so that claims can name them.
"""
from __future__ import annotations

import re

import sympy as sp

from ..errors import SymdiffError
from ..latex import parse_latex
from ..latex.lecture import instantiate, normalize_name, product_of_indices, split_chain
from ..program import FUNCTION_NAMES, Program, parse_program
from . import registry
from .model import FunctionDef
from .names import parser_name
from .scope import FileScope

__all__ = ["read_function"]

_FUNCTION_KEYS = {"latex", "program", "name", "index", "note"}


def read_function(scope: FileScope, table) -> FunctionDef | None:
    """``[function]``: None when the file has none."""
    if table is None:
        return None
    if not isinstance(table, dict):
        raise scope.error("[function] must be a table with latex and/or program")
    unknown = sorted(set(table) - _FUNCTION_KEYS)
    if unknown:
        raise scope.error(f"[function]: unknown key(s) {', '.join(unknown)} "
                          f"(allowed: {', '.join(sorted(_FUNCTION_KEYS))})")
    latex = scope.string(table, "latex")
    program_text = scope.string(table, "program")
    if latex is None and program_text is None:
        raise scope.error("[function] needs latex or program")
    note = scope.string(table, "note") or ""
    index = scope.indices(table.get("index", {}), "[function] index")
    name = scope.string(table, "name")
    program = None
    if program_text is not None:
        program = _program(scope, program_text)
        _declare_targets(scope, program)
    expr, components, args = None, None, None
    if latex is not None:
        head, body = _split_definition(scope, latex, name)
        name = name or head["name"]
        if index:
            components = []
            for values in product_of_indices(index):
                comp_name = parser_name(instantiate(head["raw"], values)) or name
                comp = scope.parse(instantiate(body, values), "[function] latex")
                components.append((comp_name, comp))
                if comp_name not in scope.reader.variables:
                    scope.reader.variables.add(comp_name)
                    scope.symbols[comp_name] = sp.Symbol(comp_name, real=True)
        else:
            expr = scope.parse(body, "[function] latex")
        if head["args"] is not None:
            args = [scope.parse(a, "[function] arguments") for a in head["args"]]
            if not all(isinstance(a, sp.Symbol) for a in args):
                raise scope.error(f"[function]: the arguments of {head['name']} must be scalar variables")
            target = expr
            scope.functions[head["fname"]] = lambda *vals, a=tuple(args), e=target: \
                _call(head["fname"], a, e, vals)
            scope.reader.functions[head["fname"]] = scope.functions[head["fname"]]
    elif name is None:
        name = program.output.name
    if program is not None and name != program.output.name and latex is None:
        raise scope.error(f"[function] name {name!r} is not the program's output {program.output.name!r}")
    if program is not None:
        name = program.output.name
    return FunctionDef(name=name, latex=latex, program_text=program_text, program=program, expr=expr,
                       components=components, args=args, note=note)


def _split_definition(scope: FileScope, latex: str, name: str | None):
    """``F = body``: the left-hand side (name, function name, arguments) and the body's text."""
    parts = split_chain(scope.prepare(latex))
    if len(parts) == 1:
        if name is None:
            raise scope.error("[function] latex must read 'F = ...' (or give name = \"F\")")
        return {"name": name, "fname": name, "args": None, "raw": name}, parts[0]
    if len(parts) != 2:
        raise scope.error("[function] latex is one definition 'F = ...'; state chains as identity claims")
    head_text = parts[0]
    toks = scope.reader.strip_annotations(head_text)
    m = re.fullmatch(r"\s*(?:\\(?:operatorname|text|mathrm)\{([^{}]+)\}|([A-Za-z][A-Za-z0-9]*))\s*"
                     r"((?:_\{?[A-Za-z0-9,]+\}?)?)\s*(?:\((.*)\))?\s*", toks, re.S)
    if not m:
        raise scope.error(f"[function] latex: the left-hand side {head_text!r} must be a name such as F, "
                          f"y_i or f(x)")
    base = normalize_name(m.group(1) or m.group(2))
    sub = m.group(3).replace("{", "").replace("}", "")
    args = scope.reader.split_arguments(m.group(4)) if m.group(4) is not None else None
    return {"name": base + sub, "fname": base, "args": args, "raw": head_text.strip()}, parts[1]


def _call(name, args, expr, vals):
    if len(vals) != len(args):
        raise SymdiffError(f"{name} takes {len(args)} argument(s), got {len(vals)}")
    return expr.xreplace(dict(zip(args, vals)))


def _program(scope: FileScope, text: str) -> Program:
    """The program text, with the declared shapes and the file's functions."""
    declarations = []
    for v in scope.variables.values():
        mentioned = re.search(r"\b" + re.escape(v.name) + r"\b", text)
        if v.kind == "matrix" and mentioned:
            declarations.append(f"{v.name}: ({v.shape[0]}, {v.shape[1]})")
        elif v.kind == "vector" and not isinstance(v.shape[0], int) and mentioned:
            declarations.append(f"{v.name}: ({v.shape[0]}, 1)")
    functions = dict(FUNCTION_NAMES)
    for name, value in scope.functions.items():
        if isinstance(value, str) and value in registry.MATRIX_HELPERS:
            continue
        functions[name] = _program_function(name, value)
    full = "\n".join(declarations + [text])
    try:
        program = parse_program(full, functions=functions)
    except SymdiffError as exc:
        message = str(exc)
        if declarations:   # the error's line numbers are the text's, not the prefixed declarations'
            message = re.sub(r"line (\d+)", lambda m: f"line {max(1, int(m.group(1)) - len(declarations))}",
                             message)
        raise scope.error(f"[function] program: {message}") from None
    known = set(scope.scalars) | {s.name for s in scope.symbols.values() if isinstance(s, sp.MatrixSymbol)}
    for v in scope.variables.values():
        if v.kind == "vector" and isinstance(v.shape[0], int):
            known |= {e.name for e in scope.symbols[v.name]}
    unknown = [s.name for s in program.inputs if s.name not in known]
    if unknown:
        raise scope.error(f"[function] program: undeclared variable(s) {', '.join(unknown)}; declare them "
                          f"under [variables]")
    return program


def _program_function(name, value):
    """What program text calls for a declared function: a builtin's meaning as a Lambda."""
    if isinstance(value, sp.FunctionClass):
        return value
    if isinstance(value, str):
        t = sp.Symbol("t", real=True)
        body = parse_latex(r"\operatorname{%s}(t)" % name, functions={name: value})
        return sp.Lambda(t, body)
    return value


def _declare_targets(scope: FileScope, program: Program) -> None:
    """The program's intermediates become names the claims can use."""
    for t, _ in program.assignments:
        if isinstance(t, sp.MatrixSymbol):
            scope.reader.shapes[t.name] = t.shape
        else:
            scope.reader.variables.add(t.name)
        scope.symbols.setdefault(t.name, t)

