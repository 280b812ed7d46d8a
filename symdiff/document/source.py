r"""Reading a LaTeX document with pylatexenc's ``LatexWalker``: the math and the directives, in order.

``load_document(path)`` walks the file (and every ``\input``/``\include``, resolved
relative to the including file) and returns its *items* in document order:
``MathItem`` (one display environment, ``\[..\]``, ``$$..$$`` or inline ``$..$``)
and ``DirectiveItem`` (a ``% symdiff: ...`` comment).  Comments and ``verbatim``
are skipped because the walker reads them as their own nodes.  ``\newcommand``
definitions (no arguments or simple ``{}`` arguments) are collected in a
``MacroTable`` and expanded in the math text before it is read.

A file that cannot be used (missing, not text, not LaTeX, an environment opened
and never closed) raises ``DocumentError``; the command exits with status 2.
"""
from __future__ import annotations

import pathlib
from dataclasses import dataclass, field

from pylatexenc import macrospec
from pylatexenc.latexwalker import (LatexCommentNode, LatexEnvironmentNode, LatexGroupNode, LatexMacroNode,
                                    LatexMathNode, LatexWalker, LatexWalkerEndOfStream, LatexWalkerError,
                                    get_default_latex_context_db)

from ..errors import SymdiffError

__all__ = ["DocumentError", "SourceFile", "MathItem", "DirectiveItem", "MacroTable", "load_document",
           "DISPLAY_ENVIRONMENTS"]

# Environments whose body is display math, each row a place for statements.
DISPLAY_ENVIRONMENTS = {"equation", "equation*", "align", "align*", "gather", "gather*", "multline",
                        "multline*", "flalign", "flalign*", "alignat", "alignat*", "eqnarray", "eqnarray*",
                        "displaymath", "math"}
_VERBATIM = {"verbatim", "verbatim*", "Verbatim", "lstlisting", "minted", "comment"}
MAX_INPUT_DEPTH = 20
MAX_FILE_BYTES = 5_000_000
MAX_MACRO_EXPANSIONS = 10_000
MAX_EXPANDED_LENGTH = 50_000


class DocumentError(SymdiffError):
    """The document cannot be used: missing, unreadable, not LaTeX, or unbalanced environments."""


@dataclass
class SourceFile:
    """One file's text with a line index for offsets -> (line, column), both 1-based."""

    path: pathlib.Path
    text: str
    display_name: str
    _line_starts: list = field(default_factory=list, repr=False)

    def __post_init__(self):
        starts = [0]
        for i, ch in enumerate(self.text):
            if ch == "\n":
                starts.append(i + 1)
        self._line_starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        import bisect
        k = bisect.bisect_right(self._line_starts, offset) - 1
        return k + 1, offset - self._line_starts[k] + 1


@dataclass
class MathItem:
    """A piece of math: ``body`` is the source between the delimiters, starting at ``body_start``."""

    source: SourceFile
    environment: str          # 'equation', 'align*', ..., 'display' (\[ \], $$ $$) or 'inline'
    start: int                # offset of the whole item (its \begin or opening delimiter)
    end: int                  # offset just after it
    body: str
    body_start: int
    node: object = field(repr=False, default=None)
    error: str | None = None     # the formula's braces or environments are broken: unreadable

    @property
    def inline(self) -> bool:
        return self.environment == "inline"


@dataclass
class DirectiveItem:
    source: SourceFile
    offset: int
    text: str                 # what follows 'symdiff:'


