"""``aligner check``: QA of translation files whose units are already paired.

``units``: the data model (``Unit``, ``Catalog``, ``UnitResult``, ``FileCheck``); ``readers``:
XLIFF, PO, TMX, TSV/CSV into a ``Catalog``; ``check``: the checks and the decision on every
unit; ``report``: text, JSON, TSV, HTML and JUnit writers; ``annotate``: the findings written
back into a copy of a PO or XLIFF file.
"""
