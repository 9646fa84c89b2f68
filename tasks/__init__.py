"""Celery entry points, one module per area: thin tasks that take ids, set the tenant, call a
domain service. The factory imports every module here (``core.discovery.import_all``)."""
