"""Programs of named assignments: the computation DAG symdiff works on.

A ``Program`` is a straight-line list of ``(Symbol, Expr)`` assignments, the
lecture's "linearized graph".  It is built three ways, all ending in the same
structure:

* ``Program.from_text`` parses the lecture's notation (``S = x + y``) with
  Python's ``ast`` module against a whitelist: nothing in user text is executed;
* ``Program.from_expr`` turns a SymPy expression into a DAG where each distinct
  subexpression (by structural equality) is one node;
* ``Program().let("S", x + y)`` builds one in Python, keeping intermediates named
  so SymPy never flattens or re-simplifies across them.

``Program.linearized`` splits every right-hand side into primitives (one head
over atoms), the form the reverse pass consumes.
"""
from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from .parse_limits import (CHAIN_FAMILY, FLAT_CHAIN, TOO_DEEP, deep_parsing, left_chain, literal_as_written,
                           power_too_large, short_number, syntax_error, too_large)
from .written import note, note_divisor
from .canonical import canonical_expression, post_order
from .errors import ParseError, ProgramError, ShapeError, UnknownFunctionError
from .matrix import MATRIX_NODES, Elementwise
from . import primitives  # noqa: F401  (the built-in declarations fill the vocabulary)
from .vocabulary import FUNCTION_NAMES, MATRIX_NAMES   # the function names accepted in program text

MAX_TEXT_LENGTH = 5_000_000
_CONSTANTS = {"pi": sp.pi}  # Euler's number is exp(1): E is the lecture's error function


def _real_symbol(name: str, **assumptions) -> sp.Symbol:
    return sp.Symbol(name, **({"real": True} | assumptions))


@dataclass(frozen=True)
class Assignment:
    target: sp.Symbol
    expr: sp.Expr
    line: int | None = None  # source line, for error messages


