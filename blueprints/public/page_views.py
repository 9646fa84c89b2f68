"""The public pages (no account, no session): the region's page with its directory, an
organisation's page (a school's or a municipal body's), its news, best practices, documents and
pictures. Every page is cacheable: an ETag on its content versions, 304 on a current copy."""
from __future__ import annotations

from flask import Response, abort, current_app, redirect, render_template, request
from flask_babel import gettext as _

from blueprints.public import bp
from blueprints.public.caching import conditional, variant_parts
from blueprints.public.visit import meta, template_context, visiting
from core.extensions import db
from core.links import external_url
from core.richtext import plain_text, render_markdown
from mentorship.public import reading
from mentorship.public.documents import file_of
from mentorship.public.errors import PublicNotFound
from mentorship.public.reading import fingerprint, last_modified, page_fingerprint
from tenants.context import TenantScopeError
from tenants.roles import OrgKind

NEWS_PER_PAGE = 10


@bp.app_template_filter("public_markdown")
def public_markdown(text: str | None):
    """Markdown written for the public pages, as sanitised HTML (core/richtext.py)."""
    return render_markdown(text)


@bp.app_template_filter("public_summary")
def public_summary(text: str | None, limit: int = 240) -> str:
    return plain_text(text, limit)


def _file(data: bytes, mimetype: str, *, download_name: str | None = None) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if download_name:
        response.headers.set("Content-Disposition", "attachment", filename=download_name)
    return response


@bp.route("/p/<region_slug>/")
def region(region_slug: str):
    with visiting(region_slug) as visit:
        head = reading.region_head(visit.region)
        if head is None:
            abort(404)
        etag = page_fingerprint(head, *variant_parts())

        def render():
            ministry = head.org
            lists = {}
            if head.page is not None:
                lists = {"news": reading.latest_news(ministry.id), "documents": reading.documents(ministry.id),
                         "practices": reading.practices(ministry.id)}
            title = _("Mentorship in %(region)s", region=visit.region.name)
            return render_template(
                "public/region.html", head=head, **lists,
                meta=meta(title, head.page.intro if head.page else None, "public.region", region_slug=region_slug),
                **template_context(visit, org=ministry, page=head.page),
            )

        return conditional(etag, last_modified(head), render)


@bp.route("/p/<region_slug>/<org_slug>/")
def org(region_slug: str, org_slug: str):
    with visiting(region_slug, org_slug) as visit:
        if visit.org.kind == OrgKind.MINISTRY.value:
            return redirect(visit.links.region(), 301)
        head = reading.head_of(visit.region, visit.org)
        etag = page_fingerprint(head, *variant_parts())

        def render():
            org_id = visit.org.id
            return render_template(
                "public/org.html", head=head, news=reading.latest_news(org_id), documents=reading.documents(org_id),
                practices=reading.practices(org_id),
                meta=meta(_("Mentorship: %(org)s", org=visit.org.display_name), visit.page.intro, "public.org",
                          region_slug=region_slug, org_slug=org_slug),
                **template_context(visit),
            )

        return conditional(etag, last_modified(head), render)


@bp.route("/p/<region_slug>/<org_slug>/news/")
def news_list(region_slug: str, org_slug: str):
    page_number = max(request.args.get("page", 1, type=int) or 1, 1)
    with visiting(region_slug, org_slug) as visit:
        etag = fingerprint(["news", visit.page.id, visit.page.version, page_number, *variant_parts()])

        def render():
            news = db.paginate(reading.news_statement(visit.org.id), page=page_number, per_page=NEWS_PER_PAGE,
                               error_out=False)
            return render_template(
                "public/news_list.html", news=news,
                meta=meta(_("News: %(org)s", org=visit.org.display_name), None, "public.news_list",
                          region_slug=region_slug, org_slug=org_slug),
                **template_context(visit),
            )

        return conditional(etag, visit.page.updated_at, render)


@bp.route("/p/<region_slug>/<org_slug>/news/<int:item_id>")
def news_item(region_slug: str, org_slug: str, item_id: int):
    with visiting(region_slug, org_slug) as visit:
        item = reading.news_item(visit.org.id, item_id)
        if item is None:
            abort(404)
        etag = fingerprint(["news-item", item.id, item.updated_at, visit.page.version, *variant_parts()])
        image = None
        if item.has_picture:
            image = external_url("public.news_picture", region_slug=region_slug, org_slug=org_slug, item_id=item.id)

        def render():
            return render_template(
                "public/news_item.html", item=item,
                meta=meta(item.title, item.text, "public.news_item", type_="article", image=image,
                          region_slug=region_slug, org_slug=org_slug, item_id=item.id),
                **template_context(visit),
            )

        return conditional(etag, max(reading.aware(item.updated_at), reading.aware(visit.page.updated_at)), render)