class MacroTable:
    r"""User macros from ``\newcommand``/``\renewcommand``/``\def`` without parameters.

    ``expand(text)`` replaces each use by its body, ``#1``.. by the arguments,
    recursively (bounded: a macro that expands forever raises ``DocumentError``).
    """

    def __init__(self):
        self.macros: dict[str, tuple[int, str]] = {}   # name -> (number of arguments, body)

    def define(self, name: str, nargs: int, body: str) -> None:
        self.macros[name] = (nargs, body)

    def context(self):
        db = get_default_latex_context_db()
        # amsmath's commands whose arguments the default context does not know
        db.add_context_category("symdiff-amsmath", prepend=True, macros=[
            macrospec.MacroSpec("tag", "*{"), macrospec.MacroSpec("intertext", "{"),
            macrospec.MacroSpec("shortintertext", "{"), macrospec.MacroSpec("DeclareMathOperator", "*{{"),
            macrospec.MacroSpec("def", "{{")])
        specs = [macrospec.MacroSpec(name, "{" * nargs) for name, (nargs, _) in self.macros.items()]
        if specs:
            db.add_context_category("symdiff-user-macros", macros=specs, prepend=True)
        return db

    def expand(self, text: str) -> str:
        if not self.macros or "\\" not in text:
            return text
        budget = [MAX_MACRO_EXPANSIONS]
        return self._expand(text, budget, depth=0)

    def _expand(self, text: str, budget: list, depth: int) -> str:
        if depth > 30:
            raise DocumentError("a \\newcommand macro expands into itself (more than 30 levels)")
        try:
            nodes, _, _ = LatexWalker(text, latex_context=self.context(), tolerant_parsing=True).get_latex_nodes()
        except LatexWalkerError:
            return text
        out, changed = self._rebuild(text, nodes, budget)
        if len(out) > MAX_EXPANDED_LENGTH:
            raise DocumentError(f"macro expansion produced more than {MAX_EXPANDED_LENGTH} characters")
        return self._expand(out, budget, depth + 1) if changed else out

    def _rebuild(self, text: str, nodes, budget: list) -> tuple[str, bool]:
        """Replace the outermost uses of user macros (at any depth); inner ones wait for the next pass."""
        uses = sorted(self._uses(nodes), key=lambda n: n.pos)
        if not uses:
            return text, False
        parts, pos = [], 0
        for node in uses:
            if node.pos < pos:
                continue
            budget[0] -= 1
            if budget[0] < 0:
                raise DocumentError("too many \\newcommand expansions (does a macro call itself?)")
            nargs, body = self.macros[node.macroname]
            args = list(node.nodeargd.argnlist if node.nodeargd else [])[:nargs]
            for k, arg in enumerate(args, start=1):
                body = body.replace(f"#{k}", "" if arg is None else _group_inner(arg))
            # a space keeps a body ending in a control word (\alpha) from gluing onto a following letter
            parts.append(text[pos:node.pos] + body + " ")
            pos = node.pos + node.len
        parts.append(text[pos:])
        return "".join(parts), True

    def _uses(self, nodes):
        for node in nodes or []:
            if node is None:
                continue
            if isinstance(node, LatexMacroNode) and node.macroname in self.macros:
                yield node
                continue
            yield from self._uses(getattr(node, "nodelist", None))
            argd = getattr(node, "nodeargd", None)
            if argd is not None:
                yield from self._uses(argd.argnlist)


def _group_inner(node) -> str:
    text = node.latex_verbatim()
    if isinstance(node, LatexGroupNode) and text.startswith("{") and text.endswith("}"):
        return text[1:-1]
    return text


