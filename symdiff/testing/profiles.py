"""Example counts that follow the active Hypothesis profile.

A test that is costly per example runs a fraction of the profile's
``max_examples`` rather than a fixed number, so a thorough profile still runs
many more examples than the CI one.
"""
from __future__ import annotations

from hypothesis import settings


def profile_examples(fraction: float = 1.0, minimum: int = 1) -> int:
    """``fraction`` of the active profile's ``max_examples``, at least ``minimum``."""
    return max(minimum, int(settings.default.max_examples * fraction))


def profile_settings(fraction: float = 1.0, minimum: int = 1, **kwargs) -> settings:
    """``settings`` inheriting the active profile, with a fraction of its examples."""
    return settings(settings.default, max_examples=profile_examples(fraction, minimum), **kwargs)
