"""The style corpus (tests/verifier/corpus/style_claims.py): claims in the held-out form, in styles
the other corpora do not cover, each with its expected verdict.  The bar: no wrong claim accepted,
no right claim refuted, and every claim decided."""
import collections

import pytest

from symdiff import verify
from corpus.style_claims import CLAIMS


def test_corpus_covers_the_styles_and_the_mistakes():
    styles = collections.Counter(style for style, *_ in CLAIMS)
    wrong = sum(1 for *_, expected in CLAIMS if expected == "refuted")
    assert len(CLAIMS) >= 60 and len(styles) >= 7 and min(styles.values()) >= 8
    assert wrong >= len(CLAIMS) / 4


@pytest.mark.parametrize("k", range(len(CLAIMS)), ids=lambda k: f"{CLAIMS[k][0]}-{k}")
def test_claim_gets_its_verdict(k):
    style, f, wrt, claimed, where, variables, expected = CLAIMS[k]
    # a generous budget: on a loaded machine a matrix check at named sizes can take several seconds
    verdict = verify(f, wrt, claimed, where=where, variables=variables, budget=30)
    assert verdict.read_as
    if expected == "holds":
        assert verdict.status in ("proved", "consistent"), verdict.explanation
    else:
        assert verdict.status == "refuted", verdict.explanation
