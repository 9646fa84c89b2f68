"""A visit to a region's public pages: the region found by its slug, then everything read inside
its ``public_scope`` — only published rows exist there. Unknown slugs, unpublished pages and
items, another organisation's items: 404 (a plain public page, no session touched)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import abort, request, url_for
from flask_babel import lazy_gettext as _l

from blueprints.public.accessibility import of_request
from blueprints.public.links import PublicLinks
from core.links import external_url
from core.richtext import plain_text
from mentorship.public.models import PublicPage
from mentorship.public.reading import Region, find_region, organisation, published_page
from tenants.context import public_scope
from tenants.models import Organization

CATEGORY_LABELS = {
    "regulation": _l("regulation"),
    "roadmap": _l("roadmap"),
    "order": _l("order"),
    "report": _l("report"),
    "other": _l("document"),
}


@dataclass(frozen=True)
class Visit:
    region: Region
    org: Organization | None = None
    page: PublicPage | None = None

    @property
    def links(self) -> PublicLinks:
        return PublicLinks(self.region.slug, self.org.slug if self.org is not None else self.region.slug)


@contextmanager
def visiting(region_slug: str, org_slug: str | None = None) -> Iterator[Visit]:
    """The region (404 if unknown), and with ``org_slug`` its organisation whose page is
    published (404 otherwise); the block runs in the region's public scope."""
    region = find_region(region_slug)
    if region is None:
        abort(404)
    with public_scope(region.path):
        if org_slug is None:
            yield Visit(region)
            return
        org = organisation(org_slug)
        page = published_page(org.id) if org is not None else None
        if page is None:
            abort(404)
        yield Visit(region, org, page)


@dataclass(frozen=True)
class Meta:
    """<title>, meta description and Open Graph of a page."""

    title: str
    description: str
    url: str
    type: str = "website"
    image: str | None = None


def meta(title: str, description: str | None, endpoint: str, *, type_: str = "website", image: str | None = None,
         **values) -> Meta:
    return Meta(title=title, description=plain_text(description, 200) or title,
                url=external_url(endpoint, **values), type=type_, image=image)


def a11y_url(**changes) -> str:
    """The toggle link that applies ``changes`` and comes back to this page."""
    here = request.full_path.rstrip("?") if request.query_string else request.path
    return url_for("public.accessibility", next=here, **changes)


def template_context(visit: Visit | None = None, **extra) -> dict:
    """What every public template gets: the accessibility settings, the links, the path."""
    context = {"a11y": of_request(request), "a11y_url": a11y_url, "CATEGORY_LABELS": CATEGORY_LABELS}
    if visit is not None:
        context.update(region=visit.region, org=visit.org, page=visit.page, links=visit.links)
    context.update(extra)
    return context
