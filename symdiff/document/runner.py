r"""Checking a document: statements in order, definitions remembered, claims decided in parallel.

``check_files(paths)`` reads each document (``source``), applies the
directives in order (``directives.Scope``), cuts each math item into statements
(``statements``) and reads their links (``adapter.read_statement``).
Definitions are remembered (a definition in an equation also serves the other
statements of that equation, so a where-clause after ``\quad`` can follow the
claim it explains); each claim becomes an independent job carrying the
definitions, variables and conditions in force.  Jobs are decided by
``adapter.check_link`` in a process pool (``jobs`` processes), results come back
in document order, and verdicts are cached by the claim's normalized text and
that context (``cache``).
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import asdict, dataclass, field

from ..errors import SymdiffError
from ..process_pool import map_in_processes
from .adapter import (ADAPTER_VERSION, StatementSkipped, check_link, located, read_statement,
                      validate_definition)
from .cache import VerdictCache, cache_key
from .contexts import starts_new_definition
from .directives import DirectiveError, Scope, parse_directive
from .source import DirectiveItem, MathItem, load_document
from .statements import split_statements

__all__ = ["Record", "check_files", "CLAIM_STATUSES"]

CLAIM_STATUSES = ("proved", "consistent", "refuted", "undetermined")
_STRUCTURE_PHRASE = re.compile(r"\s*(.+?)\s+(?:is\s+)?"
                               r"(?:symmetric|spd|invertible|orthogonal|simplex|onehot|pm1|binary)\s*")
# a word in \operatorname{softmax} or \text{loss} is one token: its letters are not the names s, m, x
_TOKENS = re.compile(r"\\(?:operatorname\*?|text|mathrm|textrm|mbox)\s*\{[^{}]*\}|\\[A-Za-z]+|\\.|\s+|.", re.S)


@dataclass
class Record:
    """One line of the report: a definition, a claim (one link of a chain) or a skipped statement."""

    file: str
    line: int
    column: int
    kind: str                  # 'definition' | 'identity' | 'derivative' | 'directive'
    latex: str
    status: str                # CLAIM_STATUSES + 'unreadable' | 'skipped'
    explanation: str = ""
    read_as: str | None = None
    counterexample: dict | None = None
    expected: str | None = None
    # where the annotated copy puts the mark: (source file, offset of the row end, start of the math, inline)
    anchor: tuple | None = field(default=None, repr=False)
    # (start, end) of a formula body TeX itself cannot typeset (braces or \left..\right broken): the
    # annotated copy shows a placeholder there, so the rest of the document still compiles
    broken_span: tuple | None = field(default=None, repr=False)
    job: dict | None = field(default=None, repr=False)

    @property
    def is_claim(self) -> bool:
        return self.kind in ("identity", "derivative") and self.status in CLAIM_STATUSES

    @property
    def unexpected_refutation(self) -> bool:
        return self.status == "refuted" and self.expected != "refuted"

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "kind": self.kind,
                "latex": self.latex, "read_as": self.read_as, "status": self.status,
                "explanation": self.explanation, "counterexample": self.counterexample,
                "expected": self.expected}


@dataclass
class _Pending:
    skip: bool = False
    expect: str | None = None


class _DocumentReader:
    """Walks one document's items, producing records (claims still undecided carry a ``job``)."""

    def __init__(self, budget: float, seed: int):
        self.budget, self.seed = budget, seed
        self.scope = Scope()
        self.definitions: dict[str, tuple] = {}      # name -> (name, params, rhs)
        self.unreadable_names: dict[str, int] = {}   # a definition that could not be read -> its line
        self.definition_sites: dict[str, tuple] = {}  # name -> (file, offset) of the math that defined it
        self.records: list[Record] = []

    def read(self, path) -> list[Record]:
        items, macros, _ = load_document(path)
        pending = _Pending()
        for item in items:
            if isinstance(item, DirectiveItem):
                self._directive(item, pending)
            elif isinstance(item, MathItem):
                self._math(item, macros, pending)
        return self.records

    def _directive(self, item: DirectiveItem, pending: _Pending) -> None:
        line, column = item.source.line_col(item.offset)
        try:
            directive = parse_directive(item.text)
        except DirectiveError as exc:
            self.records.append(Record(item.source.display_name, line, column, "directive",
                                       "% symdiff: " + item.text, "unreadable", str(exc)))
            return
        if directive.kind == "skip":
            pending.skip = True
        elif directive.kind == "expect":
            pending.expect = directive.expect
        else:
            if directive.kind == "let":   # a declared variable is no longer an earlier definition's name
                from ..latex.statements import plain_name
                for name in directive.variables:
                    key = plain_name(name) or name
                    self.definitions.pop(key, None)
                    self.unreadable_names = {n: ln for n, ln in self.unreadable_names.items()
                                             if (plain_name(n) or n) != key}
            self.scope.apply(directive)

    def _math(self, item: MathItem, macros, pending: _Pending) -> None:
        source = item.source
        if item.error is not None:
            pending.skip, pending.expect = False, None
            if not item.inline:
                raw = source.text[item.body_start:item.end]
                line, column = source.line_col(item.body_start + len(raw) - len(raw.lstrip()))
                text = raw.split("\\end{")[0].strip()
                self.records.append(Record(source.display_name, line, column, "identity", text, "unreadable",
                                           f"cannot parse this formula: {item.error}",
                                           anchor=(str(source.path.resolve()), item.end, item.start, False),
                                           broken_span=_body_span(item)))
            return
        statements = split_statements(item, macros)
        if not item.inline:
            skip, expect = pending.skip, pending.expect
            pending.skip, pending.expect = False, None
        else:
            skip, expect = False, None
        variables, conditions = self.scope.snapshot()
        read = []
        for st in statements:
            defined = set(self.definitions)
            try:
                links = read_statement(st.text, defined, _plain_names(variables))
                again = _redefined(links, defined)
                if again is not None and starts_new_definition(item, self.definition_sites.get(again)):
                    # problem 2's own f(x) = ..., not a claim about problem 1's f
                    links = read_statement(st.text, defined - {again}, _plain_names(variables))
            except StatementSkipped as why:
                if not item.inline:
                    line, column = source.line_col(st.source_offset(_first_visible(st.text)))
                    self.records.append(Record(source.display_name, line, column, "identity", st.text.strip(),
                                               "skipped", str(why)))
                continue
            except SymdiffError as exc:     # the statement itself cannot be read
                if not item.inline and not skip:
                    line, column = source.line_col(st.source_offset(_first_visible(st.text)))
                    broken = _left_right_unbalanced(st.text)
                    self.records.append(Record(source.display_name, line, column, "identity", st.text.strip(),
                                               "unreadable", f"cannot read this statement: {located(exc)}",
                                               anchor=(str(source.path.resolve()), st.row_end(st.source_offset(0)),
                                                       item.start, False),
                                               broken_span=_body_span(item) if broken else None))
                continue
            if item.inline:   # prose math counts only when it defines something
                links = [lk for lk in links if lk.kind == "definition"]
            read.append((st, links))
            # this equation's definitions come first: a where-clause may follow the claim it serves
            for link in links:
                if link.kind == "definition" and not skip:
                    self._define(st, link, variables)
        for st, links in read:
            for link in links:
                offset = st.source_offset(link.offset)
                line, column = source.line_col(offset)
                anchor = (str(source.path.resolve()), st.row_end(offset), item.start, item.inline)
                record = Record(source.display_name, line, column, link.kind, link.latex, "skipped",
                                expected=expect, anchor=anchor)
                if skip:
                    record.explanation = "skipped by '% symdiff: skip'"
                elif link.kind == "definition":
                    self._finish_definition(record, link)
                else:
                    self._claim(record, link, variables, conditions)
                self.records.append(record)

    def _define(self, st, link, variables) -> None:
        context = relevant_definitions(link.rhs, list(self.definitions.values()))
        try:
            validate_definition(context, link, variables)
        except (SymdiffError, RecursionError, ArithmeticError, TypeError, ValueError) as exc:
            # a definition symdiff cannot read or use: said, not guessed
            line, _ = st.item.source.line_col(st.source_offset(link.offset))
            self.unreadable_names[link.name] = line
            link.error = located(exc) if isinstance(exc, SymdiffError) else f"{type(exc).__name__}: {exc}"
            self.definitions.pop(link.key, None)
            return
        self.unreadable_names.pop(link.name, None)
        self.definitions[link.key] = (link.name, link.params, link.rhs, link.line())
        self.definition_sites[link.key] = (st.item.source.path, st.item.start)

    def _finish_definition(self, record: Record, link) -> None:
        error = getattr(link, "error", None)
        if error:
            record.status, record.explanation = "unreadable", f"cannot read this definition: {error}"
        else:
            args = f"({', '.join(link.params)})" if link.params else ""
            record.explanation = f"definition of {link.name}{args}, used by the formulas after it"

    def _claim(self, record: Record, link, variables, conditions) -> None:
        text = link.latex
        tokens = _name_tokens(text)
        blocked = [(n, ln) for n, ln in self.unreadable_names.items() if _mentions(tokens, _name_tokens(n))]
        if blocked:
            name, line = blocked[0]
            record.status = "undetermined"
            record.explanation = f"uses {name}, whose definition (line {line}) could not be read"
            return
        link_data = asdict(link)
        link_data.pop("error", None)
        definitions = relevant_definitions(link.line(), list(self.definitions.values()))
        record.job = {"link": link_data, "definitions": definitions, "variables": variables,
                      "conditions": _conditions_on(conditions, [link.line()] + [d[3] for d in definitions]),
                      "budget": self.budget,
                      "seed": self.seed}


