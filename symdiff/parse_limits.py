"""Limits on what an expression string may build: long flat chains, huge numbers.

A flat sum such as ``x + x + ... + x`` is a left-nested tree to Python's
parser; ``left_chain`` walks it without recursion so it becomes one n-ary
node.  Exact numeric powers are sized *before* they are computed
(``power_bits``): ``((10**1000)**1000)**1000`` would take minutes and
gigabytes, so any number above ``MAX_NUMBER_BITS`` is refused with a
``ParseError`` naming its size and position.
"""
from __future__ import annotations

import ast
import decimal
import contextlib
import sys

__all__ = ["PARSE_RECURSION", "CHAIN_FAMILY", "FLAT_CHAIN", "MAX_NUMBER_BITS", "TOO_DEEP", "deep_parsing",
           "left_chain", "literal_as_written", "number_bits", "power_bits", "power_too_large", "short_number",
           "syntax_error", "too_large", "written_decimal"]

PARSE_RECURSION = 12_000  # sys.setrecursionlimit while parsing: chains of ~30,000 operands

CHAIN_FAMILY = {ast.Add: "sum", ast.Sub: "sum", ast.Mult: "product"}
FLAT_CHAIN = 32           # chains at least this long are built as one n-ary node
MAX_NUMBER_BITS = 100_000  # integers and rationals in expressions: at most ~30,000 digits
TOO_DEEP = (f"expression nested too deeply, or a sum or product of too many terms "
            f"(at most about {3 * PARSE_RECURSION:,} in one chain)")


@contextlib.contextmanager
def deep_parsing():
    """A recursion limit that lets ``ast.parse`` build long left-nested chains (restored after)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, PARSE_RECURSION))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def left_chain(node):
    """[first, (op, operand), ...] of a left-nested chain of + and - (or of *)."""
    family = CHAIN_FAMILY[type(node.op)]
    rest = []
    while isinstance(node, ast.BinOp) and CHAIN_FAMILY.get(type(node.op)) == family:
        rest.append((node.op, node.right))
        node = node.left
    rest.reverse()
    return [node] + rest


def number_bits(value) -> int:
    if getattr(value, "is_Rational", False):
        return max(int(value.p).bit_length(), int(value.q).bit_length())
    return 0


def power_bits(base, exponent) -> float:
    """An upper estimate of the size of an exact numeric power, before it is computed."""
    if not (getattr(base, "is_Rational", False) and getattr(exponent, "is_Rational", False)):
        return 0
    if base in (0, 1, -1):
        return 0
    return number_bits(base) * abs(float(exponent))


def power_too_large(base, exponent) -> str | None:
    """Why an exact numeric power is refused before it is computed, or None."""
    if power_bits(base, exponent) > MAX_NUMBER_BITS:
        return (f"numeric power {short_number(base)}**{short_number(exponent)} is too large "
                f"(about {power_bits(base, exponent) * 0.30103:.3g} digits)")
    return None


def short_number(value) -> str:
    if number_bits(value) > 64:
        return f"(a number of about {number_bits(value) * 0.30103:,.0f} digits)"
    return str(value)


def too_large(value) -> str | None:
    """Why a number built from an expression is refused, or None."""
    if number_bits(value) > MAX_NUMBER_BITS:
        return (f"number with about {number_bits(value) * 0.30103:,.0f} digits is too large "
                f"(at most {int(MAX_NUMBER_BITS * 0.30103):,})")
    return None


def written_decimal(raw: bytes) -> tuple[str | None, str | None]:
    """``(text, None)`` for a decimal literal's source bytes (read exactly later), ``(None, None)`` when
    they are not one, ``(None, why)`` when it has too many digits to build (1e-99999999)."""
    text = raw.decode(errors="replace").replace("_", "")
    try:
        value = decimal.Decimal(text)
    except decimal.InvalidOperation:
        return None, None
    if not value.is_finite():
        return None, None
    if abs(value.adjusted()) + len(value.as_tuple().digits) > MAX_NUMBER_BITS * 0.30103:
        return None, (f"the decimal {text[:30]}{'...' if len(text) > 30 else ''} has too many digits "
                      f"(at most {int(MAX_NUMBER_BITS * 0.30103):,})")
    return text, None


def literal_as_written(lines, node) -> tuple[str | None, str | None]:
    """A float literal's text as the program wrote it, from its source lines (None: not found), and
    why it is refused (None: accepted)."""
    if lines and node.lineno == node.end_lineno and 0 < node.lineno <= len(lines):
        return written_decimal(lines[node.lineno - 1].encode()[node.col_offset:node.end_col_offset])
    return None, None


def syntax_error(exc: SyntaxError) -> tuple[str, str | None]:
    """Python's SyntaxError as a reader's message and the offending line (shortened)."""
    message = exc.msg
    if "integer string conversion" in message:   # Python's own limit, with advice for programmers
        message = f"integer literal too long (at most {sys.get_int_max_str_digits():,} digits)"
    line_text = (exc.text or "").strip()
    return f"syntax error: {message}", (line_text if len(line_text) <= 80 else line_text[:77] + "...") or None