class Program:
    """A straight-line program; the last assignment is the output unless set."""

    def __init__(self, *, inputs=()):
        self._assignments: list[Assignment] = []
        self._targets: dict[sp.Symbol, int] = {}
        self._names: set[str] = set()
        self._declared_inputs: list[sp.Symbol] = [self._as_symbol(s) for s in inputs]
        self._outputs: tuple[sp.Symbol, ...] | None = None
        self._inputs_cache: tuple[int, tuple] | None = None

    # -- building ----------------------------------------------------------
    def _as_symbol(self, s) -> sp.Symbol:
        if isinstance(s, str):
            for t in self._targets:
                if t.name == s:
                    return t
            return _real_symbol(s)
        return s

    def let(self, name: str | sp.Symbol, expr, *, line: int | None = None) -> sp.Symbol:
        """Append ``name = expr`` and return the symbol naming the intermediate.

        A matrix-valued right-hand side gets a ``MatrixSymbol`` of its shape.
        """
        where = f"line {line}: " if line is not None else ""
        expr = sp.sympify(expr, strict=True) if not isinstance(expr, sp.Basic) else expr
        if not isinstance(expr, sp.Expr):
            raise ProgramError(f"{where}right-hand side of {name} is not an expression: {expr}")
        target = name
        if isinstance(expr, MatrixExpr):
            label = name if isinstance(name, str) else name.name
            if isinstance(name, sp.MatrixSymbol) and name.shape != expr.shape:
                raise ShapeError(f"{where}{label} has shape {name.shape} but its right-hand side "
                                 f"has shape {expr.shape}")
            target = name if isinstance(name, sp.MatrixSymbol) else sp.MatrixSymbol(label, *expr.shape)
        elif isinstance(name, str):
            target = _real_symbol(name)
        if not isinstance(target, (sp.Symbol, sp.MatrixSymbol)):
            raise ProgramError(f"assignment target must be a name, got {name!r}")
        if isinstance(target, sp.MatrixSymbol) and not isinstance(expr, MatrixExpr):
            raise ShapeError(f"{where}{target.name} is a matrix but its right-hand side is a scalar")
        if target.name in self._names:
            raise ProgramError(f"{where}name {target.name!r} is assigned twice")
        if target in expr.free_symbols:
            raise ProgramError(f"{where}{target.name} is used in its own definition")
        self._targets[target] = len(self._assignments)
        self._names.add(target.name)
        self._assignments.append(Assignment(target, expr, line))
        return target

    def set_output(self, *outputs) -> "Program":
        outs = tuple(self._as_symbol(o) for o in outputs)
        for o in outs:
            if o not in self._targets:
                raise ProgramError(f"output {o} is never assigned")
        self._outputs = outs
        return self

    # -- reading -------------------------------------------------------------
    @property
    def assignments(self) -> list[tuple[sp.Symbol, sp.Expr]]:
        return [(a.target, a.expr) for a in self._assignments]

    @property
    def lines(self) -> list[Assignment]:
        return list(self._assignments)

    @property
    def outputs(self) -> tuple[sp.Symbol, ...]:
        if self._outputs is not None:
            return self._outputs
        if not self._assignments:
            raise ProgramError("the program has no assignments, so no output")
        return (self._assignments[-1].target,)

    @property
    def output(self) -> sp.Symbol:
        outs = self.outputs
        if len(outs) != 1:
            raise ProgramError(f"expected one output, the program has {len(outs)}")
        return outs[0]

    @property
    def inputs(self) -> tuple[sp.Symbol, ...]:
        """Names used but never assigned, declared ones first, then by first use."""
        if self._inputs_cache is None or self._inputs_cache[0] != len(self._assignments):
            seen = dict.fromkeys(self._declared_inputs)
            for a in self._assignments:
                for s in sorted(value_symbols(a.expr), key=lambda s: s.name):
                    if s not in self._targets and s not in seen:
                        seen[s] = None
            self._inputs_cache = (len(self._assignments), tuple(seen))
        return self._inputs_cache[1]

    def targets(self) -> tuple[sp.Symbol, ...]:
        return tuple(a.target for a in self._assignments)

    def definition(self, symbol: sp.Symbol) -> sp.Expr:
        return self._assignments[self._targets[symbol]].expr

    def __contains__(self, symbol) -> bool:
        return symbol in self._targets

    def __len__(self) -> int:
        return len(self._assignments)

    def symbol(self, name: str) -> sp.Symbol | None:
        """The symbol of ``name`` among the program's inputs and targets."""
        for s in self.targets() + self.inputs:
            if s.name == name:
                return s
        return None

    def op_count(self) -> int:
        """Sum of ``sympy.count_ops`` over the right-hand sides."""
        return int(sum(sp.count_ops(a.expr) for a in self._assignments))

    def __str__(self) -> str:
        from .printing import program_text
        return "\n".join(f"{a.target} = {program_text(a.expr)}" for a in self._assignments)

    def _repr_latex_(self) -> str:
        """Jupyter: one aligned ``target = rhs`` line per assignment."""
        from .display import program_latex_display
        return program_latex_display(self)

    def __repr__(self) -> str:
        return f"<Program: {len(self)} assignments, inputs {list(self.inputs)}, outputs {list(self.outputs)}>"

    def subprogram_for(self, outputs) -> "Program":
        """The assignments the given outputs depend on, in order."""
        needed = set(outputs)
        keep = []
        for a in reversed(self._assignments):
            if a.target in needed:
                keep.append(a)
                needed |= a.expr.free_symbols
        p = Program(inputs=self._declared_inputs)
        for a in reversed(keep):
            p.let(a.target, a.expr, line=a.line)
        return p.set_output(*outputs)

    # -- constructing from other forms ------------------------------------------
    @classmethod
    def from_text(cls, text: str, *, output: str | None = None) -> "Program":
        return parse_program(text, output=output)

    @classmethod
    def from_expr(cls, expr: sp.Expr, *, output: str = "F") -> "Program":
        """The DAG of ``expr``: one assignment per distinct non-atomic subexpression."""
        if not isinstance(expr, (sp.Expr, MatrixExpr)):
            raise ProgramError(f"expected a SymPy expression, got {type(expr).__name__}")
        expr = canonical_expression(expr)   # one node per quantity however SymPy spelled it
        used = {s.name for s in _iter_subexpressions(expr) if isinstance(s, (sp.Symbol, sp.MatrixSymbol))}
        out_name = fresh_name(output, used)
        builder = _Linearizer(Program(), used, prefix="t")
        result = builder.leaf_of(expr, top_name=out_name)
        prog = builder.program
        if not isinstance(result, (sp.Symbol, sp.MatrixSymbol)) or result not in prog:
            prog.let(out_name, result)  # the expression was an atom: F = x
        return prog.set_output(prog.targets()[-1])

    def linearized(self) -> "Program":
        """The same function with each right-hand side a single primitive over atoms."""
        used = {s.name for s in self.inputs} | {t.name for t in self.targets()}
        builder = _Linearizer(Program(inputs=self._declared_inputs), used, prefix=None)
        for a in self._assignments:
            builder.assign(a.target, a.expr, line=a.line)
        return builder.program.set_output(*self.outputs)


