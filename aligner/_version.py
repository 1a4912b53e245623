"""The version, and the digest of the shipped models it was released with.

``MODELS_DIGEST`` is written by ``scripts/models_digest.py --write``; a test fails when the
shipped models change and this does not, so a version always names one set of models.
"""

__version__ = "0.4.1"
MODELS_DIGEST = "5c9a5d3134d7575f"
