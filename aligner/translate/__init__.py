"""The MT side: engines behind one interface, the model registry, the translation cache.

``engines``: the ``Engine`` protocol and ``engine()``, which gives the pipeline a cached engine
for a language pair; ``marian``: the torch engine; ``ct2``: CTranslate2; ``registry``: which
MarianMT model serves which pair, found locally or downloaded on request; ``cache``: the SQLite
translation cache; ``device``: device and thread choices. Nothing here imports torch until a
sentence needs the model.
"""

from __future__ import annotations

from aligner._lazy import exports

#: name -> the module that defines it; imported on first use, so that a light submodule
#: (the cache folder, the registry) does not pull in the engines.
_HOMES = {
    "expected_device": "device", "pick_device": "device", "thread_count": "device",
    "CachedTranslator": "engines", "Engine": "engines", "Options": "engines",
    "Progress": "engines", "Stats": "engines", "engine": "engines",
    "MarianTranslator": "marian", "folder_fingerprint": "marian", "split_to_fit": "marian",
}


__getattr__ = exports("aligner.translate", _HOMES)


__all__ = sorted(_HOMES)