def fresh_name(base: str, used: set[str]) -> str:
    name, k = base, 1
    while name in used:
        name = f"{base}{k}"
        k += 1
    used.add(name)
    return name


def _iter_subexpressions(expr):
    """Every distinct subexpression object, iteratively (SymPy's own walks recurse)."""
    seen, stack = set(), [expr]
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        stack.extend(e.args)


_MATRIX_LEAVES = (sp.MatrixSymbol, sp.Identity, sp.ZeroMatrix, sp.OneMatrix, sp.PermutationMatrix)
_CONSTANT_MATRICES = (sp.Identity, sp.ZeroMatrix, sp.OneMatrix, sp.PermutationMatrix)


def value_symbols(expr) -> set:
    """The symbols whose values an expression uses: not the dimensions in its shapes."""
    found, stack = set(), [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, (sp.Symbol, sp.MatrixSymbol)):
            found.add(e)
        elif isinstance(e, sp.MatrixSlice) or type(e).__name__ == "SliceAdjoint":
            stack.append(e.args[0])  # the slice bounds and the embedding's shape are indices, not values
        elif isinstance(e, (_CONSTANT_MATRICES, sp.Lambda)) or type(e).__name__ == "Unit":
            continue  # shapes, and the bound variables of an elementwise function
        elif isinstance(e, sp.Basic):
            stack.extend(e.args)
    return found


def is_leaf(expr) -> bool:
    """Atoms of the DAG: symbols, numbers (pi, E...), matrix symbols and constant matrices."""
    return expr.is_Atom or isinstance(expr, _MATRIX_LEAVES)


def _differentiable_args(expr):
    """The arguments of a node that are values (not a Lambda, an index or a shape)."""
    if isinstance(expr, ElementwiseApplyFunction):
        return [expr.args[1]]
    if isinstance(expr, (MatrixElement, sp.MatrixSlice)):
        return [expr.args[0]]
    if isinstance(expr, Elementwise):
        return list(expr.args[1:])
    return [a for a in expr.args if isinstance(a, (sp.Expr, MatrixExpr)) and not isinstance(a, sp.Lambda)]


def _rebuilt(expr, args):
    """``expr`` with its value arguments replaced, in order; other arguments kept."""
    if isinstance(expr, Elementwise):
        return Elementwise(expr.args[0], *args)
    values = iter(args)
    value_args = _differentiable_args(expr)
    full = [next(values) if any(a is v for v in value_args) else a for a in expr.args]
    if isinstance(expr, MATRIX_NODES):
        return expr.func(*full)
    # SymPy's canonical form already holds; the arguments are merely renamed, so
    # evaluating again only costs time.
    try:
        return expr.func(*full, evaluate=False)
    except TypeError:
        return expr.func(*full)


