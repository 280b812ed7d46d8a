#!/usr/bin/env bash
# Installs everything symdiff needs on a fresh Debian machine with Python >= 3.11:
# the LaTeX engine (with Cyrillic support), Graphviz and poppler (reports) from Debian, the package
# from PyPI with the test, jax and dask extras.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v latexmk >/dev/null 2>&1 || need+=(texlive-latex-base texlive-latex-recommended texlive-pictures latexmk lmodern)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# Cyrillic LaTeX (babel russian, T2A fonts) for `symdiff check --annotate` on Russian notes
kpsewhich t2aenc.def >/dev/null 2>&1 || need+=(texlive-lang-cyrillic cm-super)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "symdiff setup: not root, skipping Debian packages: ${need[*]} (reports need them)" >&2
  fi
fi
# the JAX and Dask backends are extras; CI installs them (CPU) so their tests run
python3 -m pip install --quiet --disable-pip-version-check -e '.[test,jax,dask]'
