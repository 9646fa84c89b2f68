"""HTTP layer: one blueprint package per area, thin views over domain services."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from blueprints.auth import bp as auth_bp
    from blueprints.main import bp as main_bp
    from blueprints.orgs import bp as orgs_bp
    from blueprints.roadmaps import bp as roadmaps_bp
    from blueprints.roadmaps.views import after_transition
    from blueprints.monitoring import bp as monitoring_bp
    from blueprints.reports import bp as reports_bp
    from blueprints.pairing import bp as pairing_bp
    from blueprints.people import bp as people_bp
    from blueprints.superadmin import bp as superadmin_bp
    from blueprints.surveys import bp as surveys_bp
    from blueprints.surveys import public_bp as survey_public_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(orgs_bp, url_prefix="/org")
    app.register_blueprint(superadmin_bp, url_prefix="/admin")
    app.register_blueprint(roadmaps_bp, url_prefix="/roadmaps")
    app.register_blueprint(people_bp, url_prefix="/school")
    app.register_blueprint(pairing_bp, url_prefix="/school")
    app.register_blueprint(monitoring_bp)  # routes carry their full paths
    app.register_blueprint(reports_bp)  # routes carry their full paths
    app.register_blueprint(surveys_bp, url_prefix="/surveys")
    app.register_blueprint(survey_public_bp, url_prefix="/s")

    from mentorship.roadmaps import workflow as roadmap_workflow

    if after_transition not in roadmap_workflow.on_transition:
        roadmap_workflow.on_transition.append(after_transition)
