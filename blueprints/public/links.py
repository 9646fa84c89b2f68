"""Where the public page templates link to: the public addresses for a visitor, the editor's
preview addresses for the organisation's admin (drafts have no public address)."""
from __future__ import annotations

from flask import url_for


class PublicLinks:
    """Links of one organisation's public pages (``/p/<region>/<org>/…``; the ministry's items
    live under its own slug too, its page is the region's page)."""

    preview = False

    def __init__(self, region_slug: str, org_slug: str):
        self.region_slug, self.org_slug = region_slug, org_slug

    def _org(self, endpoint: str, **values) -> str:
        return url_for(endpoint, region_slug=self.region_slug, org_slug=self.org_slug, **values)

    def region(self) -> str:
        return url_for("public.region", region_slug=self.region_slug)

    def org_page(self, slug: str | None = None) -> str:
        return url_for("public.org", region_slug=self.region_slug, org_slug=slug or self.org_slug)

    def home(self) -> str:
        return self.org_page()

    def news_list(self) -> str:
        return self._org("public.news_list")

    def news_item(self, item) -> str:
        return self._org("public.news_item", item_id=item.id)

    def news_picture(self, item) -> str:
        return self._org("public.news_picture", item_id=item.id)

    def document(self, document) -> str:
        return self._org("public.document", document_id=document.id, filename=document.filename)

    def practice(self, practice) -> str:
        return self._org("public.practice", practice_id=practice.id)

    def card_photo(self, card) -> str:
        return self._org("public.card_photo", card_id=card.id)

    def contest_rules(self, contest) -> str:
        return self._org("public.contest_rules", contest_id=contest.id)

    def library_file(self, item) -> str:
        return self._org("public.library_file", item_id=item.id)

    def feed(self, kind: str = "atom") -> str:
        return self._org("public.feed_atom" if kind == "atom" else "public.feed_rss")


class PreviewLinks(PublicLinks):
    """The same page as its admin previews it: drafts and their files through the editor."""

    preview = True

    def region(self) -> str:
        return url_for("site.preview")

    def org_page(self, slug: str | None = None) -> str:
        if slug is None or slug == self.org_slug:
            return url_for("site.preview")
        return super().org_page(slug)  # a published page below: its public address

    def home(self) -> str:
        return url_for("site.preview")

    def news_list(self) -> str:
        return url_for("site.news")

    def news_item(self, item) -> str:
        return url_for("site.news_preview", item_id=item.id)

    def news_picture(self, item) -> str:
        return url_for("site.news_picture", item_id=item.id)

    def document(self, document) -> str:
        return url_for("site.document_download", document_id=document.id)

    def practice(self, practice) -> str:
        return url_for("site.practice_preview", practice_id=practice.id)

    def card_photo(self, card) -> str:
        return url_for("site.card_photo", card_id=card.id)

    def contest_rules(self, contest) -> str:
        return "#"

    def feed(self, kind: str = "atom") -> str:
        return "#"
