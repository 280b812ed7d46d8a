r"""The one place where ``symdiff check`` reads and checks a statement: the bridge to the LaTeX front end.

Reading: ``symdiff.latex.statements.read_statement`` (the notation front end)
says what one statement is (a definition ``f(x) = ...``, a derivative claim
``\phi'(u) = ...``, an identity chain, a condition or a bare expression), where
its sides and ``=`` signs are, and which where-clauses it carries.  This module
turns that into *links*: one per ``=``, each with the offset of its ``=`` in
the statement, so the document layer can report lines and columns.

Checking: ``check_link`` decides one link in a worker process from plain data
(the definitions it uses as LaTeX lines, the declared variables, the conditions
in force) with ``symdiff.verify_text`` — the definitions first, then the link as
one line — so definitions, derivative left sides, where-clauses and ``let``
shapes mean exactly what they mean to ``verify_text``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Link", "read_statement", "check_link", "ADAPTER_VERSION", "StatementSkipped", "located",
           "validate_definition"]

# part of every cache key: a change of the reading or checking machinery invalidates old verdicts
ADAPTER_VERSION = "read_statement+verify_text/7"


# a set literal right after '=' (\left\{ \begin{array} is a piecewise function, not a set)
_SET_LITERAL = re.compile(r"(?:=|\\coloneqq|\\equiv)\s*(?:\\left\s*)?\\\{(?!\s*\\begin)")
_OPTIMIZATION = re.compile(r"\\arg\s*\\?(?:min|max)|\\argmin|\\argmax|\\operatorname\*?\{arg\s*(?:\\,)?\s*(?:min|max)\}")


class StatementSkipped(Exception):
    """Not a claim (an inequality, a set, prose math): reported as ``skipped`` with the reason."""


@dataclass
class Link:
    """One ``=`` of a statement."""

    kind: str                      # 'definition' | 'identity' | 'derivative'
    latex: str                     # 'lhs = rhs' as written (macros expanded)
    offset: int                    # index of the '=' in the statement text
    lhs: str
    rhs: str
    name: str = ""                 # definition: the defined name as written (\sigma, f_{1})
    params: tuple = ()             # definition: parameter names
    key: str = ""                  # definition: the plain name (sigma, f_1)
    clauses: list = field(default_factory=list)   # where-clauses of the statement, as LaTeX

    def line(self) -> str:
        """The link as one line of ``verify_text`` input, with the statement's clauses."""
        lhs = self.lhs
        if self.kind == "identity" and _looks_like_definition(lhs):
            # E = ... of a declared E is a claim here, never a definition: braces keep verify_text from
            # reading it as one (it would give E that value and find nothing to check)
            lhs = "{" + lhs + "}"
        text = f"{lhs} = {self.rhs}"
        for clause in self.clauses:
            text += rf", \quad {clause}"
        return " ".join(text.split())


def _looks_like_definition(lhs: str) -> bool:
    from ..latex.statements import Piece, definition_head
    return definition_head(Piece(lhs, 0)) is not None


