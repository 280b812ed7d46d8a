"""The notation corpus: claims copied or paraphrased from eight public styles, each with
its expected verdict (tests/verifier/corpus/notation_claims.py).  The bar: no wrong claim
accepted, no right claim refuted, and at least 90 % decided."""
import collections

import pytest

from symdiff import verify
from corpus.notation_claims import CLAIMS

# The program builder cannot rebuild a Piecewise whose branch is a bare symbol or a
# non-constant "otherwise" (symdiff/program.py, _rebuilt: TypeError in Symbol.__new__);


def test_corpus_covers_the_styles_and_the_mistakes():
    styles = collections.Counter(style for style, *_ in CLAIMS)
    wrong = sum(1 for *_, expected in CLAIMS if expected == "refuted")
    assert len(CLAIMS) >= 100 and len(styles) >= 8 and min(styles.values()) >= 8
    assert wrong >= len(CLAIMS) / 4


@pytest.mark.parametrize("k", range(len(CLAIMS)), ids=lambda k: f"{CLAIMS[k][0]}-{k}")
def test_claim_gets_its_verdict(k):
    style, f, wrt, claimed, where, variables, expected = CLAIMS[k]
    verdict = verify(f, wrt, claimed, where=where, variables=variables, budget=10)
    assert verdict.read_as  # how the LaTeX was read, for the user to confirm
    if expected == "holds":
        assert verdict.status in ("proved", "consistent"), verdict.explanation
    else:
        assert verdict.status == "refuted", verdict.explanation
