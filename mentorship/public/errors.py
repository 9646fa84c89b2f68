"""What the public pages' editor refuses: one error class for the area, each problem beside its
field (the services' parameter names, which the forms mirror)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.errors import DomainError, NotFound


class PublicError(DomainError):
    MESSAGES = {
        "title_required": _l("Enter a title."),
        "title_too_long": _l("The title is longer than 300 characters."),
        "text_required": _l("Enter the text."),
        "text_too_long": _l("The text is longer than %(limit)d characters."),
        "summary_too_long": _l("The summary is longer than 500 characters."),
        "date_required": _l("Enter the date."),
        "too_long": _l("This field is longer than %(limit)d characters."),
        "bad_email": _l("Enter an e-mail address such as school@example.ru."),
        "bad_website": _l("Enter the site's address starting with http:// or https://."),
        "alt_required": _l("Describe the picture for those who cannot see it."),
        # Files (core/uploads.py and core/images.py codes).
        "file_required": _l("Choose a file."),
        "empty": _l("The file is empty."),
        "too_large": _l("The file is larger than %(limit)s MB."),
        "type_not_allowed": _l("Only PDF, DOCX and XLSX documents can be published."),
        "picture_type_not_allowed": _l("The picture must be a JPEG, PNG or WebP image."),
        "name_mismatch": _l("The file's extension does not match its content."),
        "unreadable": _l("The picture cannot be read."),
        # Sources of snapshot documents.
        "roadmap_not_approved": _l("Only an approved roadmap can be published."),
        "report_not_ready": _l("The analytical report has not been built yet."),
        "order_empty": _l("The order grants no award."),
        "order_without_consent": _l(
            "Not everyone in the order has a valid consent to publication (or, for a partner, its agreement): "
            "%(names)s."),
        "pair_orders_never": _l("Pair orders name pupils and are never published."),
        "category_unknown": _l("Choose a category."),
        "page_not_published": _l("Publish the page first."),
    }


class PublicNotFound(NotFound):
    MESSAGES = {
        "not_found": _l("Nothing was found at this address."),
        "source_not_found": _l("The document to publish was not found."),
    }