class _Linearizer:
    """Splits expressions into primitive nodes, sharing structurally equal ones.

    Iterative, so 10,000-node graphs do not hit Python's recursion limit.
    Numeric coefficients of Add terms stay inline (``x - y`` is one node, not a
    negation node plus a sum), which keeps op counts and programs small.
    """

    def __init__(self, program: Program, used: set[str], prefix: str | None):
        self.program = program
        self.used = set(used)
        self.prefix = prefix
        self.memo: dict[sp.Expr, sp.Symbol] = {}
        self.counter = 0
        self.owner: str | None = None

    def _name(self) -> str:
        self.counter += 1
        base = f"{self.prefix}{self.counter}" if self.prefix else f"{self.owner}_{self.counter}"
        return fresh_name(base, self.used)

    def _is_inline_term(self, parent, child) -> bool:
        """c*X as an argument stays inline (x - y, exp(-P)): a negation is no node of its own."""
        return (isinstance(child, sp.Mul) and len(child.args) == 2 and child.args[0].is_Number
                and not isinstance(parent, sp.Piecewise))

    def _children(self, expr):
        if isinstance(expr, sp.Piecewise):   # a branch that is a bare symbol or number is a leaf
            return [v for v, _ in expr.args if not is_leaf(v)]
        out = []
        for c in _differentiable_args(expr):
            if self._is_inline_term(expr, c):
                c = c.args[1]
            if not is_leaf(c):
                out.append(c)
        return out

    def _rebuild(self, expr):
        """``expr`` with its children replaced by their node symbols."""
        if isinstance(expr, sp.Piecewise):
            return sp.Piecewise(*[(self._leaf(v), c) for v, c in expr.args])
        args = []
        for c in _differentiable_args(expr):
            if self._is_inline_term(expr, c):
                args.append(c.args[0] * self._leaf(c.args[1]))
            else:
                args.append(self._leaf(c))
        if isinstance(expr, (sp.MatMul, sp.MatAdd, sp.HadamardProduct)):
            check_shapes(type(expr), expr.args)
        if isinstance(expr, sp.MatMul):
            return self._matrix_products(args)
        if isinstance(expr, sp.HadamardProduct) and len(args) > 2:
            acc = args[0]
            for f in args[1:-1]:
                acc = self.program.let(self._name(), sp.HadamardProduct(acc, f))
            return sp.HadamardProduct(acc, args[-1])
        if isinstance(expr, sp.Mul):
            return self._binary_products(args)
        return _rebuilt(expr, args)

    def _matrix_products(self, args):
        """c A B C as a chain of named binary matrix products, scalar factors outside."""
        scalars = [a for a in args if not isinstance(a, MatrixExpr)]
        mats = [a for a in args if isinstance(a, MatrixExpr)]
        acc = mats[0]
        # with a numeric coefficient only, the last product is this node's own; with a symbolic one
        # every matrix product is named and this node is coefficient * product
        symbolic = any(not f.is_Number for s in scalars for f in sp.Mul.make_args(s))
        last = max(len(mats) - 1, 1) if not symbolic else len(mats)
        for f in mats[1:last]:
            acc = self.program.let(self._name(), sp.MatMul(acc, f))
        rest = [acc] + mats[last:]
        return sp.MatMul(*scalars, *rest)

    def _binary_products(self, args):
        """x0*x1*...*x{n-1} as a chain of named binary products.

        The forward pass then holds the prefix products, and the reverse pass
        through the chain gives every dx_i = dy * prod_{j != i} x_j in 2(n-1)
        multiplications, fewer than the 3n-4 of prefix/suffix products built
        afterwards, and still without division.
        """
        coeff = sp.Mul(*[a for a in args if a.is_Number])
        factors = [a for a in args if not a.is_Number]
        if len(factors) < 3:
            return sp.Mul(*args, evaluate=False)
        acc = factors[0]
        for f in factors[1:-1]:
            acc = self.program.let(self._name(), sp.Mul(acc, f, evaluate=False))
        rest = [acc, factors[-1]]
        return sp.Mul(*([coeff] if coeff != 1 else []), *rest, evaluate=False)

    def _leaf(self, expr):
        return expr if is_leaf(expr) else self.memo[expr]

    def leaf_of(self, expr, top_name: str | None = None):
        """Emit nodes for ``expr`` (post-order) and return the atom standing for it."""
        if is_leaf(expr) or expr in self.memo:
            return self._leaf(expr)
        if not isinstance(expr, (sp.Expr, MatrixExpr)):
            raise ProgramError(f"not an expression: {expr}")
        # Post-order by object identity first: SymPy hashes recursively, so a deep
        # expression must be hashed bottom-up (each hash then reuses its children's).
        order = post_order(expr, self._children)
        for node in order:
            hash(node)
            if node in self.memo:
                continue
            name = top_name if (node is expr and top_name) else self._name()
            self.memo[node] = self.program.let(name, self._rebuild(node))
        return self.memo[expr]

    def assign(self, target: sp.Symbol, expr, line=None):
        self.owner, self.counter = target.name, 0
        if is_leaf(expr):
            self.program.let(target, expr, line=line)
            return
        for c in self._children(expr):
            self.leaf_of(c)
        self.program.let(target, self._rebuild(expr), line=line)
        self.memo.setdefault(expr, target)


# -- safe parsing of program text ------------------------------------------------

def _is_matrix(x) -> bool:
    return isinstance(x, MatrixExpr)