def _first_visible(text: str) -> int:
    """Index of the first character that is not white space (a statement's text may start with a newline)."""
    return len(text) - len(text.lstrip())


def _redefined(links, defined: set) -> str | None:
    """The defined name a statement's first link would define again (``f(x) = ...`` of a defined f)."""
    from ..latex.statements import Piece, definition_head
    if not links or links[0].kind != "identity":
        return None
    head = definition_head(Piece(links[0].lhs, 0))
    return head.name if head is not None and head.name in defined else None


def _body_span(item: MathItem) -> tuple[int, int]:
    """The body of a display formula up to its closing delimiter (found in the source: a broken body
    may have been blanked out while the document was read)."""
    text = item.source.text[item.body_start:item.end]
    for closing in (f"\\end{{{item.environment}}}", "\\]", "$$"):
        k = text.rfind(closing)
        if k >= 0:
            return item.body_start, item.body_start + k
    return item.body_start, item.end


def _left_right_unbalanced(text: str) -> bool:
    return len(re.findall(r"\\left(?![A-Za-z])", text)) != len(re.findall(r"\\right(?![A-Za-z])", text))


def _conditions_on(conditions: list[str], texts: list[str]) -> list[str]:
    """The conditions in force that name a variable of the claim ('where x > 0' says nothing about h(a, b))."""
    used = [_name_tokens(text) for text in texts]
    letters = {t for tokens in used for t in tokens}
    out = []
    for c in conditions:
        phrase = _STRUCTURE_PHRASE.fullmatch(c)
        if phrase:   # 'M invertible': about M only
            if any(_mentions(tokens, _name_tokens(phrase.group(1))) for tokens in used):
                out.append(c)
        elif any(t in letters for t in _name_tokens(c) if t[:1].isalpha() or t[:1] == "\\"):
            out.append(c)
    return out


