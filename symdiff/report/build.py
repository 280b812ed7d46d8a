"""``write_reports``: load, check, write the .tex, compile, then move everything into place."""
from __future__ import annotations

import os
import pathlib
import shutil
import tempfile
from dataclasses import dataclass, field

from ..errors import SymdiffError

__all__ = ["write_reports", "ReportRun", "output_names"]


@dataclass
class ReportRun:
    written: list = field(default_factory=list)     # final paths (.tex and .pdf)
    results: list = field(default_factory=list)     # every ClaimResult
    pdf: bool = False                                # PDFs were compiled
    note: str = ""                                   # why not, when not

    @property
    def all_match(self) -> bool:
        return all(r.matches for r in self.results)


def output_names(paths) -> list[tuple[pathlib.Path, pathlib.PurePosixPath]]:
    """(file, relative output name without suffix): files in a folder keep their path below it."""
    from ..derivations.load import find_derivation_files

    out, seen = [], {}
    for p in paths:
        root = pathlib.Path(p)
        files = find_derivation_files([root])
        for f in files:
            rel = f.relative_to(root).with_suffix("") if root.is_dir() else pathlib.Path(f.stem)
            name = pathlib.PurePosixPath(*rel.parts)
            key = str(name)
            if key in seen and seen[key] != f.resolve():
                raise SymdiffError(f"two derivation files would both be reported as {key}.tex: "
                                   f"{seen[key]} and {f}")
            if key not in seen:
                seen[key] = f.resolve()
                out.append((f, name))
    return out


def write_reports(paths, out_dir, *, seed: int = 0, pdf: str = "auto", progress=None, jobs: int | None = 1,
                  scheduler: str | None = None) -> ReportRun:
    """Write one report per derivation file into ``out_dir``; ``pdf`` is 'auto', 'always' or 'never'.

    The claims are checked by ``symdiff.derivations.pool`` (``jobs`` processes, or the Dask
    ``scheduler``) before any document is written.
    """
    from ..derivations.load import load_derivation
    from ..derivations.pool import check_claims
    from .document import derivation_document
    from .pdf import MISSING_NOTE, compile_pdf, latex_available

    if pdf not in ("auto", "always", "never"):
        raise SymdiffError(f"pdf must be 'auto', 'always' or 'never', got {pdf!r}")
    out_dir = pathlib.Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise SymdiffError(f"{out_dir} exists and is not a folder")
    names = output_names(paths)
    if not names:
        raise SymdiffError(f"no derivation files (*.toml) under {', '.join(map(str, paths))}")
    derivations = [(load_derivation(f), f, name) for f, name in names]   # all parse before any work
    run = ReportRun()
    can_pdf = pdf != "never" and latex_available()
    if pdf == "always" and not can_pdf:
        raise SymdiffError(MISSING_NOTE)
    run.pdf = can_pdf
    if pdf == "auto" and not can_pdf:
        run.note = MISSING_NOTE
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = pathlib.Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=parent))
    try:
        produced = []
        checked = iter(check_claims([d for d, _, _ in derivations], seed=seed, jobs=jobs, scheduler=scheduler))
        for d, f, name in derivations:
            results = [next(checked) for _ in d.claims]
            run.results.extend(results)
            tex = staging / (str(name) + ".tex")
            tex.parent.mkdir(parents=True, exist_ok=True)
            label = pathlib.PurePosixPath(*pathlib.Path(os.path.relpath(f)).parts) \
                if not os.path.relpath(f).startswith("..") else pathlib.PurePosixPath(f.name)
            tex.write_text(derivation_document(d, results, source_label=str(label)), encoding="utf-8")
            produced.append(tex)
            if can_pdf:
                produced.append(compile_pdf(tex))
            if progress is not None:
                progress(name, results)
        # everything succeeded: move into place, file by file (each move atomic)
        for p in produced:
            rel = p.relative_to(staging)
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(p, target)
            run.written.append(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return run
