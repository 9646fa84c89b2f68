"""Feeds and what search engines read: the news feed of an organisation (Atom, RSS), the
region's sitemap.xml, robots.txt. Cacheable like the pages."""
from __future__ import annotations

from flask import Response, render_template
from flask_babel import gettext as _

from blueprints.public import bp
from blueprints.public.caching import conditional
from blueprints.public.feeds import FEED_ITEMS, build_feed
from blueprints.public.visit import visiting
from core.links import external_url
from mentorship.public import reading
from mentorship.public.reading import fingerprint


def _feed(region_slug: str, org_slug: str, kind: str):
    with visiting(region_slug, org_slug) as visit:
        etag = fingerprint(["feed", kind, visit.page.id, visit.page.version])

        def render():
            items = reading.latest_news(visit.org.id, FEED_ITEMS)
            return build_feed(region_slug=region_slug, org=visit.org, page=visit.page, items=items, kind=kind,
                              title=_("News of mentorship: %(org)s", org=visit.org.display_name))

        mimetype = "application/atom+xml" if kind == "atom" else "application/rss+xml"
        return conditional(etag, visit.page.updated_at, render, mimetype=mimetype)


@bp.route("/p/<region_slug>/<org_slug>/news.atom")
def feed_atom(region_slug: str, org_slug: str):
    return _feed(region_slug, org_slug, "atom")


@bp.route("/p/<region_slug>/<org_slug>/news.rss")
def feed_rss(region_slug: str, org_slug: str):
    return _feed(region_slug, org_slug, "rss")


@bp.route("/p/<region_slug>/sitemap.xml")
def sitemap(region_slug: str):
    with visiting(region_slug) as visit:
        head = reading.region_head(visit.region)
        pages, news = reading.sitemap_entries(visit.region) if head is not None else ([], [])
        etag = fingerprint(["sitemap", *(f"{e.id}:{e.version}" for e in pages), *(f"{n[1]}:{n[2]}" for n in news),
                            head.page.version if head is not None and head.page is not None else "-"])
        slugs = {e.id: e.slug for e in pages}
        if head is not None and head.page is not None:
            slugs[visit.region.id] = visit.region.slug

        def render():
            urls = []
            if head is not None:
                urls.append((external_url("public.region", region_slug=region_slug), None))
            urls += [(external_url("public.org", region_slug=region_slug, org_slug=e.slug), e.updated_at) for e in pages]
            urls += [(external_url("public.news_item", region_slug=region_slug, org_slug=slugs[org_id], item_id=item_id),
                      changed) for org_id, item_id, changed in news if org_id in slugs]
            return render_template("public/sitemap.xml", urls=urls)

        return conditional(etag, None, render, mimetype="application/xml")


@bp.route("/robots.txt")
def robots():
    lines = ["User-agent: *", "Allow: /p/", "Disallow: /", ""]
    lines += [f"Sitemap: {external_url('public.sitemap', region_slug=r.slug)}" for r in reading.all_regions()]
    etag = fingerprint(lines)
    return conditional(etag, None, lambda: Response("\n".join(lines) + "\n", mimetype="text/plain"))
