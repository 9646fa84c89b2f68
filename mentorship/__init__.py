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
``experts``     the expert bank and requests for an expert's help
``library``     the methodological library: documents, best practices, moderation, search
``training``    courses, sessions, enrolment, attendance, certificates
``recognition`` contests, awards and orders, portfolios, the board of honour
``registry``    the municipal registry of mentors
``public``      public «Наставничество» pages, news, feeds

Models are found by convention (``core.discovery.import_models``): every ``models`` module.
"""
AREAS = (
    "region", "roadmaps", "people", "pairing", "surveys", "monitoring", "reports",
    "experts", "library", "training", "recognition", "registry", "public",
)
