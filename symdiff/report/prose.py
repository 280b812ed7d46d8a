"""Prose for LaTeX: the mathematics written inline in plain text is typeset in math mode.

Derivation files and verifier explanations write formulas the way one types
them (``Y_i = f(X_i A_i + b_i)``, ``(X^T + X)^{-1} dZ``, ``dZ o Z``,
``soft_arg_max(x)``, now and then ``\\hat{y}``).  Escaped character by character
they would show as source in the PDF (``XˆT``, ``a_1``).  ``prose_tex`` finds the
runs of words that are mathematics -- a word with ``_``, ``^`` or a backslash,
joined to its neighbours by operators -- and typesets them as ``$...$``; the
rest is escaped as text.
"""
from __future__ import annotations

import re

__all__ = ["prose_tex", "math_word_tex"]

_TEXT_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
                 "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}", "<": r"\textless{}",
                 ">": r"\textgreater{}", "|": r"\textbar{}"}
_OPERATORS = {"+", "-", "=", "*", "/", "<", ">", "<=", ">=", "!=", "->", "...", "o", "·", "−", "≤", "≥", "≠", "∘", "×"}
_MATH_UNICODE = {"≤": r"\le ", "≥": r"\ge ", "≠": r"\ne ", "∘": r"\circ ", "·": r"\cdot ", "×": r"\times ",
                 "∂": r"\partial ", "−": "-", "→": r"\to ", "⇒": r"\Rightarrow ", "∈": r"\in ", "η": r"\eta ",
                 "α": r"\alpha ", "σ": r"\sigma ", "π": r"\pi ", "√": r"\surd ", "²": "^2", "ŷ": r"\hat y",
                 "Φ": r"\Phi ", "φ": r"\varphi "}
_FUNCTIONS = {"sum": r"\sum", "prod": r"\prod", "log": r"\log", "exp": r"\exp", "sin": r"\sin", "cos": r"\cos",
              "tanh": r"\tanh", "max": r"\max", "min": r"\min", "sign": r"\operatorname{sign}",
              "tr": r"\operatorname{tr}", "diag": r"\operatorname{diag}", "sigma": r"\sigma"}
_GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu", "nu", "xi", "pi", "rho",
          "sigma", "tau", "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Pi", "Sigma", "Phi",
          "Psi", "Omega")
_OPERAND = r"(?:" + "|".join(_GREEK) + r"|[A-Za-z][A-Za-z0-9']?|\d+(?:[./]\d+)?|\.\.\.)"
_SHORT = re.compile(r"[(\[|<-]*" + _OPERAND + r"(?:\(" + _OPERAND + r"?)?[)\]|>]*")
# short words that are English, not operands, when they follow a formula
_ENGLISH = {"a", "A", "I", "is", "at", "in", "of", "on", "to", "or", "an", "as", "be", "by", "if", "it", "no", "so",
            "we", "up", "do", "go", "he", "me", "my", "us", "vs"}
_TRAILING = re.compile(r"[,.;:!?]+$")


def _bare(word: str) -> str:
    return word.strip("()[]<>|,.;:!?")


def _is_math_word(word: str) -> bool:
    core = _TRAILING.sub("", word)
    return bool(re.search(r"[_^\\]", core)) and bool(re.search(r"[A-Za-z0-9]", core))


def _kind(word: str) -> str:
    if word in _OPERATORS:
        return "op"
    if _is_math_word(word):
        return "math"
    if _SHORT.fullmatch(_TRAILING.sub("", word)):
        return "short"
    return "text"


def _balanced(text: str) -> bool:
    depth = 0
    for ch in re.sub(r"\\[{}]", "", text):
        depth += ch == "{"
        depth -= ch == "}"
        if depth < 0:
            return False
    return depth == 0


def _group(text: str, i: int) -> int:
    """The end of the script argument starting at text[i] ({...}, (...), [...] or an alphanumeric run)."""
    pairs = {"{": "}", "(": ")", "[": "]"}
    if i < len(text) and text[i] in pairs:
        close, depth = pairs[text[i]], 0
        for j in range(i, len(text)):
            depth += text[j] == text[i]
            depth -= text[j] == close
            if depth == 0:
                return j + 1
        return len(text)
    j = i
    if j < len(text) and text[j] == "-":
        j += 1
    while j < len(text) and (text[j].isalnum() or text[j] == "'"):
        j += 1
    return j