def _mult(a, b):
    if _is_matrix(a) and _is_matrix(b):
        raise ShapeError("'*' between two matrices is ambiguous: write A @ B for the matrix "
                         "product or hadamard(A, B) for the entrywise product")
    return a * b


def _matmult(a, b):
    if not (_is_matrix(a) and _is_matrix(b)):
        raise ShapeError("'@' needs two matrices; use '*' with a scalar")
    check_shapes(sp.MatMul, (a, b))
    return sp.MatMul(a, b).doit(deep=False)


def _dims(shape) -> str:
    return f"({shape[0]}, {shape[1]})"


def check_shapes(head, args) -> None:
    """Shapes must agree structurally: n and m are different dimensions even if SymPy cannot tell."""
    args = [a for a in args if isinstance(a, MatrixExpr)]
    if issubclass(head, sp.MatMul):
        for a, b in zip(args, args[1:]):
            if a.shape[1] != b.shape[0]:
                raise ShapeError(f"matrix product of shapes {_dims(a.shape)} and {_dims(b.shape)}: "
                                 f"{a.shape[1]} != {b.shape[0]}")
    elif issubclass(head, (sp.MatAdd, sp.HadamardProduct)):
        for b in args[1:]:
            if b.shape != args[0].shape:
                op = "sum" if issubclass(head, sp.MatAdd) else "Hadamard product"
                raise ShapeError(f"{op} of shapes {_dims(args[0].shape)} and {_dims(b.shape)}")


def _add(a, b, sign=1):
    b = b if sign == 1 else -b
    if _is_matrix(a) and _is_matrix(b) and a.shape != b.shape:
        # the row bias of a layer: M + b with b a 1 x k row, broadcast down the rows
        from .matrix import AddRowBias
        for M, v in ((a, b), (b, a)):
            if v.shape == (1, M.shape[1]) and M.shape[0] != 1:
                return AddRowBias(M, v)
        raise ShapeError(f"cannot add matrices of shapes {a.shape} and {b.shape}")
    if _is_matrix(a) != _is_matrix(b) and not (a == 0 or b == 0):
        raise ShapeError("cannot add a matrix and a scalar; use sum(...) or a 1 x 1 matrix")
    return a + b


def _power(a, b):
    if _is_matrix(a):
        if b == -1:
            return sp.Inverse(a)
        if not (isinstance(b, sp.Integer) and a.shape[0] == a.shape[1]):
            raise ShapeError("a matrix power needs a square matrix and an integer exponent "
                             "(A**2 is A @ A, A**-1 the inverse); for entrywise powers use hadamard_power(A, p)")
        if abs(int(b)) > _MAX_MATRIX_EXPONENT:   # the adjoint of A**k has k terms
            raise ShapeError(f"matrix exponent {b} is too large (at most {_MAX_MATRIX_EXPONENT}); "
                             f"name intermediate powers instead")
        return sp.MatPow(a, b)
    return a ** b


_BINOPS = {ast.Add: _add, ast.Sub: lambda a, b: _add(a, b, -1),
           ast.Mult: _mult, ast.Div: lambda a, b: a / b,
           ast.Pow: _power, ast.MatMult: _matmult}
_MAX_NUMERIC_EXPONENT = 1000
_MAX_MATRIX_EXPONENT = 64


