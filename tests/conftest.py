from symdiff.testing.profiles import load_profile, register_profiles

# CI stays fast: bounded example counts (the "ci" profile of symdiff.testing.profiles);
# `--hypothesis-profile=thorough` for long runs.
register_profiles()
load_profile()
