"""The editor's news (/site/news): drafts, publication, withdrawal, preview and pictures."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from blueprints.errors import flash_error
from blueprints.pagination import paginate, search_term
from blueprints.public import site_bp as bp
from blueprints.public.site_forms import NewsForm
from blueprints.public.site_views import preview_context, site_org
from blueprints.public.visit import meta
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.public.models import NewsItem
from mentorship.public.news import (
    NewsFields,
    delete_news,
    news_query,
    picture_of,
    publish_news,
    save_news,
    unpublish_news,
)
from mentorship.public.pages import page_of
from tenants.access import admin_required, get_or_404


def _item(item_id: int) -> NewsItem:
    item = get_or_404(NewsItem, item_id)
    if item.org_id != site_org().id:
        abort(404)
    return item


@bp.route("/news")
@admin_required
def news():
    search = search_term()
    return render_template("public/site/news_list.html", page=paginate(news_query(site_org().id, search)),
                           search=search)


def _upload(form) -> tuple[str, bytes] | None:
    upload = form.picture.data
    if not upload or not getattr(upload, "filename", None):
        return None
    return upload.filename, upload.read()


def _save(item: NewsItem | None):
    org = site_org()
    form = NewsForm(obj=item)
    if item is None and not form.is_submitted():
        form.published_on.data = region_today()
    if form.validate_on_submit():
        fields = NewsFields(title=form.title.data, text=form.text.data, published_on=form.published_on.data,
                            picture_alt=form.picture_alt.data, picture=_upload(form),
                            remove_picture=form.remove_picture.data)
        try:
            saved = save_news(org, item, fields, None)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The news item has been saved."), "success")
            return redirect(url_for("site.news_edit", item_id=saved.id))
    return render_template("public/site/news_form.html", form=form, item=item)


@bp.route("/news/new", methods=["GET", "POST"])
@admin_required
def news_new():
    return _save(None)


@bp.route("/news/<int:item_id>/edit", methods=["GET", "POST"])
@admin_required
def news_edit(item_id: int):
    return _save(_item(item_id))


@bp.route("/news/<int:item_id>/publish", methods=["POST"])
@admin_required
def news_publish(item_id: int):
    item = _item(item_id)
    try:
        publish_news(site_org(), item)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    else:
        flash(_("The news item is published."), "success")
    return redirect(url_for("site.news_edit", item_id=item.id))


@bp.route("/news/<int:item_id>/unpublish", methods=["POST"])
@admin_required
def news_unpublish(item_id: int):
    item = _item(item_id)
    unpublish_news(site_org(), item)
    db.session.commit()
    flash(_("The news item has been taken down."), "success")
    return redirect(url_for("site.news_edit", item_id=item.id))


@bp.route("/news/<int:item_id>/delete", methods=["POST"])
@admin_required
def news_delete(item_id: int):
    delete_news(site_org(), _item(item_id))
    db.session.commit()
    flash(_("The news item has been deleted."), "success")
    return redirect(url_for("site.news"))


@bp.route("/news/<int:item_id>/preview")
@admin_required
def news_preview(item_id: int):
    org = site_org()
    item = _item(item_id)
    page = page_of(org)
    return render_template("public/news_item.html", item=item, meta=meta(item.title, item.text, "site.news_preview",
                                                                          item_id=item.id),
                           **preview_context(org, page))


@bp.route("/news/<int:item_id>/picture")
@admin_required
def news_picture(item_id: int):
    picture = picture_of(_item(item_id))
    if picture is None:
        abort(404)
    response = Response(picture[0], mimetype=picture[1])
    response.headers["Cache-Control"] = "private, no-store"
    return response