class _ExprBuilder:
    """Turns a whitelisted Python expression AST into SymPy, never executing it."""

    def __init__(self, functions: dict, symbols: dict[str, sp.Symbol], line_offset: int = 0,
                 bind=None, source: str | None = None):
        self.functions = functions
        self.symbols = symbols
        self.line_offset = line_offset
        self._source_lines = source.splitlines() if source else None   # a decimal read as written
        # bind(expr) -> atom: names each compound node, so an expression string
        # keeps the shape it was written in (x*y stays one node under 1/(x*y)).
        self.bind = bind or (lambda expr: expr)

    def _err(self, node, message, cls=ParseError):
        return cls(message, line=getattr(node, "lineno", 0) + self.line_offset,
                   column=getattr(node, "col_offset", -1) + 1)

    def _literal(self, node) -> str | None:
        text, why = literal_as_written(self._source_lines, node)   # Python's float makes 1e-400 0.0
        if why:
            raise self._err(node, why)
        return text

    def build(self, node):
        try:
            return self._build(node)
        except RecursionError:
            raise self._err(node, "expression nested too deeply") from None

    def _build(self, node):
        if isinstance(node, ast.BinOp) and type(node.op) in CHAIN_FAMILY and len(chain := left_chain(node)) >= FLAT_CHAIN:
            return self._build_chain(node, chain)
        if isinstance(node, ast.BinOp):
            op = _BINOPS.get(type(node.op))
            if op is None:
                raise self._err(node, f"operator {type(node.op).__name__} is not allowed "
                                      f"(allowed: + - * / **)")
            left, right = self._build(node.left), self._build(node.right)
            if (isinstance(node.op, ast.Pow) and getattr(left, "is_Number", False)
                    and getattr(right, "is_Number", False)
                    and abs(right) > _MAX_NUMERIC_EXPONENT):
                raise self._err(node, f"numeric power with exponent {short_number(right)} is too large "
                                      f"(at most {_MAX_NUMERIC_EXPONENT:,} in absolute value)")
            if isinstance(node.op, ast.Pow) and power_too_large(left, right):
                raise self._err(node, power_too_large(left, right))
            if isinstance(node.op, ast.Div) and right == 0:
                raise self._err(node, "division by zero")
            if isinstance(node.op, ast.Div) and _is_matrix(right):
                raise self._err(node, "division by a matrix; use inv(A) or A**-1", ShapeError)
            try:
                return self._binop(node, op, left, right)
            except ShapeError as exc:
                raise self._err(node, str(exc), ShapeError) from None
            except (ValueError, TypeError) as exc:  # SymPy's own shape errors are ValueErrors
                raise self._err(node, f"cannot combine {_describe(left)} and {_describe(right)}: {exc}",
                                ShapeError) from None

        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return self.bind(-self._build(node.operand))
            if isinstance(node.op, ast.UAdd):
                return self._build(node.operand)
            raise self._err(node, f"unary operator {type(node.op).__name__} is not allowed")
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise self._err(node, f"constant {v!r} is not a real number")
            if isinstance(v, float):
                if v != v or v in (float("inf"), float("-inf")):
                    raise self._err(node, f"constant {v!r} is not finite")
                return sp.Rational(self._literal(node) or repr(v))  # exact decimal, so 0.1 stays 1/10
            return sp.Integer(v)
        if isinstance(node, ast.Attribute):
            if node.attr != "T":
                raise self._err(node, f"attribute .{node.attr} is not allowed (only .T, the transpose)")
            value = self._build(node.value)
            if not _is_matrix(value):
                raise self._err(node, ".T of a scalar", ShapeError)
            return self.bind(value.T)
        if isinstance(node, ast.Name):
            if node.id in _CONSTANTS:
                return _CONSTANTS[node.id]
            if node.id in self.functions:
                raise self._err(node, f"function {node.id!r} used as a value")
            sym = self.symbols.get(node.id)
            if sym is None:
                sym = self.symbols[node.id] = _real_symbol(node.id)
            return sym
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise self._err(node, "only calls of plain function names are allowed")
            fn = self.functions.get(node.func.id)
            if fn is None:
                raise self._err(node, f"unknown function {node.func.id!r} "
                                      f"(known: {', '.join(sorted(self.functions))})",
                                UnknownFunctionError)
            if node.keywords:
                raise self._err(node, f"keyword arguments are not allowed in a call of {node.func.id}")
            args = [self._build(a) for a in node.args]
            if len(args) == 1 and _is_matrix(args[0]) and node.func.id not in MATRIX_NAMES:
                return self.bind(args[0].applyfunc(fn))  # a scalar function entry by entry
            try:
                return self.bind(note(fn(*args)))
            except ShapeError as exc:
                raise self._err(node, f"{node.func.id}: {exc}", ShapeError) from None
            except (TypeError, ValueError, AttributeError) as exc:
                raise self._err(node, f"bad call of {node.func.id}: {exc}") from None
        raise self._err(node, f"{type(node).__name__} is not allowed in an expression")

    def _binop(self, node, op, left, right):
        if isinstance(node.op, ast.Div):
            note_divisor(right)   # before the quotient can cancel it: (x-y)**2/(x-y) is x - y to SymPy
        if isinstance(node.op, ast.Div) and left != 1:
            # G/M as G*H with H = 1/M named, the lecture's form of a quotient
            return self.bind(left * self.bind(1 / right))
        return self.bind(note(self._bounded(node, op(left, right))))

    def _bounded(self, node, value):
        if message := too_large(value):
            raise self._err(node, message)
        return value

    def _build_chain(self, node, chain):
        """A long ``a + b - c ...`` or ``a * b * ...``: built without recursion; one n-ary node of scalars."""
        values = [self._build(chain[0])] + [self._build(operand) for _, operand in chain[1:]]
        if any(_is_matrix(v) for v in values):
            for (op, _), right in zip(chain[1:], values[1:]):
                values[0] = self.bind(self._bounded(node, _BINOPS[type(op)](values[0], right)))
            return values[0]
        if not isinstance(node.op, ast.Mult):
            values[1:] = [v if isinstance(op, ast.Add) else self.bind(-v) for (op, _), v in zip(chain[1:], values[1:])]
        return self.bind(self._bounded(node, (sp.Mul if isinstance(node.op, ast.Mult) else sp.Add)(*values)))


