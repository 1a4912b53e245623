"""The MT side: engines behind one interface, the model registry, the translation cache.

``engines``: the ``Engine`` protocol and ``engine()``, which gives the pipeline a cached engine
for a language pair; ``marian``: the torch engine; ``ct2``: CTranslate2; ``registry``: which
MarianMT model serves which pair, found locally or downloaded on request; ``cache``: the SQLite
translation cache; ``device``: device and thread choices. Nothing here imports torch until a
sentence needs the model.
"""

from aligner.translate.device import expected_device, pick_device, thread_count
from aligner.translate.engines import CachedTranslator, Engine, Options, Progress, Stats, engine
from aligner.translate.marian import MarianTranslator, folder_fingerprint, split_to_fit

__all__ = ["CachedTranslator", "Engine", "MarianTranslator", "Options", "Progress", "Stats",
           "engine", "expected_device", "folder_fingerprint", "pick_device", "split_to_fit",
           "thread_count"]
