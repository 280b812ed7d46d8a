"""Running latex2sympy2-extended on a rewritten fragment, with errors mapped back to the source."""

from __future__ import annotations

from antlr4 import CommonTokenStream, InputStream, Token
from antlr4.error.ErrorListener import ErrorListener
# The converter class is private, but the public ``latex2sympy()`` neither lets us
# start at the ``expr`` rule (from ``math``, each nesting level of parentheses is
# tried as a set, an interval and a tuple: 80 levels took 36 s) nor reports error
# positions other than inside a message string.
from latex2sympy2_extended.antlr_parser import PSLexer, PSParser
from latex2sympy2_extended.latex2sympy2 import ConversionConfig, _Latex2Sympy

from .base import Problem

# Options of latex2sympy2_extended live in its ConversionConfig (latex2sympy2.py).
# Its NormalizationConfig is not used at all: normalize_latex would drop primes
# and quotes and rewrite \mathrm, which we read ourselves.
_CONVERSION = ConversionConfig(
    lowercase_symbols=False,
    interpret_as_mixed_fractions=False,
    interpret_simple_eq_as_assignment=False,
    interpret_contains_as_eq=False,
)


class _SyntaxIssue(Exception):
    def __init__(self, index: int, at_end: bool):
        super().__init__(index)
        self.index, self.at_end = index, at_end


class _RaisingListener(ErrorListener):
    """Replaces the library's listener (and ANTLR's console one, which prints to stderr)."""

    def syntaxError(self, recognizer, offendingSymbol, line, column, msg, e):  # noqa: N802
        if offendingSymbol is None:  # lexer error
            raise _SyntaxIssue(column, False)
        raise _SyntaxIssue(offendingSymbol.start, offendingSymbol.type == Token.EOF)


class _SkeletonConverter(_Latex2Sympy):
    def create_parser(self, latex_str):
        listener = _RaisingListener()
        lexer = PSLexer(InputStream(latex_str))
        lexer.removeErrorListeners()
        lexer.addErrorListener(listener)
        parser = PSParser(CommonTokenStream(lexer))
        parser.removeErrorListeners()
        parser.addErrorListener(listener)
        return parser


class Out:
    """The rewritten fragment: pieces joined by spaces, each knowing its source extent."""

    def __init__(self):
        self.pieces: list[tuple[str, int, int]] = []

    def add(self, text: str, pos: int, end: int) -> None:
        self.pieces.append((text, pos, end))

    def render(self) -> str:
        return " ".join(text for text, _, _ in self.pieces)

    def source_of(self, index: int) -> tuple[int, int]:
        """Source extent of the piece at ``index`` of the rendered string."""
        offset = 0
        for text, pos, end in self.pieces:
            offset += len(text) + 1
            if index < offset:
                return pos, end
        return self.last_source()

    def last_source(self) -> tuple[int, int]:
        return self.pieces[-1][1:]


def run_library(out: Out, start: int, end: int):
    """Parse one rewritten fragment; syntax errors point into the original text."""
    latex = out.render()
    if not latex:
        raise Problem("empty expression", start, end)
    converter = _SkeletonConverter(config=_CONVERSION)
    try:
        parser = converter.create_parser(latex)
        tree = parser.expr()
        trailing = parser.getCurrentToken()
        if trailing.type != Token.EOF:
            raise _SyntaxIssue(trailing.start, False)
        return converter.convert_expr(tree)
    except _SyntaxIssue as issue:
        if issue.at_end:
            raise Problem("unexpected end of expression", *out.last_source()) from None
        pos, stop = out.source_of(issue.index)
        last = (pos, stop) == out.last_source()
        message = "incomplete expression" if last else "unexpected symbol"
        raise Problem(message, pos, stop) from None
    except RecursionError:
        raise Problem("expression too long or too deeply nested", start, end) from None
    except Problem:
        raise
    except Exception as exc:  # the library's converter raises bare Exception/AttributeError
        raise Problem(f"cannot interpret this expression ({type(exc).__name__})",
                       start, end) from None


# ---------------------------------------------------------------------------
# Rewriting: tokens -> library input with placeholders
# ---------------------------------------------------------------------------