def _describe(x) -> str:
    return f"a matrix of shape {x.shape}" if _is_matrix(x) else "a scalar"


def _parse_module(text: str, mode: str):
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_TEXT_LENGTH:
        raise ParseError(f"input of {len(text)} characters exceeds the limit of {MAX_TEXT_LENGTH}")
    try:
        with deep_parsing():   # a flat sum of thousands of terms is a left-nested tree to Python's parser
            return ast.parse(text, mode=mode)
    except SyntaxError as exc:
        message, line_text = syntax_error(exc)
        raise ParseError(message, line=exc.lineno, column=exc.offset, text=line_text) from None
    except (RecursionError, MemoryError, ValueError) as exc:   # Python's parser: MemoryError when nested too deeply
        raise ParseError(TOO_DEEP if isinstance(exc, (RecursionError, MemoryError))
                         else f"cannot parse: {type(exc).__name__}: {exc}") from None


def parse_expression(text: str, *, functions: dict | None = None,
                     symbols: dict[str, sp.Symbol] | None = None) -> sp.Expr:
    """Parse one expression such as ``"sin(x+y)/(x*y)"`` safely (no eval)."""
    tree = _parse_module(text.strip(), "eval")
    return _ExprBuilder(functions or FUNCTION_NAMES, {} if symbols is None else symbols, source=text.strip()).build(tree.body)


def parse_expression_program(text: str, *, output: str = "F", functions: dict | None = None) -> Program:
    """An expression string as a program that keeps the written structure.

    ``sin(x+y)/(x*y)`` becomes S = x + y, G = sin(S), M = x*y, F = G/M: each
    operator and call is one node (structurally equal ones shared), so SymPy's
    flattening of products and sums does not reshape the graph.
    """
    tree = _parse_module(text.strip(), "eval")
    symbols: dict[str, sp.Symbol] = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and n.id not in _CONSTANTS and n.id not in (functions or FUNCTION_NAMES):
            symbols.setdefault(n.id, _real_symbol(n.id))
    used = set(symbols)
    program = Program()
    memo: dict[sp.Expr, sp.Symbol] = {}
    counter = itertools.count(1)

    def bind(expr):
        if is_leaf(expr):
            return expr
        if expr not in memo:
            memo[expr] = program.let(fresh_name(f"t{next(counter)}", used), expr)
        return memo[expr]

    result = _ExprBuilder(functions or FUNCTION_NAMES, symbols, bind=bind, source=text.strip()).build(tree.body)
    out_name = fresh_name(output, used)
    if len(program) and result == program.targets()[-1]:
        # rename the last node to the output name
        last = program.lines[-1]
        renamed = Program()
        for a in program.lines[:-1]:
            renamed.let(a.target, a.expr)
        renamed.let(out_name, last.expr)
        return renamed.set_output(renamed.targets()[-1])
    program.let(out_name, result)
    return program.set_output(program.targets()[-1])


