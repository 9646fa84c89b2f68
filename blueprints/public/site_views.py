"""The editor of the organisation's public page (/site), for its admins: the page's texts and
contacts, publication and withdrawal, and the preview of the page as visitors will see it."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from blueprints.public import site_bp as bp
from blueprints.public.links import PreviewLinks
from blueprints.public.site_forms import PageForm
from blueprints.public.visit import meta, template_context
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.public import reading
from mentorship.public.documents import documents_query
from mentorship.public.news import news_query
from mentorship.public.pages import PageFields, item_counts, page_of, publish_page, save_page, unpublish_page
from mentorship.public.practices import practices_query
from mentorship.recognition.models import HonourCard
from tenants.access import admin_required, current_org, get_or_404
from tenants.roles import OrgKind


def site_org():
    return current_org._get_current_object()


def region_or_404(org):
    region = reading.region_of(org.path)
    if region is None:
        abort(404)
    return region


def preview_context(org, page, **extra) -> dict:
    """What the public templates need to preview ``org``'s page (drafts through the editor)."""
    region = region_or_404(org)
    visit_links = PreviewLinks(region.slug, org.slug or "")
    context = template_context(None, region=region, org=org, page=page, links=visit_links)
    context.update(extra)
    return context


@bp.route("/")
@admin_required
def index():
    org = site_org()
    page = page_of(org)
    region = region_or_404(org)
    public_url = None
    if page is not None and page.is_public and org.slug and region.slug:
        if org.kind == OrgKind.MINISTRY.value:
            public_url = url_for("public.region", region_slug=region.slug)
        else:
            public_url = url_for("public.org", region_slug=region.slug, org_slug=org.slug)
    return render_template("public/site/index.html", page=page, counts=item_counts(org.id), public_url=public_url,
                           org=org)


@bp.route("/page", methods=["GET", "POST"])
@admin_required
def page_edit():
    org = site_org()
    page = page_of(org)
    form = PageForm(obj=page)
    if form.validate_on_submit():
        try:
            save_page(org, PageFields(**{name: form[name].data for name in PageFields.__dataclass_fields__}))
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The page has been saved."), "success")
            return redirect(url_for("site.index"))
    return render_template("public/site/page_form.html", form=form, page=page)


@bp.route("/publish", methods=["POST"])
@admin_required
def publish():
    org = site_org()
    if not org.slug:
        abort(404)
    publish_page(org, region_today())
    db.session.commit()
    flash(_("The page is published: visitors see it and everything published on it."), "success")
    return redirect(url_for("site.index"))


@bp.route("/unpublish", methods=["POST"])
@admin_required
def unpublish():
    unpublish_page(site_org())
    db.session.commit()
    flash(_("The page has been taken down: its address now answers “not found”."), "success")
    return redirect(url_for("site.index"))


@bp.route("/preview")
@admin_required
def preview():
    org = site_org()
    page = page_of(org)
    if page is None:
        flash(_("Fill in the page first."), "info")
        return redirect(url_for("site.page_edit"))
    context = preview_context(org, page)
    head = reading.preview_head(context["region"], org, page)
    lists = {"news": list(db.session.scalars(news_query(org.id).limit(reading.LATEST_NEWS))),
             "documents": list(db.session.scalars(documents_query(org.id))),
             "practices": list(db.session.scalars(practices_query(org.id)))}
    template = "public/region.html" if org.kind == OrgKind.MINISTRY.value else "public/org.html"
    title = _("Preview") + ": " + org.display_name
    return render_template(template, head=head, meta=meta(title, page.intro, "site.preview"), **lists, **context)


@bp.route("/honour/<int:card_id>/photo")
@admin_required
def card_photo(card_id: int):
    card = get_or_404(HonourCard, card_id)
    data = db.session.scalar(db.select(HonourCard.photo_data).where(HonourCard.id == card.id))
    if not data or not card.photo_type:
        abort(404)
    response = Response(data, mimetype=card.photo_type)
    response.headers["Cache-Control"] = "private, no-store"
    return response
