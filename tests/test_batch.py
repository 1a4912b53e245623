"""Pairing a folder of articles by language and content; batch alignment, resumable, and the
same batch through Dask in local mode."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.batch import Job, Settings, read_manifest, run_batch
from aligner.errors import InputError
from aligner.pair import pair

from .conftest import EN_000, EN_002, IT_003, IT_004, ROOT, SEEDS


def test_seeds_pairing() -> None:
    listed = pair([SEEDS])
    found = {Path(p.source).name[:3]: p for p in listed if p.source and p.target}
    assert set(found) == {"003", "004"}                 # only the Italian documents lead pairs
    assert Path(found["003"].target).name[:3] == "002"
    assert found["003"].label == "translation"
    assert Path(found["004"].target).name[:3] in {"000", "001"}
    assert found["004"].label == "comparable"           # the word the JSON summary uses too
    partners = [Path(p.target).name[:3] for p in found.values()]
    assert not {"000", "001"} <= set(partners)          # the two English never pair together
    # every file is listed: the English article left over is unmatched, with the reason
    left = [p for p in listed if p.label == "unmatched"]
    assert len(left) == 1 and left[0].source is None
    assert Path(left[0].target).name[:3] in {"000", "001"} and "no it document" in left[0].reason
    assert len(listed) == 3


def test_pairing_with_region_codes_finds_the_same_pairs() -> None:
    plain = {(p.source, p.target, p.label) for p in pair([SEEDS])}
    regional = {(p.source, p.target, p.label)
                for p in pair([SEEDS], src_lang="it_IT", tgt_lang="en-GB")}
    assert regional == plain and len(plain) == 3


def test_pair_command_lists_every_file_in_every_format(tmp_path: Path) -> None:
    other = tmp_path / "docs"
    shutil.copytree(SEEDS, other)
    (other / "notes.de.txt").write_text("Der Hund und die Katze sind nicht im Haus, aber er hat "
                                        "es mit ihr auf dem Dach gesehen.\n", encoding="utf-8")

    def run(fmt: str) -> str:
        out = subprocess.run([sys.executable, "-m", "aligner", "pair", str(other), "-f", fmt],
                             capture_output=True, cwd=ROOT, env=dict(os.environ), timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout.decode()

    records = json.loads(run("json"))
    assert sorted(p["label"] for p in records) == ["comparable", "translation", "unmatched",
                                                   "unmatched"]
    named = {Path(p["source"] or p["target"]).name for p in records}
    named |= {Path(p["target"]).name for p in records if p["target"]}
    assert named == {p.name for p in other.iterdir()}
    german = next(p for p in records if (p["source"] or "").endswith("notes.de.txt"))
    assert "written in de" in german["reason"]
    tsv = run("tsv").splitlines()
    assert tsv[0].split("\t")[-1] == "reason" and len(tsv) == 5
    text = run("text")
    assert "notes.de.txt  unmatched" in text and text.count("unmatched") == 2


def _manifest(tmp_path: Path) -> Path:
    data = tmp_path / "in"
    data.mkdir()
    for f in (IT_003, EN_002, IT_004, EN_000):
        shutil.copy(f, data / f.name)
    manifest = data / "pairs.tsv"
    manifest.write_text(f"# source\ttarget\tname\n{IT_003.name}\t{EN_002.name}\ttranslation\n"
                        f"{IT_004.name}\t{EN_000.name}\n", encoding="utf-8")
    return manifest


def test_manifest_reading(tmp_path: Path) -> None:
    jobs = read_manifest(_manifest(tmp_path))
    assert [j.name for j in jobs] == ["translation", IT_004.stem]
    assert all(Path(j.source).is_absolute() for j in jobs)
    bad = tmp_path / "bad.tsv"
    bad.write_text("only-one-column\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected source"):
        read_manifest(bad)


def test_batch_writes_reports_and_resumes(tmp_path: Path) -> None:
    broken = Job(str(tmp_path / "missing.txt"), str(EN_002), "broken")
    jobs = [*read_manifest(_manifest(tmp_path)), broken]
    settings = Settings(str(tmp_path / "out"), "json")
    lines = run_batch(jobs, settings, workers=2)
    status = {x["name"]: x["status"] for x in lines}
    assert status == {"translation": "done", IT_004.stem: "done", "broken": "failed"}
    report = json.loads((tmp_path / "out" / "translation.json").read_text(encoding="utf-8"))
    assert report["summary"]["relation"] == "translation"
    summary = (tmp_path / "out" / "summary.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(summary) == 3
    again = run_batch(jobs, settings, workers=2)
    assert {x["name"]: x["status"] for x in again} == {
        "translation": "skipped", IT_004.stem: "skipped", "broken": "failed"}


def test_dask_local_mode_gives_identical_reports(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    jobs = read_manifest(_manifest(tmp_path))
    local = Settings(str(tmp_path / "local"))
    dask = Settings(str(tmp_path / "dask"))
    run_batch(jobs, local, workers=2)
    lines = run_batch(jobs, dask, engine="dask", workers=2)
    assert all(x["status"] == "done" for x in lines)
    for job in jobs:
        assert local.output(job).read_bytes() == dask.output(job).read_bytes()


def test_batch_command_with_pair_folder(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "aligner", "batch", "--pair", str(SEEDS),
                          "-o", str(tmp_path / "out"), "-f", "html"], capture_output=True,
                         cwd=ROOT, env=dict(os.environ), timeout=300)
    assert out.returncode == 0, out.stderr
    reports = sorted(p.name for p in (tmp_path / "out").glob("*.html"))
    assert reports == [f"{IT_003.stem}.html", f"{IT_004.stem}.html"]
    neither = subprocess.run([sys.executable, "-m", "aligner", "batch", "-o", str(tmp_path)],
                             capture_output=True, cwd=ROOT, env=dict(os.environ), timeout=60)
    assert neither.returncode == 2 and b"MANIFEST or --pair" in neither.stderr


def test_a_remote_worker_needs_only_the_content(tmp_path: Path) -> None:
    """What --engine dask sends a worker: the job and both texts; the worker reads no file and
    writes none, its report comes back (a cluster shares no disk with the client)."""
    from aligner.batch import run_remote

    job = Job(str(tmp_path / "gone" / "a.it.txt"), str(tmp_path / "gone" / "a.en.txt"), "a")
    settings = Settings(str(tmp_path / "out"), scorer="lexical")
    record, text = run_remote(job, settings, "k", (IT_003.read_text("utf-8"),
                                                    EN_002.read_text("utf-8")))
    assert record["status"] == "done" and text is not None
    assert json.loads(text)["source"]["path"] == job.source
    assert not (tmp_path / "out").exists() and not (tmp_path / "gone").exists()
