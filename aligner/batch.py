"""Align many pairs: from a manifest or folders paired by content, resumable, on all cores.

Each pair writes one report, atomically (a temporary file renamed into place), so a report that
exists is complete. A pair is done again unless an earlier run aligned the *same content with the
same settings* (``key``: a digest of both inputs' bytes, the settings and the version), so
editing an input and re-running realigns just that pair; ``force`` redoes every pair.

``summary.jsonl`` gets each pair's record as soon as it finishes (an interrupted batch keeps
what it measured), and is rewritten once at the end: one line a pair in the manifest's order,
then one line for each file that pairing left unmatched. Paths in it are relative to the
manifest's folder, or to the folder that was paired; ``output`` is relative to the summary.

Engines: ``local`` runs pairs in a process pool over all cores (the model-free scorer), or in
this process when MarianMT is used, so the model is loaded once and uses every core itself;
``dask`` hands the same per-pair function to a Dask cluster (a local one by default, or
``--scheduler ADDRESS``). Either way a worker aligns one pair at a time with one thread: the
parallelism is across pairs, one level only.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aligner._version import __version__
from aligner.errors import AlignerError, InputError

SUFFIX = {"json": ".json", "html": ".html", "tmx": ".tmx", "tsv": ".tsv", "text": ".txt"}
SUMMARY = "summary.jsonl"
#: The statuses of a summary record, and those of a pair whose report stands.
STATUSES = ("done", "skipped", "failed", "unmatched")
FINISHED = ("done", "skipped")


@dataclass(frozen=True, slots=True)
class Job:
    """One pair to align and the report name to write it under."""

    source: str
    target: str
    name: str
    #: The folder the summary's paths are written relative to (the manifest's or the pairing's).
    base: str = ""


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


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A file that pairing could not give a counterpart, and why (listed in the summary)."""

    path: str
    reason: str
    base: str = ""


def report_name(path: str | Path, lang: str) -> str:
    """A report's name: the file's stem without its language suffix (``article-01.it.txt``
    -> ``article-01``), so the two sides' names agree and the report says which pair it is."""
    from aligner.text.language import base

    stem = Path(path).stem
    for code in {lang, base(lang)}:
        for sep in ".-_":
            if stem.lower().endswith(f"{sep}{code.lower()}") and len(stem) > len(code) + 1:
                return stem[: -len(code) - 1]
    return stem


def read_manifest(path: str | Path, src_lang: str = "it") -> list[Job]:
    """TSV lines ``source<TAB>target[<TAB>name]``; relative paths are read from the manifest's
    folder; ``#`` starts a comment, and a first line ``source<TAB>target...`` is a header.
    The name defaults to the source file's stem without its language suffix."""
    manifest = Path(path)
    if not manifest.is_file():
        raise InputError(f"{path}: no such manifest")
    base = manifest.parent.resolve()
    jobs: list[Job] = []
    with manifest.open(encoding="utf-8", newline="") as fh:
        for k, row in enumerate(csv.reader(fh, delimiter="\t"), start=1):
            if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
                continue
            if not jobs and [c.strip().lower() for c in row[:2]] == ["source", "target"]:
                continue
            if len(row) < 2:
                raise InputError(f"{path}:{k}: expected source<TAB>target[<TAB>name]")
            src, tgt = (str((base / x.strip()).resolve()) if not Path(x.strip()).is_absolute()
                        else x.strip() for x in row[:2])
            name = (row[2].strip() if len(row) > 2 and row[2].strip()
                    else report_name(src, src_lang))
            jobs.append(Job(src, tgt, name, str(base)))
    if not jobs:
        raise InputError(f"{path}: the manifest lists no pairs")
    return _unique(jobs, str(path))


def jobs_from_folders(paths: Sequence[str | Path], src_lang: str, tgt_lang: str,
                      exclude: str | Path | None = None,
                      progress: Callable[[str, int, int], None] | None = None,
                      ) -> tuple[list[Job], list[Unmatched]]:
    """Pairs found by ``aligner pair`` in the files and folders given (translations and
    comparable articles), and the files it left unmatched."""
    from aligner.pair import pair

    base = _common_base(paths)
    found = pair(paths, src_lang, tgt_lang, exclude=exclude, progress=progress)
    jobs = [Job(p.source, p.target, report_name(p.source, src_lang), base)
            for p in found if p.source is not None and p.target is not None]
    left = [Unmatched(p.path, p.reason, base) for p in found if p.label == "unmatched"]
    return _unique(jobs, ", ".join(map(str, paths))), left


