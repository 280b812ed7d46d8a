"""Programs as text: a ``StrPrinter`` in the notation program text is written in.

Scalar programs print back to text that ``parse_program`` reads; matrix
programs use ``@``, ``.T``, ``inv``, ``hadamard`` and symdiff's node names
(``sum``, ``softmax``, ``colsum`` ...), and entrywise functions print in
brackets, ``[1 - Y**2]``.
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr
from sympy.printing.str import StrPrinter


_BARE = (sp.MatrixSymbol, sp.Transpose, sp.Inverse, sp.Identity, sp.OneMatrix, sp.ZeroMatrix,
         sp.HadamardProduct, sp.PermutationMatrix)


class ProgramTextPrinter(StrPrinter):
    def _operand(self, m):
        if isinstance(m, _BARE) or type(m).__module__ == "symdiff.matrix":
            return self._print(m)
        return f"({self._print(m)})"

    def _print_MatMul(self, expr):
        scalars = [a for a in expr.args if not isinstance(a, MatrixExpr)]
        mats = [a for a in expr.args if isinstance(a, MatrixExpr)]
        code = " @ ".join(self._operand(m) for m in mats)
        if not scalars:
            return code
        c = sp.Mul(*scalars)
        if c == -1:
            return f"-{code}" if len(mats) == 1 else f"-({code})"
        return f"{self.parenthesize(c, 50)}*{code}" if len(mats) == 1 else f"{self.parenthesize(c, 50)}*({code})"

    def _print_Transpose(self, expr):
        return f"{self._operand(expr.arg) if not isinstance(expr.arg, sp.HadamardProduct) else '(' + self._print(expr.arg) + ')'}.T"

    def _print_Inverse(self, expr):
        return f"inv({self._print(expr.arg)})"

    def _print_HadamardProduct(self, expr):
        return f"hadamard({', '.join(self._print(a) for a in expr.args)})"

    def _print_HadamardPower(self, expr):
        return f"hadamard_power({self._print(expr.base)}, {self._print(expr.exp)})"

    def _print_PermutationMatrix(self, expr):
        return f"perm({list(expr.args[0].array_form)})"

    def _print_Trace(self, expr):
        return f"trace({self._print(expr.arg)})"

    def _print_Determinant(self, expr):
        return f"det({self._print(expr.arg)})"

    def _print_Identity(self, expr):
        return f"I({self._print(expr.shape[0])})"

    def _print_OneMatrix(self, expr):
        return f"ones({self._print(expr.shape[0])}, {self._print(expr.shape[1])})"

    def _print_ZeroMatrix(self, expr):
        return f"zeros({self._print(expr.shape[0])}, {self._print(expr.shape[1])})"

    def _print_ElementwiseApplyFunction(self, expr):
        f, x = expr.function, expr.expr
        body = f.expr
        if isinstance(body, sp.Function) and body.args == f.variables:
            return f"{type(body).__name__}({self._print(x)})"
        return f"[{self._print(body.xreplace({f.variables[0]: x}))}]"

    def _print_Elementwise(self, expr):
        # the body with each variable renamed to its operand's text: substituting the matrices
        # themselves would ask SymPy for sin(A) and A*B of matrices
        lam = expr.function
        names = {v: sp.Symbol(self._operand(m) if not isinstance(m, sp.MatrixSymbol) else m.name)
                 for v, m in zip(lam.variables, expr.args[1:])}
        return f"[{self._print(lam.expr.xreplace(names))}]"

    def _node(name):
        def method(self, expr):
            return f"{name}({', '.join(self._print(a) for a in expr.args)})"
        return method

    _print_SumEntries = _node("sum")
    _print_LogDet = _node("logdet")
    _print_Cholesky = _node("cholesky")
    _print_CholeskyGrad = _node("cholesky_grad")
    _print_LogSumExpRows = _node("logsumexp")
    _print_ColSums = _node("colsum")
    _print_RowSums = _node("rowsum")
    _print_ScaleRows = _node("scale_rows")
    _print_Unit = _node("unit")
    del _node

    def _print_AddRowBias(self, expr):
        M, b = expr.args
        return f"{self._print(M)} + {self._print(b)}"


_PRINTER = ProgramTextPrinter()


def program_text(expr) -> str:
    return _PRINTER.doprint(expr)
