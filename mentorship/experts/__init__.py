"""The expert bank kept by the ministry and municipal bodies, and requests for an expert's help.

``models`` (``Expert``: Lineage, kept by a body; ``ExpertRequest``: SharedUpward, owned by the
organisation that asks), ``catalogue`` (kinds and areas of expertise), ``directory`` (who may
see whom, the search, names of the region's bodies, experts for juries and courses), ``bank``
(the keeper's changes: experts, consents, accounts, erasure), ``help_requests`` (asking for
help, answering, closing; notifications and e-mail), ``messages`` (their Russian wording).

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

__all__ = ["bank", "catalogue", "directory", "help_requests", "models"]