def read_statement(text: str, defined: set[str], declared: set[str]) -> list[Link]:
    """The links of one statement; ``StatementSkipped`` when it is no claim, ``ParseError`` when unreadable.

    ``defined``: plain names defined so far (a definition of one of them is an identity claim).
    """
    from ..errors import ParseError
    from ..latex.statements import read_statement as read

    if _SET_LITERAL.search(text):
        raise StatementSkipped("a set, not an identity or derivative claim")
    if _OPTIMIZATION.search(text):
        raise StatementSkipped("an arg min / arg max, not an identity or derivative claim")
    statement = read(text, frozenset(defined))
    if statement.kind == "expression":
        problem = _unbalanced(text) if "=" in text else None
        if problem:      # '\left( x^2 + 1 = 2x': the '=' is only hidden inside a bracket never closed
            raise ParseError(f"{problem}, so its '=' cannot be placed")
        raise StatementSkipped("no '=': not a claim")
    if statement.kind == "condition":
        raise StatementSkipped("an inequality or condition, not an identity or derivative claim")
    clauses = [c.piece.text for c in statement.clauses]
    sides, relations = statement.sides, statement.relations
    links = []
    for k in range(1, len(sides)):
        lhs, rhs = sides[k - 1].text, sides[k].text
        link = Link("identity", f"{lhs} = {rhs}", relations[k - 1], lhs, rhs, clauses=clauses)
        if k == 1 and statement.kind == "definition":
            head = statement.head
            if head.name in declared:     # a declared variable is not redefined: E = ... is a claim
                pass
            else:
                link.kind, link.key, link.params = "definition", head.name, tuple(head.params)
                link.name = head.latex
        elif k == 1 and statement.kind == "derivative":
            link.kind = "derivative"
        links.append(link)
    return links


def _unbalanced(text: str) -> str | None:
    """A bracket opened and never closed (or closed and never opened) in a formula."""
    lefts, rights = len(re.findall(r"\\left(?![A-Za-z])", text)), len(re.findall(r"\\right(?![A-Za-z])", text))
    if lefts != rights:
        return f"{lefts} \\left but {rights} \\right"
    plain = re.sub(r"\\[{}()\[\]]|\\(?:left|right|big|Big|bigg|Bigg)[lr]?\s*\S", "", text)
    if plain.count("(") != plain.count(")"):
        return f"{plain.count('(')} '(' but {plain.count(')')} ')'"
    return None


def located(exc) -> str:
    """The parser's message, its position given within the formula it read."""
    message = str(exc)
    line, column = getattr(exc, "line", None), getattr(exc, "column", None)
    prefix = ", ".join(p for p in (f"line {line}" if line is not None else "",
                                   f"column {column}" if column is not None else "") if p)
    if prefix and message.startswith(prefix + ": "):
        message = message[len(prefix) + 2:]
    return message


def _text(definitions: list, line: str) -> str:
    return "\n".join([" ".join(d[3].split()) for d in definitions] + [line])


def validate_definition(definitions: list, link: Link, variables: dict) -> None:
    """Raise the reader's error if the definition (with those it uses) cannot be read."""
    from ..verifier import verify_text
    verify_text(_text(definitions, link.line()), variables=variables or None, budget=1.0)


def check_link(job: dict) -> dict:
    """Decide one link; returns plain data (status, explanation, counterexample, read_as)."""
    from ..errors import ParseError, SymdiffError
    from ..verifier import verify_text

    link = job["link"]
    line = Link(**{k: v for k, v in link.items()}).line()
    try:
        verdicts = verify_text(_text(job["definitions"], line), variables=job["variables"] or None,
                               where=list(job["conditions"]), budget=job.get("budget", 10.0),
                               seed=job.get("seed", 0))
    except ParseError as exc:
        return _result("unreadable", f"cannot parse: {located(exc)}")
    except SymdiffError as exc:
        return _result("undetermined", f"cannot check: {exc}")
    except RecursionError:
        return _result("undetermined", "cannot check: the formula is nested too deeply")
    except Exception as exc:   # a fault of symdiff, not of the notes: said, and the run goes on
        return _result("undetermined", f"cannot check: internal error {type(exc).__name__}: {exc}")
    if len(verdicts) != 1:
        return _result("undetermined", f"the reader found {len(verdicts)} claims in this link, expected one")
    v = verdicts[0]
    return _result(v.status, v.explanation, _plain_data(v.counterexample), getattr(v, "read_as", None))


def _result(status, explanation, counterexample=None, read_as=None) -> dict:
    return {"status": status, "explanation": explanation, "counterexample": counterexample, "read_as": read_as}


def _plain_data(value):
    """A counterexample as JSON-able data (SymPy numbers become strings or floats)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_data(v) for v in value]
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)
