"""The domain, one package per area, each with its models, services and signals.

Areas, lowest first; an area imports only the areas below it (checked by import-linter, see
``.importlinter``), and what must travel upward goes through a named signal:

``region``      the region's catalogue of forms, its settings and calendar
``roadmaps``    roadmaps (дорожные карты): templates, editing, approval, execution, reminders
``people``      participants, consents, partner enterprises, imports
``pairing``     programmes, banks, matching, pairs, orders, plans, meetings, completion
``surveys``     questionnaires, campaigns, dispatch, answers, results
``monitoring``  indicators, targets, periods, the aggregation, contingent figures
``reports``     reports up the hierarchy, dashboards, the analytical report

Models are found by convention (``core.discovery.import_models``): every ``models`` module.
"""
AREAS = ("region", "roadmaps", "people", "pairing", "surveys", "monitoring", "reports")