def _plain_names(variables: dict) -> set[str]:
    from ..latex.statements import plain_name
    return {plain_name(k) or k for k in variables}


def _name_tokens(text: str) -> list[str]:
    """TeX tokens without braces and spaces: ``f_{1}`` and ``f_1`` give the same sequence."""
    return [t for t in _TOKENS.findall(text) if t not in ("{", "}") and not t.isspace()]


def _mentions(tokens: list[str], name: list[str]) -> bool:
    n = len(name)
    return any(tokens[i:i + n] == name for i in range(len(tokens) - n + 1)) if n else False


def relevant_definitions(text: str, definitions: list[tuple]) -> list[tuple]:
    """The definitions a claim uses, directly or through other definitions, in document order.

    A claim carries only these (to its worker, and into its cache key): reading
    sixty unrelated definitions for every claim would make a long document
    quadratic, and editing one definition would invalidate every cached verdict.
    """
    names = {d[0]: _name_tokens(d[0]) for d in definitions}
    wanted, frontier = set(), [_name_tokens(text)]
    while frontier:
        tokens = frontier.pop()
        for d in definitions:
            if d[0] not in wanted and _mentions(tokens, names[d[0]]):
                wanted.add(d[0])
                frontier.append(_name_tokens(d[2]))
    return [d for d in definitions if d[0] in wanted]


