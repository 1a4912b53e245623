"""Which MarianMT model serves which language pair, and where its files are on this machine.

The registry is ``models/registry.json`` in the repository (packaged as ``aligner/registry.json``
in a wheel). Finding a model never touches the network: a local folder, the project's
``models/NAME`` download target, then the Hugging Face cache (``local_files_only``). Only
``aligner models download`` goes online, after checking in a second that the hub answers.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from aligner.errors import ModelError
from aligner.text.language import base

_PACKAGE = Path(__file__).resolve().parent.parent     # the aligner package
_REPO_MODELS = _PACKAGE.parent / "models"
REQUIRED_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")


@dataclass(frozen=True, slots=True)
class ModelEntry:
    """A registry entry: a short name, its hub id and the direction it translates."""

    name: str
    hub_id: str
    src: str
    tgt: str
    license: str = ""
    note: str = ""


@lru_cache(maxsize=1)
def registry() -> tuple[ModelEntry, ...]:
    for path in (_PACKAGE / "registry.json", _REPO_MODELS / "registry.json"):
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            return tuple(ModelEntry(**entry) for entry in data["models"])
    return ()


def for_pair(src: str, tgt: str) -> ModelEntry | None:
    base_src, base_tgt = base(src), base(tgt)
    return next((e for e in registry() if (e.src, e.tgt) == (base_src, base_tgt)), None)


def models_dir() -> Path:
    """Where ``aligner models download`` puts folders by default (``--to`` overrides)."""
    env = os.environ.get("ALIGNER_MODELS_DIR")
    if env:
        return Path(env)
    return _REPO_MODELS if _REPO_MODELS.is_dir() else Path.cwd() / "models"


def is_model_folder(path: Path) -> bool:
    return path.is_dir() and all((path / f).exists() for f in REQUIRED_FILES)


@dataclass(frozen=True, slots=True)
class Resolved:
    """A model to load: a local folder, and the name and revision it is reported under."""

    name: str
    path: Path
    revision: str | None = None


def resolve(model: str | None, src: str, tgt: str) -> Resolved:
    """Find a model's files locally for ``--model`` (folder, registry name or hub id) or the pair.

    Raises ModelError, fast, naming the model and how to get it.
    """
    if model is None:
        entry = for_pair(src, tgt)
        if entry is None:
            raise ModelError(f"no MarianMT model is registered for {src}-{tgt}; "
                             "give one with --model NAME_OR_PATH, or use --translations FILE")
        wanted = entry.hub_id
    else:
        folder = Path(model).expanduser()
        if folder.exists():
            if not is_model_folder(folder):
                missing = [f for f in REQUIRED_FILES if not (folder / f).exists()]
                raise ModelError(f"{model}: not a MarianMT model folder (missing "
                                 f"{', '.join(missing)})")
            return Resolved(str(folder), folder.resolve())
        entry = next((e for e in registry() if model in (e.name, e.hub_id)), None)
        wanted = entry.hub_id if entry else model
    short = wanted.rsplit("/", 1)[-1]
    for folder in (models_dir() / short, models_dir() / wanted.replace("/", "--")):
        if is_model_folder(folder):
            return Resolved(wanted, folder.resolve())
    cached = _hf_cache(wanted)
    if cached is not None:
        return cached
    raise ModelError(f"model {wanted} is not on this machine; get it with "
                     f"'aligner models download {short}' (or pass --model FOLDER)")


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache folder, from the same variables huggingface_hub reads."""
    explicit = os.environ.get("HF_HUB_CACHE") or os.environ.get("HUGGINGFACE_HUB_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    home = os.environ.get("HF_HOME")
    if not home:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        home = str(Path(xdg) / "huggingface")
    return Path(home).expanduser() / "hub"


def _hf_cache(hub_id: str) -> Resolved | None:
    """The snapshot folder of ``hub_id`` in the Hugging Face cache, read from the cache's own
    layout (``models--ORG--NAME/refs/main`` names the snapshot): no network call, and no
    import of huggingface_hub (0.4 s) for a model that is not there."""
    repo = hf_cache_dir() / f"models--{hub_id.replace('/', '--')}"
    snapshots = repo / "snapshots"
    if not snapshots.is_dir():
        return None
    candidates = []
    ref = repo / "refs" / "main"
    if ref.is_file():
        candidates.append(snapshots / ref.read_text(encoding="utf-8").strip())
    try:
        others = sorted(snapshots.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        others = []
    for folder in [*candidates, *others]:
        if is_model_folder(folder):
            return Resolved(hub_id, folder.resolve(), revision=folder.name)
    return None


def hub_reachable(timeout: float = 1.5) -> bool:
    """Whether the Hugging Face hub answers a TCP connection within ``timeout`` seconds."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes"}:
        return False
    host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname
    try:
        with socket.create_connection((host or "huggingface.co", 443), timeout=timeout):
            return True
    except OSError:
        return False


def download(name: str, to: Path | None = None) -> Path:
    """Download a registered model (or any hub id) to the HF cache, or to the folder ``to``."""
    entry = next((e for e in registry() if name in (e.name, e.hub_id)), None)
    hub_id = entry.hub_id if entry else name
    if not hub_reachable():
        raise ModelError(f"cannot reach the Hugging Face hub to download {hub_id} (offline?); "
                         f"copy a model folder here and use --model FOLDER")
    from huggingface_hub import snapshot_download

    patterns = ["*.json", "*.spm", "*.safetensors", "*.txt", "*.model"]
    try:
        path = snapshot_download(hub_id, local_dir=str(to) if to else None,
                                 allow_patterns=patterns)
    except Exception as exc:
        raise ModelError(f"download of {hub_id} failed: {exc}") from None
    folder = Path(path)
    if not (folder / "model.safetensors").exists():
        # Some older checkpoints ship PyTorch weights only.
        snapshot_download(hub_id, local_dir=str(to) if to else None,
                          allow_patterns=["pytorch_model.bin"])
    return folder
