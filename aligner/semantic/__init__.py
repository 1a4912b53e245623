"""Semantic evidence: multilingual sentence encoders and the view of a pair they give.

``encoders``: the ``Encoder`` interface, USE (default) and e5, the tests' hashed encoder, the
cache; ``view``: the semantic view's sides, parameters and scorer, averaged with the lexical
and translation views (``aligner.views``). numpy only: nothing here imports torch.
"""

from __future__ import annotations

from aligner._lazy import exports

_HOMES = {**dict.fromkeys(("NAMES", "CachedEncoder", "Encoder", "encoder"), "encoders"),
          **dict.fromkeys(("SemanticParams", "SemanticScorer", "SemanticSide"), "view")}

__getattr__ = exports("aligner.semantic", _HOMES)

__all__ = sorted(_HOMES)
