"""The mentorship domain (participants, programmes, pairs, roadmaps, monitoring, surveys).

Tenant-owned models take their scope from ``tenants.scoping`` (``SharedUpward`` or
``OwnerOnly``). Importing this package registers every model with the metadata.
"""
from mentorship import (  # noqa: F401
    notifications, published_templates, region_settings, roadmap_models, roadmap_reminders,
    forms_catalogue, participant_models, programme_models, matching_models, pair_models, plan_models,
    import_models, meeting_reminders, monitoring_models, report_models, survey_models,
)
# The surveys' consent-withdrawal hook registers itself on import (mentorship.consents.on_withdrawal).
from mentorship import survey_dispatch  # noqa: F401,E402