def math_word_tex(text: str) -> str:
    """Typed mathematics (``X_i^T``, ``w^[k+1]``, ``soft_max(x_1, x_2)``) as LaTeX math (no dollars)."""
    text = text.replace("**", "^")
    for typed, tex in (("->", r"\to "), ("!=", r"\ne "), ("<=", r"\le "), (">=", r"\ge "), ("...", r"\ldots ")):
        text = text.replace(typed, tex)
    # an inner product <a, b>
    text = re.sub(r"<(?=\S)(.*?)(?<=\S)>", r"\\langle \1\\rangle ", text)
    # the LaTeX parser's names: hat_y -> \hat{y}
    text = re.sub(r"(?<![\\A-Za-z])(d?)(hat|bar|tilde)_([A-Za-z])", r"\1\\\2{\3}", text)
    text = re.sub(r"(?<![\\A-Za-z_])(" + "|".join(_FUNCTIONS) + r")(?![A-Za-z]|_[A-Za-z]{2})",
                  lambda m: _FUNCTIONS[m.group(1)] + " ", text)
    text = re.sub(r"(?<![\\A-Za-z])(" + "|".join(_GREEK) + r")(?![A-Za-z])", r"\\\1 ", text)
    # names such as soft_arg_max or d_mul: words joined by underscores, not subscripts
    text = re.sub(r"(?<![\\A-Za-z])([a-z]+(?:_[a-z]{2,})+)\b",
                  lambda m: r"\operatorname{" + m.group(1).replace("_", r"\,") + "}", text)
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            m = re.match(r"\\([A-Za-z]+|.)", text[i:])
            out.append(m.group(0))
            i += len(m.group(0))
        elif ch in "_^":
            end = _group(text, i + 1)
            arg = text[i + 1:end]
            if arg.startswith("{"):
                arg = arg[1:-1] if arg.endswith("}") else arg[1:]
            out.append(ch + "{" + math_word_tex(arg) + "}")
            i = end
        elif ch == "*":
            out.append(r"\cdot ")
            i += 1
        elif ch in _MATH_UNICODE:
            out.append(_MATH_UNICODE[ch])
            i += 1
        elif ch in "&%#$":
            out.append("\\" + ch)
            i += 1
        elif ch == "~":
            out.append(r"\sim ")
            i += 1
        elif ord(ch) >= 128:
            out.append("?")
            i += 1
        else:
            out.append(ch)
            i += 1
    result = re.sub(r"_\{([^{}]*)\}_\{", r"_{\1,", "".join(out))  # a_b_c: one subscript b,c
    return result if _balanced(result) else result.replace("{", r"\{").replace("}", r"\}")


def _text_tex(text: str, translit) -> str:
    out = []
    for ch in text:
        if ch in _TEXT_SPECIAL:
            out.append(_TEXT_SPECIAL[ch])
        else:
            out.append(translit(ch))
    return "".join(out)


def _spans(words: list[str]) -> list[tuple[bool, int, int]]:
    """(is_math, start, end) over the words: a math span is math words joined by operators or juxtaposed,
    with short operands (x, 2, dZ) allowed next to an operator."""
    kinds = [_kind(w) for w in words]
    spans, i = [], 0
    while i < len(words):
        if kinds[i] != "math":
            spans.append((False, i, i + 1))
            i += 1
            continue
        start, end = i, i + 1
        # absorb "short op" before a math word: "x + y_1"
        while start >= 1 and kinds[start - 1] == "short" and words[start - 1].count("(") > \
                words[start - 1].count(")") and not spans_end_in_math(spans, start - 1):
            spans = spans[:-1]  # "Phi(X dZ^T)": the opening word belongs to the formula
            start -= 1
        while start >= 2 and kinds[start - 1] == "op" and kinds[start - 2] in ("short", "math") \
                and not spans_end_in_math(spans, start - 2) and not _TRAILING.search(words[start - 2]):
            spans = spans[:-2]
            start -= 2
        while end < len(words):
            so_far = " ".join(words[start:end])
            angles = sum(w.startswith("<") for w in words[start:end]) - \
                sum(_TRAILING.sub("", w).endswith(">") for w in words[start:end])
            if (not _balanced(so_far) or so_far.count("(") > so_far.count(")") or angles > 0) \
                    and end - start < 40 and kinds[end] != "text" \
                    and (_bare(words[end]) not in _ENGLISH or len(_bare(words[end])) == 1 and (
                        kinds[end - 1] == "op" or words[end - 1].endswith(","))):  # (x + a), f(a, a)
                end += 1  # a brace or parenthesis opened in one word and closed a few words later: one span
            elif _TRAILING.search(words[end - 1]) and not words[end - 1].endswith("..."):
                break
            elif kinds[end] == "math" or (kinds[end] == "short" and _bare(words[end]) not in _ENGLISH):
                end += 1
            elif kinds[end] == "op" and end + 1 < len(words) and kinds[end + 1] in ("math", "short"):
                end += 2
            else:
                break
        spans.append((True, start, end))
        i = end
    return spans


def spans_end_in_math(spans, index) -> bool:
    return any(is_math and s <= index < e for is_math, s, e in spans)


def prose_tex(text: str, translit=lambda ch: ch) -> str:
    """Plain text for LaTeX with its inline mathematics in math mode (see the module docstring).

    ``translit`` maps one non-special character to its LaTeX (transliteration, typographic symbols).
    """
    pieces = re.split(r"(\s+)", text)
    words = pieces[0::2]
    gaps = pieces[1::2]
    out = []
    for is_math, start, end in _spans(words):
        chunk = "".join(w + (gaps[k] if k < end - 1 else "") for k, w in enumerate(words[start:end], start))
        if is_math:
            trailing = _TRAILING.search(chunk)
            tail = trailing.group(0) if trailing else ""
            core = chunk[:len(chunk) - len(tail)]
            core = re.sub(r"(?<=\s)o(?=\s)", r"\\circ", core)
            out.append("$" + math_word_tex(core) + "$" + _text_tex(tail, translit))
        elif words[start] == "o" and 0 < start < len(words) - 1:
            out.append(r"$\circ$")  # the Hadamard product written as a letter o between operands
        else:
            out.append(_text_tex(chunk, translit))
        if end - 1 < len(gaps):
            out.append(gaps[end - 1])
    return "".join(out)
