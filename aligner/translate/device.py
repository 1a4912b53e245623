"""Where an engine runs and with how many threads, decided once per process."""

from __future__ import annotations

import os
from pathlib import Path

from aligner.errors import ModelError


def expected_device(requested: str) -> str:
    """The device ``auto`` will give, without importing torch (a cached run must not pay for
    it): CUDA when the machine has an NVIDIA device, MPS on Apple silicon, else CPU. The
    engine still checks at load time (``pick_device``)."""
    import platform

    if requested != "auto":
        return requested
    if any(Path("/dev").glob("nvidia[0-9]*")):
        return "cuda"
    if platform.system() == "Darwin" and platform.machine() == "arm64":
        return "mps"
    return "cpu"


_THREADS: list[int] = []


def thread_count() -> int:
    """Threads this process's engine may use: ``$ALIGNER_THREADS`` (set by ``aligner batch``
    for each of its workers, so that they share the cores instead of each taking them all),
    else every core."""
    if not _THREADS:
        env = os.environ.get("ALIGNER_THREADS", "")
        _THREADS.append(max(1, int(env)) if env.isdigit() else max(1, os.cpu_count() or 1))
    return _THREADS[0]


def pick_device(requested: str) -> str:
    """``auto``: CUDA if present, else Apple's MPS, else CPU. Asking for a missing one fails."""
    import torch

    if requested == "auto":
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        return "mps" if mps is not None and mps.is_available() else "cpu"
    if requested == "cuda" and not torch.cuda.is_available():
        raise ModelError("--device cuda: no CUDA GPU is available to torch here")
    if requested == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise ModelError("--device mps: Apple's MPS backend is not available here")
    if requested not in {"cpu", "cuda", "mps"}:
        raise ModelError(f"unknown device {requested!r} (auto, cpu, cuda, mps)")
    return requested