def _read_file(path: pathlib.Path, display_name: str) -> SourceFile:
    if not path.exists():
        raise DocumentError(f"{display_name}: no such file")
    if not path.is_file():
        raise DocumentError(f"{display_name}: not a file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DocumentError(f"{display_name}: larger than {MAX_FILE_BYTES // 1_000_000} MB, not a notes file")
    data = path.read_bytes()
    if b"\0" in data:
        raise DocumentError(f"{display_name}: a binary file, not LaTeX")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{display_name}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    return SourceFile(path, text, display_name)


def _looks_like_latex(text: str) -> bool:
    return "\\" in text or "$" in text


class _Loader:
    def __init__(self):
        self.macros = MacroTable()
        self.items: list = []
        self.files: list[SourceFile] = []
        self._stack: list[pathlib.Path] = []
        self._broken: dict[int, str] = {}

    def load(self, path: pathlib.Path, display_name: str) -> None:
        resolved = path.resolve()
        if resolved in self._stack:
            raise DocumentError(f"{display_name}: \\input cycle ({' -> '.join(p.name for p in self._stack)})")
        if len(self._stack) >= MAX_INPUT_DEPTH:
            raise DocumentError(f"{display_name}: \\input nested more than {MAX_INPUT_DEPTH} deep")
        source = _read_file(path, display_name)
        if not self._stack and not _looks_like_latex(source.text):
            raise DocumentError(f"{display_name}: not LaTeX (no command and no math in it)")
        self.files.append(source)
        nodes, broken = _walk_tolerating_broken_math(source, self.macros)
        outer_broken, self._broken = self._broken, broken
        self._stack.append(resolved)
        try:
            self._walk(source, nodes)
        finally:
            self._stack.pop()
            self._broken = outer_broken

    def _walk(self, source: SourceFile, nodes) -> None:
        for node in nodes or []:
            if node is None:
                continue
            if isinstance(node, LatexCommentNode):
                self._comment(source, node)
            elif isinstance(node, LatexMathNode):
                self._math(source, node, "inline" if node.displaytype == "inline" else "display")
            elif isinstance(node, LatexEnvironmentNode):
                name = node.environmentname
                if name in DISPLAY_ENVIRONMENTS:
                    self._math(source, node, name)
                elif name in _VERBATIM:
                    continue
                else:
                    self._walk(source, node.nodelist)
            elif isinstance(node, LatexMacroNode):
                self._macro(source, node)
            elif isinstance(node, LatexGroupNode):
                self._walk(source, node.nodelist)

    def _comment(self, source: SourceFile, node) -> None:
        text = node.comment.strip()
        if text.lower().startswith("symdiff:"):
            self.items.append(DirectiveItem(source, node.pos, text[len("symdiff:"):].strip()))

    def _math(self, source: SourceFile, node, environment: str) -> None:
        inner = node.nodelist
        if inner:
            first = next((n for n in inner if n is not None), None)
            last = next((n for n in reversed(inner) if n is not None), None)
            body_start = first.pos if first is not None else node.pos
            body_end = last.pos + last.len if last is not None else node.pos
        else:
            body_start = body_end = node.pos
        item = MathItem(source, environment, node.pos, node.pos + node.len, source.text[body_start:body_end],
                        body_start, node)
        if node.pos in self._broken:   # its body was blanked out so that the rest could be read
            item.error = self._broken[node.pos]
            item.body = ""
        self.items.append(item)

    def _macro(self, source: SourceFile, node) -> None:
        name = node.macroname
        args = node.nodeargd.argnlist if node.nodeargd else []
        if name in ("newcommand", "renewcommand", "providecommand", "DeclareRobustCommand"):
            self._define(args)
        elif name == "def" and len(args) == 2 and isinstance(args[0], LatexMacroNode) \
                and isinstance(args[1], LatexGroupNode):     # \def\eps{\varepsilon}: no parameters
            self.macros.define(args[0].macroname, 0, _group_inner(args[1]))
        elif name == "DeclareMathOperator" and len(args) >= 3 and args[1] is not None and args[2] is not None:
            macro = _group_inner(args[1]).strip()
            if macro.startswith("\\") and macro[1:].isalpha():
                self.macros.define(macro[1:], 0, "\\operatorname{" + _group_inner(args[2]) + "}")
        elif name in ("input", "include") and args:
            target = next((a for a in args if a is not None), None)
            if target is None:
                return
            relative = _group_inner(target).strip()
            line, _ = source.line_col(node.pos)
            display = str(pathlib.Path(source.display_name).parent / relative)
            # as TeX looks: the name with .tex added, then the name as written
            for suffix in (".tex", ""):
                path = source.path.parent / (relative + suffix)
                if not relative.endswith(".tex") or not suffix:
                    if path.is_file():
                        self.load(path, display + suffix)
                        return
            raise DocumentError(f"{source.display_name}:{line}: \\{name}{{{relative}}}: no such file")
        elif name not in ("def", "DeclareMathOperator", "verb", "url", "href", "label", "ref", "eqref", "cite"):
            # prose in arguments (\emph{...}, \footnote{...}, \item[...]) may hold math too
            self._walk(source, [a for a in args if isinstance(a, LatexGroupNode)])

    def _define(self, args) -> None:
        # newcommand's arguments: * {\name} [nargs] [default] {body}; an optional default is not supported
        # (such a macro is left as it is, and a formula using it may then be unreadable)
        if len(args) < 5 or args[1] is None or args[4] is None or args[3] is not None:
            return
        name_node = args[1]
        name_text = _group_inner(name_node).strip() if isinstance(name_node, LatexGroupNode) \
            else name_node.latex_verbatim().strip()
        if not name_text.startswith("\\"):
            return
        nargs = 0
        if args[2] is not None:
            digits = args[2].latex_verbatim().strip("[] ")
            if not digits.isdigit():
                return
            nargs = int(digits)
        self.macros.define(name_text[1:], nargs, _group_inner(args[4]))


def _message(exc) -> str:
    return str(exc).split(" @(")[0].split("\n")[0]


def _walk_tolerating_broken_math(source: SourceFile, macros: MacroTable):
    """The document's nodes; a display formula with broken braces is blanked out and reported, not fatal.

    Only when the environments themselves do not pair up (``\\begin{align}`` closed by
    ``\\end{equation}``, a ``\\begin`` never closed) is the document unusable.
    """
    text = source.text
    try:
        nodes, _, _ = LatexWalker(text, latex_context=macros.context(), tolerant_parsing=False).get_latex_nodes()
        return nodes, {}
    except LatexWalkerError as exc:
        first_error = exc
    regions = _math_regions(source)
    broken, chars = {}, list(text)
    for start, body_start, body_end in regions:
        try:
            LatexWalker(text[body_start:body_end], latex_context=macros.context(),
                        tolerant_parsing=False).get_latex_nodes()
        except LatexWalkerError as exc:
            broken[start] = _message(exc)
            for i in range(body_start, body_end):
                if chars[i] != "\n":
                    chars[i] = " "
    blanked = "".join(chars)
    try:
        nodes, _, _ = LatexWalker(blanked, latex_context=macros.context(), tolerant_parsing=False).get_latex_nodes()
    except LatexWalkerError:
        pos = getattr(first_error, "pos", None)
        line = source.line_col(pos)[0] if pos is not None else getattr(first_error, "lineno", 0)
        raise DocumentError(f"{source.display_name}:{line}: cannot read the document: {_message(first_error)}") \
            from None
    return nodes, broken


def _math_regions(source: SourceFile) -> list[tuple[int, int, int]]:
    """(start, body start, body end) of display environments, paired by the token stream.

    Unpaired environments raise ``DocumentError``: the document's structure is broken.
    """
    walker = LatexWalker(source.text, tolerant_parsing=True)
    stack, regions, pos = [], [], 0
    while True:
        try:
            tok = walker.get_token(pos, environments=True)
        except LatexWalkerEndOfStream:
            break
        pos = tok.pos + tok.len
        if tok.tok == "begin_environment" and tok.arg in _VERBATIM:
            end = source.text.find(f"\\end{{{tok.arg}}}", pos)
            pos = len(source.text) if end < 0 else end + len(f"\\end{{{tok.arg}}}")
        elif tok.tok == "begin_environment":
            stack.append((tok.arg, tok.pos, tok.pos + tok.len))
        elif tok.tok == "end_environment":
            line = source.line_col(tok.pos)[0]
            if not stack:
                raise DocumentError(f"{source.display_name}:{line}: \\end{{{tok.arg}}} without a \\begin")
            name, start, body_start = stack.pop()
            if name != tok.arg:
                raise DocumentError(f"{source.display_name}:{line}: \\end{{{tok.arg}}} closes "
                                    f"\\begin{{{name}}} (line {source.line_col(start)[0]})")
            if name in DISPLAY_ENVIRONMENTS:
                regions.append((start, body_start, tok.pos))
    if stack:
        name, start, _ = stack[-1]
        line = source.line_col(start)[0]
        raise DocumentError(f"{source.display_name}:{line}: \\begin{{{name}}} is never closed")
    return regions


def load_document(path, display_name: str | None = None) -> tuple[list, MacroTable, list[SourceFile]]:
    """Items of the document in order, its macro table and the files read."""
    path = pathlib.Path(path)
    loader = _Loader()
    loader.load(path, display_name or str(path))
    return loader.items, loader.macros, loader.files
