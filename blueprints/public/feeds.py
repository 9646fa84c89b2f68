"""The news feed of an organisation (Atom and RSS 2.0, feedgen), so that the school's own site or
a regional portal can show its news. Absolute links (core/links.py)."""
from __future__ import annotations

from datetime import UTC, datetime, time

from feedgen.feed import FeedGenerator

from core.links import external_url
from core.richtext import plain_text, render_markdown
from mentorship.public.reading import aware

FEED_ITEMS = 20


def build_feed(*, region_slug: str, org, page, items, title: str, kind: str) -> bytes:
    """``items`` (published news, newest first) as an ``atom`` or ``rss`` document."""
    values = {"region_slug": region_slug, "org_slug": org.slug}
    home = external_url("public.org", **values)
    feed = FeedGenerator()
    feed.id(home)
    feed.title(title)
    feed.subtitle(plain_text(page.intro, 200) or title)
    feed.link(href=home, rel="alternate")
    feed.link(href=external_url("public.feed_atom" if kind == "atom" else "public.feed_rss", **values), rel="self")
    feed.language("ru")
    feed.updated(aware(page.updated_at))
    for item in reversed(items):  # feedgen puts each new entry first
        url = external_url("public.news_item", item_id=item.id, **values)
        entry = feed.add_entry()
        entry.id(url)
        entry.title(item.title)
        entry.link(href=url)
        entry.published(datetime.combine(item.published_on, time(9, 0), tzinfo=UTC))
        entry.updated(aware(item.updated_at))
        entry.summary(plain_text(item.text, 300))
        entry.content(str(render_markdown(item.text)), type="html")
        if item.has_picture:
            entry.enclosure(external_url("public.news_picture", item_id=item.id, **values), 0, item.picture_type)
    return feed.atom_str(pretty=True) if kind == "atom" else feed.rss_str(pretty=True)