def _run_jobs(records: list[Record], jobs: int, cache: VerdictCache | None, progress: bool) -> None:
    todo: dict[str, list[Record]] = {}
    for r in records:
        if r.job is None:
            continue
        key = cache_key(ADAPTER_VERSION, r.job)
        cached = cache.get(key) if cache is not None and cache.read else None
        if cached is not None:
            _apply(r, cached)
            r.job = None
            continue
        todo.setdefault(key, []).append(r)
    if not todo:
        return
    bar = _bar(len(todo), progress)
    try:
        if jobs <= 1 or len(todo) == 1:
            for key, group in todo.items():
                _finish(key, group, check_link(group[0].job), cache, bar)
        else:
            keys = list(todo)

            def died(i, code):
                # not cached: the next run tries again
                return {"status": "undetermined", "transient": True,
                        "explanation": f"its worker process died twice (exit code {code})"}

            map_in_processes(check_link, [(todo[key][0].job,) for key in keys], jobs=jobs, on_death=died,
                             describe=lambda i: f"the claim at {todo[keys[i]][0].file}:{todo[keys[i]][0].line}",
                             on_result=lambda i, result: _finish(keys[i], todo[keys[i]], result, cache, bar))
    finally:
        if bar is not None:
            bar.close()


def _finish(key, group, result, cache, bar) -> None:
    for r in group:
        _apply(r, result)
        r.job = None
    if cache is not None and result["status"] in CLAIM_STATUSES + ("unreadable",) and not result.get("transient"):
        cache.put(key, result)
    if bar is not None:
        bar.set_postfix_str(f"{group[0].file}:{group[0].line}", refresh=False)
        bar.update(1)


def _apply(record: Record, result: dict) -> None:
    record.status = result["status"]
    record.explanation = result["explanation"]
    record.counterexample = result.get("counterexample")
    record.read_as = result.get("read_as")


def _bar(total: int, progress: bool):
    if not progress or not sys.stderr.isatty():
        return None
    from tqdm import tqdm
    return tqdm(total=total, unit="claim", file=sys.stderr, leave=False, dynamic_ncols=True)


def check_files(paths, *, jobs: int | None = None, cache: VerdictCache | None = None, budget: float = 10.0,
                seed: int = 0, progress: bool = True) -> list[Record]:
    """Records of every document in order; raises ``DocumentError`` for a document that cannot be used."""
    records = []
    for path in paths:
        records.extend(_DocumentReader(budget, seed).read(path))
    _run_jobs(records, jobs if jobs is not None else (os.cpu_count() or 1), cache, progress)
    return records