def _common_base(paths: Sequence[str | Path]) -> str:
    folders = [Path(p).resolve() if Path(p).is_dir() else Path(p).resolve().parent
               for p in paths]
    return os.path.commonpath(folders) if folders else os.getcwd()


def _unique(jobs: list[Job], where: str) -> list[Job]:
    seen: set[str] = set()
    for job in jobs:
        if job.name in seen:
            raise InputError(f"{where}: two pairs would write the report {job.name!r}")
        seen.add(job.name)
    return jobs


def _relative(path: str, base: str) -> str:
    """``path`` as the summary writes it: relative to ``base`` where it lies under it."""
    if not base:
        return path
    try:
        rel = os.path.relpath(path, base)
    except ValueError:                  # another drive (Windows)
        return path
    return path if rel.startswith("..") else rel


def job_key(job: Job, settings: Settings) -> str:
    """A digest of what a report depends on: both inputs' bytes, the settings, the version.
    Unreadable inputs hash as such (the pair then fails, and is tried again next time)."""
    digest = hashlib.sha256()
    for path in (job.source, job.target):
        try:
            digest.update(Path(path).read_bytes())
        except OSError as exc:
            digest.update(f"unreadable {exc.errno}".encode())
        digest.update(b"\0")
    described = {k: v for k, v in asdict(settings).items() if k != "out_dir"}
    digest.update(json.dumps([described, __version__], sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def _record(job: Job, settings: Settings) -> dict[str, Any]:
    return {"name": job.name, "source": _relative(job.source, job.base),
            "target": _relative(job.target, job.base),
            "output": settings.output(job).name}


def run_job(job: Job, settings: Settings, key: str = "") -> dict[str, Any]:
    """Align one pair and write its report; the summary line for it. Never raises for the
    pair's problems, whatever they are: they become a ``failed`` line, and the batch goes on."""
    return _stored(job, settings, *run_remote(job, settings, key))


def _stored(job: Job, settings: Settings, record: dict[str, Any], text: str | None
            ) -> dict[str, Any]:
    """The job's report written (where it has one), and its summary line (failed where the
    report cannot be written)."""
    if text is not None:
        try:
            out = settings.output(job)
            out.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(out, text)
        except OSError as exc:
            return {**record, "status": "failed", "error": f"cannot write the report: {exc}"}
    return record


def run_remote(job: Job, settings: Settings, key: str = "",
               texts: tuple[str, str] | None = None) -> tuple[dict[str, Any], str | None]:
    """Align one pair and return its summary line and its report's text (None where it
    failed), writing nothing: with ``texts`` (the two files' content, sent by the client), a
    worker on another machine needs no disk shared with it."""
    from aligner import report
    from aligner.pipeline import align, parse

    record: dict[str, Any] = {**_record(job, settings), "key": key or job_key(job, settings)}
    t0 = time.perf_counter()
    try:
        options = dict(settings.align_options)
        source: Any = job.source
        target: Any = job.target
        if texts is not None:
            how = {k: options[k] for k in ("presegmented", "input_format") if k in options}
            source = parse(texts[0], settings.src_lang, path=job.source, **how)
            target = parse(texts[1], settings.tgt_lang, path=job.target, **how)
        result = align(source, target, src_lang=settings.src_lang,
                       tgt_lang=settings.tgt_lang, scorer=settings.scorer,  # type: ignore[arg-type]
                       model=settings.model, **options)
        buf = io.StringIO()
        writer = report.WRITERS[settings.fmt]
        writer(result, buf) if settings.fmt != "text" else writer(result, buf, color=False)
    except AlignerError as exc:
        return {**record, "status": "failed", "error": str(exc)}, None
    except Exception as exc:  # one pair's bug must not end the batch
        return {**record, "status": "failed", "error": f"{type(exc).__name__}: {exc}"}, None
    s = result.summary()
    extra = sum(1 for b in result.beads if b.status == "extra" and not b.is_boilerplate)
    return {**record, "status": "done", "seconds": round(time.perf_counter() - t0, 3),
            **{k: s[k] for k in ("beads", "divergent_beads", "extra_source_sentences",
                                 "extra_target_sentences", "parallelism", "relation")},
            "extra_beads": extra, "warnings": list(result.warnings)}, buf.getvalue()


def run_batch(jobs: Sequence[Job], settings: Settings, engine: str = "local",
              workers: int | None = None, scheduler: str | None = None,
              progress: Callable[[int, int], None] | None = None, *, force: bool = False,
              unmatched: Sequence[Unmatched] = ()) -> list[dict[str, Any]]:
    """Align every job not already done with the same content and settings (all with
    ``force``); write and return the summary lines (the jobs', then the unmatched files')."""
    out_dir = check_out_dir(settings.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = out_dir / SUMMARY
    earlier = _earlier_summary(summary)
    keys = {j.name: job_key(j, settings) for j in jobs}
    todo = [j for j in jobs if force or not _finished(j, settings, keys[j.name],
                                                      earlier.get(j.name))]
    results: dict[str, dict[str, Any]] = {}
    total = len(todo)
    if progress:
        progress(0, total)
    with summary.open("a", encoding="utf-8", newline="\n") as log:
        for k, record in enumerate(_execute(todo, settings, keys, engine, workers, scheduler),
                                   start=1):
            results[record["name"]] = record
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
            log.flush()
            if progress:
                progress(k, total)
    lines = [results.get(j.name) or {**earlier[j.name], **_record(j, settings),
                                      "status": "skipped"} for j in jobs]
    lines += [{"name": None, "source": _relative(u.path, u.base), "status": "unmatched",
               "reason": u.reason} for u in unmatched]
    _write_atomically(summary, "".join(json.dumps(x, ensure_ascii=False) + "\n"
                                       for x in lines))
    return lines


def check_out_dir(path: str | Path) -> Path:
    """The reports' folder; refused, before any work, when it names a file."""
    out_dir = Path(path)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: is a file; -o names the folder for the reports")
    return out_dir


def _finished(job: Job, settings: Settings, key: str, earlier: dict[str, Any] | None) -> bool:
    """Whether an earlier run already wrote this pair's report from the same inputs and
    settings (and the report is still there)."""
    return (earlier is not None and earlier.get("status") in FINISHED
            and earlier.get("key") == key and settings.output(job).is_file())


def _earlier_summary(path: Path) -> dict[str, dict[str, Any]]:
    """The records of an earlier run's summary.jsonl by pair name, the last one of each name
    winning (records are appended as pairs finish); empty when unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue                    # a line cut by an interruption
        if isinstance(record, dict) and record.get("name"):
            out[record["name"]] = record
    return out


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


def _one_thread() -> None:
    """A pool worker's start: numpy, torch and the encoders use one thread each, so the batch
    has one level of parallelism (the pairs) and workers x threads never exceeds the cores."""
    os.environ["ALIGNER_THREADS"] = "1"
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"


def _execute(todo: Sequence[Job], settings: Settings, keys: dict[str, str], engine: str,
             workers: int | None, scheduler: str | None) -> Iterable[dict[str, Any]]:
    if not todo:
        return
    if engine == "dask":
        yield from _dask(todo, settings, keys, workers, scheduler)
        return
    if engine != "local":
        raise InputError(f"unknown engine {engine!r} (local, dask)")
    n = workers or os.cpu_count() or 1
    if settings.scorer != "lexical" or n == 1 or len(todo) == 1:
        # MarianMT: one process, the model loaded once, torch using every core itself
        for job in todo:
            yield run_job(job, settings, keys[job.name])
        return
    from concurrent.futures import as_completed

    with ProcessPoolExecutor(max_workers=min(n, len(todo)), initializer=_one_thread) as pool:
        futures = {pool.submit(run_job, job, settings, keys[job.name]): job for job in todo}
        for future in as_completed(futures):
            job = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # a worker that died (memory, a signal)
                yield {**_record(job, settings), "key": keys[job.name], "status": "failed",
                       "error": f"the worker stopped: {type(exc).__name__}: {exc}"}


def _dask(todo: Sequence[Job], settings: Settings, keys: dict[str, str], workers: int | None,
          scheduler: str | None) -> Iterable[dict[str, Any]]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise InputError("--engine dask needs Dask: pip install 'bead-aligner[dask]'") from None
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
        # the pairs' content travels with the task and the report comes back: the workers
        # of a real cluster share no disk with this machine
        from aligner.text.read import read_text

        futures = {}
        for job in todo:
            try:
                texts = (read_text(job.source), read_text(job.target))
            except AlignerError as exc:
                yield {**_record(job, settings), "key": keys[job.name], "status": "failed",
                       "error": str(exc)}
                continue
            futures[client.submit(run_remote, job, settings, keys[job.name], texts,
                                  pure=False)] = job
        for future in as_completed(futures):
            yield _stored(futures[future], settings, *future.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