def parse_program(text: str, *, output: str | None = None, functions: dict | None = None) -> Program:
    """Parse program text: one ``name = expression`` per line, ``#`` comments allowed.

    A declaration line ``x: positive`` (or ``real``, ``nonnegative``) gives an
    input assumptions.  Names never assigned are inputs; the last assignment
    is the output unless ``output`` names another.
    """
    tree = _parse_module(text, "exec")
    functions = functions or FUNCTION_NAMES
    symbols: dict[str, sp.Symbol] = {}
    builder = _ExprBuilder(functions, symbols, source=text)
    program = Program()
    assigned_at: dict[str, int] = {}
    uses: list[tuple[str, int]] = []
    for stmt in tree.body:
        line = stmt.lineno
        if isinstance(stmt, ast.AnnAssign) and stmt.value is None and isinstance(stmt.target, ast.Name):
            _declare(stmt, symbols, assigned_at)
            continue
        if not isinstance(stmt, ast.Assign):
            raise ParseError(f"{type(stmt).__name__} is not allowed; each line must be "
                             f"'name = expression'", line=line)
        if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
            raise ParseError("the left-hand side must be a single name", line=line)
        name = stmt.targets[0].id
        if name in functions or name in _CONSTANTS:
            raise ParseError(f"{name!r} is a function or constant name and cannot be assigned", line=line)
        if name in assigned_at:
            raise ProgramError(f"line {line}: name {name!r} is assigned twice "
                               f"(first on line {assigned_at[name]})")
        for n in ast.walk(stmt.value):
            if isinstance(n, ast.Name) and n.id not in functions and n.id not in _CONSTANTS:
                uses.append((n.id, line))
        expr = builder.build(stmt.value)
        assigned_at[name] = line
        symbols[name] = program.let(name, expr, line=line)
    for name, line in uses:
        if name in assigned_at and assigned_at[name] > line:
            raise ProgramError(f"line {line}: {name!r} is used before its assignment on line "
                               f"{assigned_at[name]}")
    if not len(program):
        raise ProgramError("the program has no assignments")
    if output is not None:
        if output not in assigned_at:
            raise ProgramError(f"output {output!r} is never assigned")
        program.set_output(symbols[output])
    return program


def _shape_of(ann: ast.Tuple, symbols, line) -> tuple:
    """``(n, m)``, ``(3, k)`` or ``(n,)`` (a column) from a declaration."""
    dims = []
    for d in ann.elts:
        if isinstance(d, ast.Constant) and isinstance(d.value, int) and not isinstance(d.value, bool) and d.value > 0:
            dims.append(sp.Integer(d.value))
        elif isinstance(d, ast.Name):
            dims.append(sp.Symbol(d.id, integer=True, positive=True))
        else:
            raise ParseError("a shape is a tuple of positive integers and names, e.g. (n, m)", line=line)
    if len(dims) == 1:
        dims.append(sp.Integer(1))
    if len(dims) != 2:
        raise ParseError(f"a shape has one or two dimensions, got {len(dims)}", line=line)
    return tuple(dims)


_ASSUMPTION_WORDS = {"real": {}, "positive": {"positive": True}, "nonnegative": {"nonnegative": True},
                     "negative": {"negative": True}, "nonzero": {"nonzero": True}}


def _declare(stmt, symbols, assigned_at):
    name = stmt.target.id
    line = stmt.lineno
    if name in symbols:
        raise ProgramError(f"line {line}: {name!r} is declared after its first use")
    ann = stmt.annotation
    if isinstance(ann, ast.Tuple):
        symbols[name] = sp.MatrixSymbol(name, *_shape_of(ann, symbols, line))
        return
    word = ann.id if isinstance(ann, ast.Name) else None
    if word not in _ASSUMPTION_WORDS:
        raise ParseError(f"unknown declaration for {name!r}; expected one of "
                         f"{', '.join(_ASSUMPTION_WORDS)}", line=line)
    symbols[name] = _real_symbol(name, **_ASSUMPTION_WORDS[word])


def as_program(f, *, output: str | None = None) -> Program:
    """Any accepted function form as a ``Program``: Program, program text, expression text, or SymPy."""
    if isinstance(f, Program):
        return f
    if isinstance(f, str):
        if looks_like_program(f):
            return parse_program(f, output=output)
        return parse_expression_program(f, output=output or "F")
    if isinstance(f, (sp.Expr, MatrixExpr)):
        return Program.from_expr(f, output=output or "F")
    raise ProgramError(f"cannot make a program of {type(f).__name__}; expected a SymPy expression, "
                       f"program text, an expression string or a symdiff.Program")


def looks_like_program(text: str) -> bool:
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" in line.replace("==", "") or (":" in line and not line.startswith("(")):
            return True
    return False
