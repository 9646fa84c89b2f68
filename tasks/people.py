"""Import jobs: a confirmed participants file, imported all-or-nothing as its school."""
from __future__ import annotations

from celery import shared_task

from core.clock import region_today
from mentorship.people.imports.batches import run_batch
from tasks.tenant_task import as_tenant


@shared_task(name="nastavnik.imports.run", ignore_result=False)
@as_tenant
def run_import(org_id: int, batch_id: int) -> dict:
    """Import batch ``batch_id`` of school ``org_id``. A retried or repeated task imports
    nothing twice: a finished batch is left as it is (mentorship/people/imports/batches.py)."""
    result = run_batch(batch_id, region_today())
    return {"status": result.status, "imported": result.imported}