@bp.route("/p/<region_slug>/<org_slug>/news/<int:item_id>/picture")
def news_picture(region_slug: str, org_slug: str, item_id: int):
    with visiting(region_slug, org_slug) as visit:
        item = reading.news_item(visit.org.id, item_id)
        if item is None or not item.has_picture:
            abort(404)
        etag = fingerprint(["picture", item.id, item.updated_at])

        def render():
            picture = reading.news_picture(visit.org.id, item.id)
            if picture is None:
                abort(404)
            return _file(picture[0], picture[1])

        return conditional(etag, item.updated_at, render, by_date=True)


@bp.route("/p/<region_slug>/<org_slug>/practices/<int:practice_id>")
def practice(region_slug: str, org_slug: str, practice_id: int):
    with visiting(region_slug, org_slug) as visit:
        item = reading.practice(visit.org.id, practice_id)
        if item is None:
            abort(404)
        etag = fingerprint(["practice", item.id, item.updated_at, visit.page.version, *variant_parts()])

        def render():
            return render_template(
                "public/practice.html", practice=item,
                meta=meta(item.title, item.summary or item.text, "public.practice", type_="article",
                          region_slug=region_slug, org_slug=org_slug, practice_id=item.id),
                **template_context(visit),
            )

        return conditional(etag, max(reading.aware(item.updated_at), reading.aware(visit.page.updated_at)), render)


@bp.route("/p/<region_slug>/<org_slug>/documents/<int:document_id>/<filename>")
def document(region_slug: str, org_slug: str, document_id: int, filename: str):
    with visiting(region_slug, org_slug) as visit:
        try:
            found, data = file_of(visit.org.id, document_id)
        except PublicNotFound:
            abort(404)
        if filename != found.filename:
            return redirect(visit.links.document(found), 301)
        etag = fingerprint(["document", found.id, found.updated_at, found.size])
        return conditional(etag, found.updated_at, lambda: _file(data, found.content_type, download_name=found.filename),
                           by_date=True)


@bp.route("/p/<region_slug>/<org_slug>/honour/<int:card_id>/photo")
def card_photo(region_slug: str, org_slug: str, card_id: int):
    with visiting(region_slug, org_slug) as visit:
        card = next((c for c in reading.board_cards(visit.org.id) if c.id == card_id), None)
        if card is None:
            abort(404)
        etag = fingerprint(["card", card.id, getattr(card, "updated_at", None)])

        def render():
            photo = reading.card_photo(visit.org.id, card.id)
            if photo is None:
                abort(404)
            return _file(*photo)

        return conditional(etag, getattr(card, "updated_at", None), render, by_date=True)


@bp.route("/p/<region_slug>/<org_slug>/library/<int:item_id>")
def library_file(region_slug: str, org_slug: str, item_id: int):
    with visiting(region_slug, org_slug) as visit:
        version = reading.library_file(visit.org.path, item_id)
        if version is None:
            abort(404)
        etag = fingerprint(["library", version.id, version.size, version.uploaded_at])

        def render():
            reading.count_library_download(version.id)
            db.session.commit()
            return _file(version.data, version.content_type, download_name=version.filename)

        return conditional(etag, version.uploaded_at, render, by_date=True)


@bp.route("/p/<region_slug>/<org_slug>/contests/<int:contest_id>/rules")
def contest_rules(region_slug: str, org_slug: str, contest_id: int):
    with visiting(region_slug, org_slug) as visit:
        rules = reading.contest_rules(visit.org.path, contest_id)
        if rules is None:
            abort(404)
        etag = fingerprint(["rules", rules.id, rules.size, rules.uploaded_at])
        return conditional(etag, rules.uploaded_at,
                           lambda: _file(rules.data, rules.content_type, download_name=rules.filename), by_date=True)


@bp.errorhandler(404)
def not_found(_error):
    return render_template("public/not_found.html", **template_context()), 404


@bp.errorhandler(PublicNotFound)
def nothing_here(_error):
    return render_template("public/not_found.html", **template_context()), 404


@bp.errorhandler(TenantScopeError)
def out_of_scope(error):
    # Under the public scope only published rows exist: anything else is simply not here.
    current_app.logger.warning("public scope refused a request: %s", error)
    db.session.rollback()
    return render_template("public/not_found.html", **template_context()), 404
