"""Checking gradient rules against independent witnesses over Hypothesis-generated inputs.

``check_rule(f, x, derivative)`` accepts four forms of a rule:

* an expression and its claimed derivative:
  ``check_rule(sp.tanh(x), x, 1 - sp.tanh(x)**2)`` (``derivative`` may be
  omitted: then symdiff's own gradient of ``f`` is what is checked);
* a SymPy head and a vector-Jacobian rule in the style of the rule table,
  ``(g, ans, *args) -> contribution(s)``:
  ``check_rule(sp.tanh, x, lambda g, ans, x: g * (1 - ans**2))``;
* a tape ``Op`` (``symdiff.tape.OPS["tanh"]``): its vjps, through the tape;
* a NumPy forward and a NumPy VJP ``(inputs, output, g) -> grads``:
  ``check_rule(np.tanh, arrays((3,)), lambda xs, y, g: [g * (1 - y**2)])``.

The reference is always central finite differences (with one Richardson
step), computed in float64 on the forward alone.  The other witnesses are the
claimed rule, symdiff's gradient (``symdiff.gradient`` compiled), the tape
engine fed through a forward-only translation, and ``sympy.diff``; each must
agree with the finite differences.  Points where the finite differences are
unreliable (a kink or a pole within the step: the Richardson and the plain
central estimates disagree, or a tie of max, |x| at 0...) are rejected, not
reported.  A failure raises ``AssertionError`` naming the argument, the input,
the expected and actual values and the relative error.

The checkers themselves are in ``checkers.py`` (``GradientChecker``,
``VJPChecker``), numeric evaluation in ``evaluation.py``, the Hypothesis
driver in ``running.py``; finite differences, tolerances, the comparison and
the kink rules in ``symdiff.harness``.
"""
from __future__ import annotations

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from ..harness import ATOL, RTOL
from ..program import Program
from ..rules.base import RuleContext, RuleTable
from ..tape.ops import Op, apply
from .checkers import GradientChecker, VJPChecker
from .running import run_examples
from .strategies import values_for
from .tape_inputs import OpCall, op_inputs

__all__ = ["check_rule", "GradientChecker", "VJPChecker"]


def _op_forward(op: Op):
    def forward(*xs, **params):
        return apply(op, xs, params)
    forward.__name__ = f"tape op {op.name!r}"
    return forward


# ------------------------------------------------------------------------------ check_rule

def check_rule(f, x=None, derivative=None, *, domain=None, dims=None, max_examples: int | None = None,
               rtol: float = RTOL, atol: float = ATOL, rules: RuleTable | None = None,
               tie_policy: str = "first", params: dict | None = None, symmetric=(), witnesses=None,
               seed: int | None = None, shrink: bool = True) -> None:
    """Check a derivative or a vector-Jacobian rule over Hypothesis-generated inputs.

    Forms (see the module docstring): ``check_rule(expr, x, derivative)``,
    ``check_rule(head, args, vjp)``, ``check_rule(op, inputs)`` and
    ``check_rule(numpy_forward, inputs, numpy_vjp)``.

    ``domain``: where points are drawn — ``(lo, hi)`` for all variables, or
    ``{symbol: (lo, hi) | structure | strategy}``; by default from the
    symbols' assumptions (positive: (0.1, 3)) or (-2, 2).  ``dims``: sizes
    of symbolic matrix dimensions (drawn from 1..3 otherwise).
    ``max_examples``: points to try (default: the active Hypothesis profile's).
    ``rules``: the rule table symdiff's witness uses (to test a modified table).
    ``witnesses``: restrict to some of "symdiff", "tape", "sympy.diff".
    ``params``: fixed keyword parameters of a NumPy forward or tape op.
    ``symmetric``: variables (or input positions) whose gradient is w.r.t.
    a symmetric matrix.  ``seed``: a fixed Hypothesis seed.  ``shrink=False``
    reports the first failing input as found (faster, less readable).

    Raises ``AssertionError`` naming the argument, the input, the expected
    (finite differences) and actual values and the relative error.
    """
    if isinstance(f, Op):
        return _check_numpy(_op_forward(f), x if x is not None else op_inputs(f.name), None,
                            label=f"tape op {f.name!r}", claimed="tape", params=params, symmetric=symmetric,
                            max_examples=max_examples, rtol=rtol, atol=atol, seed=seed, shrink=shrink)
    if isinstance(f, type) and issubclass(f, sp.Basic):
        return _check_head(f, x, derivative, domain=domain, max_examples=max_examples, rtol=rtol, atol=atol,
                           rules=rules, tie_policy=tie_policy, witnesses=witnesses, seed=seed, shrink=shrink)
    if isinstance(f, (sp.Basic, str, Program)):
        if x is None:
            raise TypeError("check_rule(expr, x, ...): name the variables x to differentiate with respect to")
        checker = GradientChecker(f, x, derivative, rules=rules, rtol=rtol, atol=atol, tie_policy=tie_policy,
                                  symmetric=_structured_symmetric(domain, symmetric), witnesses=witnesses)
        strategy = values_for(checker.drawn, domain=domain, dims=dims)
        return run_examples(checker.check, strategy, max_examples=max_examples, seed=seed, shrink=shrink)
    if callable(f):
        if derivative is None:
            raise TypeError("check_rule(numpy_forward, inputs, vjp): a NumPy forward needs its VJP "
                            "(inputs, output, g) -> grads")
        return _check_numpy(f, x, derivative, label=getattr(f, "__name__", repr(f)), claimed="claimed VJP",
                            params=params, symmetric=symmetric, max_examples=max_examples, rtol=rtol,
                            atol=atol, seed=seed, shrink=shrink)
    raise TypeError(f"check_rule cannot check a {type(f).__name__}: pass a SymPy expression, a SymPy "
                    f"function class, a tape Op or a NumPy function")


