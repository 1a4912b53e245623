"""Align many pairs: from a manifest or a folder paired by content, resumable, on all cores.

Each pair writes one report, atomically (a temporary file renamed into place), so a report that
exists is complete and a second run skips it: an interrupted batch resumes where it stopped.
``summary.jsonl`` lists every pair with its outcome and headline figures.

Engines: ``local`` runs pairs in a process pool over all cores (the model-free scorer), or in
this process when MarianMT is used, so the model is loaded once and uses every core itself;
``dask`` hands the same per-pair function to a Dask cluster (a local one by default, or
``--scheduler ADDRESS``): the way to run a corpus on many machines without a scheduler of ours.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aligner.errors import AlignerError, InputError

SUFFIX = {"json": ".json", "html": ".html", "tmx": ".tmx", "tsv": ".tsv", "text": ".txt"}


@dataclass(frozen=True, slots=True)
class Job:
    """One pair to align and the report name to write it under."""

    source: str
    target: str
    name: str


@dataclass(frozen=True, slots=True)
class Settings:
    """What every job shares: formats, languages and the ``align`` options."""

    out_dir: str
    fmt: str = "json"
    src_lang: str = "it"
    tgt_lang: str = "en"
    scorer: str = "lexical"
    model: str | None = None
    align_options: dict[str, Any] = field(default_factory=dict)

    def output(self, job: Job) -> Path:
        return Path(self.out_dir) / f"{job.name}{SUFFIX[self.fmt]}"


def read_manifest(path: str | Path) -> list[Job]:
    """TSV lines ``source<TAB>target[<TAB>name]``; relative paths are read from the manifest's
    folder; ``#`` starts a comment. The name defaults to the source file's stem."""
    manifest = Path(path)
    if not manifest.is_file():
        raise InputError(f"{path}: no such manifest")
    base = manifest.parent
    jobs: list[Job] = []
    with manifest.open(encoding="utf-8", newline="") as fh:
        for k, row in enumerate(csv.reader(fh, delimiter="\t"), start=1):
            if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
                continue
            if len(row) < 2:
                raise InputError(f"{path}:{k}: expected source<TAB>target[<TAB>name]")
            src, tgt = (str((base / x.strip()).resolve()) if not Path(x.strip()).is_absolute()
                        else x.strip() for x in row[:2])
            name = row[2].strip() if len(row) > 2 and row[2].strip() else Path(src).stem
            jobs.append(Job(src, tgt, name))
    return _unique(jobs, str(path))


def jobs_from_folder(folder: str | Path, src_lang: str, tgt_lang: str) -> list[Job]:
    """Pairs found by ``aligner pair`` (translations and comparable articles)."""
    from aligner.pair import pair

    jobs = [Job(p.source, p.target, Path(p.source).stem)
            for p in pair([folder], src_lang, tgt_lang)
            if p.source is not None and p.target is not None]
    return _unique(jobs, str(folder))


def _unique(jobs: list[Job], where: str) -> list[Job]:
    seen: set[str] = set()
    for job in jobs:
        if job.name in seen:
            raise InputError(f"{where}: two pairs would write the report {job.name!r}")
        seen.add(job.name)
    return jobs


def run_job(job: Job, settings: Settings) -> dict[str, Any]:
    """Align one pair and write its report; the summary line for it. Never raises for the
    pair's own problems: they become an ``error`` line, and the batch goes on."""
    from aligner import report
    from aligner.pipeline import align

    out = settings.output(job)
    record: dict[str, Any] = {"name": job.name, "source": job.source, "target": job.target,
                              "output": str(out)}
    t0 = time.perf_counter()
    try:
        result = align(job.source, job.target, src_lang=settings.src_lang,
                       tgt_lang=settings.tgt_lang, scorer=settings.scorer,  # type: ignore[arg-type]
                       model=settings.model, **settings.align_options)
        out.parent.mkdir(parents=True, exist_ok=True)
        buf = io.StringIO()
        writer = report.WRITERS[settings.fmt]
        writer(result, buf) if settings.fmt != "text" else writer(result, buf, color=False)
        _write_atomically(out, buf.getvalue())
    except AlignerError as exc:
        return {**record, "status": "error", "error": str(exc)}
    s = result.summary()
    return {**record, "status": "done", "seconds": round(time.perf_counter() - t0, 3),
            **{k: s[k] for k in ("beads", "divergent_beads", "extra_source_sentences",
                                 "extra_target_sentences", "parallelism", "relation")}}


def run_batch(jobs: Sequence[Job], settings: Settings, engine: str = "local",
              workers: int | None = None, scheduler: str | None = None,
              progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Run every job whose report does not exist yet; write and return the summary lines."""
    todo = [j for j in jobs if not settings.output(j).exists()]
    results: dict[str, dict[str, Any]] = {}
    total = len(todo)
    if progress:
        progress(0, total)
    for k, record in enumerate(_execute(todo, settings, engine, workers, scheduler), start=1):
        results[record["name"]] = record
        if progress:
            progress(k, total)
    summary = Path(settings.out_dir) / "summary.jsonl"
    earlier = _earlier_summary(summary)
    lines = [results.get(j.name) or _skipped(j, settings, earlier.get(j.name)) for j in jobs]
    summary.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(summary, "".join(json.dumps(x, ensure_ascii=False) + "\n"
                                       for x in lines))
    return lines


def _earlier_summary(path: Path) -> dict[str, dict[str, Any]]:
    """The records of an earlier run's summary.jsonl, by pair name (empty when unreadable)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and "name" in record:
            out[record["name"]] = record
    return out


def _skipped(job: Job, settings: Settings, earlier: dict[str, Any] | None) -> dict[str, Any]:
    """A pair whose report exists: its earlier record (counts and all) with status
    ``skipped``, so that a resumed run keeps what the first one measured."""
    record = {"name": job.name, "source": job.source, "target": job.target,
              "output": str(settings.output(job))}
    if earlier and earlier.get("status") in ("done", "skipped") and all(
            earlier.get(k) == v for k, v in record.items()):
        record = {**earlier, **record}
    return {**record, "status": "skipped"}


def _write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file renamed into place, with the permissions a plain
    ``open`` would give (the user's umask), not mkstemp's private 0600."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _execute(todo: Sequence[Job], settings: Settings, engine: str, workers: int | None,
             scheduler: str | None) -> Iterable[dict[str, Any]]:
    if not todo:
        return
    if engine == "dask":
        yield from _dask(todo, settings, workers, scheduler)
        return
    if engine != "local":
        raise InputError(f"unknown engine {engine!r} (local, dask)")
    n = workers or os.cpu_count() or 1
    if settings.scorer != "lexical" or n == 1 or len(todo) == 1:
        # MarianMT: one process, the model loaded once, torch using every core itself
        for job in todo:
            yield run_job(job, settings)
        return
    with ProcessPoolExecutor(max_workers=n) as pool:
        futures = [pool.submit(run_job, job, settings) for job in todo]
        for future in futures:
            yield future.result()


def _dask(todo: Sequence[Job], settings: Settings, workers: int | None,
          scheduler: str | None) -> Iterable[dict[str, Any]]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise InputError("--engine dask needs Dask: pip install 'aligner[dask]'") from None
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        n = workers or os.cpu_count() or 1
        # each worker loads its own model: they share the cores rather than each taking all
        os.environ.setdefault("ALIGNER_THREADS", str(max(1, (os.cpu_count() or 1) // n)))
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = client.map(run_job, list(todo), settings=settings, pure=False)
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
