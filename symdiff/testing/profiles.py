"""symdiff's Hypothesis profiles, and example counts that follow the active profile.

``PROFILES`` is the one definition: "ci" (bounded example counts, so the whole
suite stays within CI's time) and "thorough" (for long runs).  A test suite
registers them with ``register_profiles()`` and activates one with
``load_profile()`` (``tests/conftest.py`` does both); Hypothesis's own
``--hypothesis-profile=thorough`` option then switches profiles.

A test that is costly per example runs a fraction of the profile's
``max_examples`` rather than a fixed number (``profile_examples``,
``profile_settings``), so a thorough profile still runs many more examples
than the CI one.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# deadline None: the per-example time of symbolic work varies with the machine's load
PROFILES = {
    "ci": {"max_examples": 30, "deadline": None,
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]},
    "thorough": {"max_examples": 1000, "deadline": None,
                 "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]},
}
DEFAULT_PROFILE = "ci"


def register_profiles() -> None:
    """Register every profile of ``PROFILES`` with Hypothesis."""
    for name, options in PROFILES.items():
        settings.register_profile(name, **options)


def load_profile(name: str | None = None) -> None:
    """Activate profile ``name``; by default the environment's ``HYPOTHESIS_PROFILE``, else "ci"."""
    settings.load_profile(name or os.environ.get("HYPOTHESIS_PROFILE", DEFAULT_PROFILE))


def profile_examples(fraction: float = 1.0, minimum: int = 1) -> int:
    """``fraction`` of the active profile's ``max_examples``, at least ``minimum``."""
    return max(minimum, int(settings.default.max_examples * fraction))


def profile_settings(fraction: float = 1.0, minimum: int = 1, **kwargs) -> settings:
    """``settings`` inheriting the active profile, with a fraction of its examples."""
    return settings(settings.default, max_examples=profile_examples(fraction, minimum), **kwargs)