def _structured_symmetric(domain, symmetric):
    out = list(symmetric or ())
    if isinstance(domain, dict):
        out += [s for s, d in domain.items() if d in ("symmetric", "spd")]
    return out


def _check_head(head, args, vjp, *, domain, max_examples, rtol, atol, rules, tie_policy, witnesses, seed,
                shrink):
    """A VJP rule for a head, checked in a context where the adjoint g is not 1:
    F = T + T²/2 with T = head(args), so dF/dT = 1 + T, and dF/dx_i is the
    rule's contribution for g = 1 + T, ans = T."""
    from ..reverse import DEFAULT_RULES

    if args is None:
        raise TypeError("check_rule(head, args, vjp): give the argument symbols")
    args = [args] if isinstance(args, (sp.Symbol, str)) else list(args)
    args = [sp.Symbol(a, real=True) if isinstance(a, str) else a for a in args]
    node = head(*args)
    if not isinstance(node, head):
        raise ValueError(f"{head.__name__}{tuple(args)} evaluates to {node}: choose argument symbols "
                         f"(with assumptions) on which it stays a {head.__name__} node")
    arg_rules = _per_argument(vjp, len(args))
    program = Program(inputs=args)
    T = program.let("T", node)
    program.let("F", T + T ** 2 / 2)
    g, ans = 1 + node, node
    claimed = []
    for i, r in enumerate(arg_rules):
        contribution = r(g, ans, *args) if r is not None else sp.Integer(0)
        claimed.append(sp.sympify(contribution))

    def rule(ctx: RuleContext):
        return [(a, r(ctx.g, ctx.ans, *ctx.args)) for a, r in zip(ctx.args, arg_rules) if r is not None]

    base = rules or DEFAULT_RULES
    with_claimed = RuleTable({**base.rules, head: rule}, dict(base.names))
    checker = GradientChecker(program, args, claimed, rules=rules, tie_policy=tie_policy, rtol=rtol, atol=atol,
                              rule_tables={"reverse pass with the claimed rule": with_claimed},
                              witnesses=witnesses, claimed_label="claimed rule",
                              function_label=f"T + T**2/2 with T = {sp.sstr(node)} (so g = 1 + T)")
    strategy = values_for(checker.drawn, domain=domain)
    return run_examples(checker.check, strategy, max_examples=max_examples, seed=seed, shrink=shrink)


def _per_argument(vjp, arity):
    """One rule per argument, from a sequence of rules or one rule returning all contributions."""
    if isinstance(vjp, (list, tuple)):
        if len(vjp) != arity:
            raise ValueError(f"{len(vjp)} rules given for {arity} arguments")
        return list(vjp)
    if arity == 1:
        return [vjp]

    def nth(i):
        def rule(g, ans, *args):
            out = vjp(g, ans, *args)
            if not isinstance(out, (list, tuple)) or len(out) != arity:
                raise ValueError(f"the rule must return {arity} contributions, one per argument; got {out!r}")
            return out[i]
        return rule

    return [nth(i) for i in range(arity)]


def _inputs_strategy(x, params, symmetric):
    """``x`` as a strategy of OpCall: a strategy (of OpCall, tuples or arrays), a shape, or a list of them."""
    from .strategies import arrays

    def as_call(value):
        if isinstance(value, OpCall):
            return value if not symmetric else OpCall(value.inputs, value.params,
                                                      tuple(set(value.symmetric) | set(symmetric)), value.argnums)
        inputs = value if isinstance(value, tuple) else (value,)
        return OpCall(tuple(np.asarray(v, dtype=float) for v in inputs), dict(params or {}), tuple(symmetric))

    if isinstance(x, st.SearchStrategy):
        return x.map(as_call)
    if isinstance(x, tuple) and all(isinstance(d, int) for d in x):
        return arrays(x).map(as_call)
    if isinstance(x, (list, tuple)):
        parts = [p if isinstance(p, st.SearchStrategy) else arrays(tuple(p)) for p in x]
        return st.tuples(*parts).map(as_call)
    raise TypeError(f"cannot draw inputs from {x!r}: give a strategy, a shape or a list of them")


@st.composite
def _with_cotangent(draw, calls, forward):
    from .strategies import arrays

    call = draw(calls)
    try:
        with np.errstate(all="ignore"):
            shape = np.shape(forward(*call.inputs, **call.params))
    except Exception:
        shape = ()   # the check itself reports (or rejects) a forward that fails
    return call, draw(arrays(shape))


def _check_numpy(forward, x, vjp, *, label, claimed, params, symmetric, max_examples, rtol, atol, seed, shrink):
    if x is None:
        raise TypeError("check_rule(forward, inputs, ...): describe the inputs (a strategy or shapes)")
    if claimed == "tape":
        checker = VJPChecker(forward, None, rtol=rtol, atol=atol, label=label)
    else:
        checker = VJPChecker(forward, vjp, rtol=rtol, atol=atol, label=label, claimed_label=claimed)
    calls = _inputs_strategy(x, params, tuple(symmetric or ()))
    return run_examples(lambda pair: checker.check(*pair), _with_cotangent(calls, forward),
                max_examples=max_examples, seed=seed, shrink=shrink)
