"""The monitoring's part when a pair entered wrongly is corrected (mentorship/pairing/signals.py).

A frozen period's figures are final: the reports above were written from them. A pair that
such a period counted cannot be voided, nor corrected so that the period would count it
differently (in or out of the year window, another form, other people), until the ministry
unfreezes that period — the message names it. A period "counted" a pair when the pair was
already entered when the period was frozen (``frozen_at``) and the period's year window
held it (the counting rule of mentorship/monitoring/facts.py)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import Conflict
from core.extensions import db
from mentorship.monitoring.models import MonitoringPeriod
from mentorship.pairing.models import Mentorship
from mentorship.pairing.signals import PairCorrection, pair_correcting
from tenants.context import unscoped
from tenants.scoping import region_path

LABEL = "monitoring.frozen_pair_periods"


class CountedPairError(Conflict):
    """A correction of a pair that a frozen monitoring period counted."""

    MESSAGES = {
        "void_counted": _l("The pair was counted in the monitoring of %(dates)s, whose figures are frozen: it can be "
                           "voided only after the ministry unfreezes that period."),
        "edit_counted": _l("The pair was counted in the monitoring of %(dates)s, whose figures are frozen: this "
                           "correction would change them, so it can be made only after the ministry unfreezes "
                           "that period."),
    }


def in_window(reference_date: date, started_on: date, ended_on: date | None) -> bool:
    """The year window's rule: active on a day from 1 January of the reference date's year up
    to the reference date."""
    return started_on <= reference_date and (ended_on is None or ended_on >= date(reference_date.year, 1, 1))


def frozen_periods_after(mentorship: Mentorship) -> list[date]:
    """The reference dates of the region's frozen periods frozen after the pair was entered
    (the ones whose figures could hold it), oldest first. Read across the tree: a school does
    not see the ministry's periods."""
    with unscoped(LABEL):
        return list(db.session.scalars(
            sa.select(MonitoringPeriod.reference_date)
            .where(MonitoringPeriod.org_path == region_path(mentorship.org_path), MonitoringPeriod.status == "frozen",
                   MonitoringPeriod.frozen_at >= mentorship.created_at)
            .order_by(MonitoringPeriod.reference_date)
        ))


def periods_refusing(mentorship: Mentorship, change: PairCorrection) -> list[date]:
    """The frozen periods whose figures ``change`` would alter (none: the change may go on)."""
    refusing = []
    members = frozenset(m.participant_id for m in mentorship.members)
    for ref in frozen_periods_after(mentorship):
        counted = in_window(ref, mentorship.started_on, mentorship.ended_on)
        if change.is_void:
            if counted:
                refusing.append(ref)
            continue
        counted_after = in_window(ref, change.started_on, mentorship.ended_on)
        same_people = (change.form_code, change.mentor_id, change.mentee_ids) == (
            mentorship.form_code, mentorship.mentor_id, members)
        if counted != counted_after or (counted and not same_people):
            refusing.append(ref)
    return refusing


@pair_correcting.connect
def refuse_if_a_frozen_period_counted_it(mentorship: Mentorship, *, change: PairCorrection, **_kwargs) -> None:
    """Raise CountedPairError naming the frozen periods the correction would alter."""
    refusing = periods_refusing(mentorship, change)
    if refusing:
        raise CountedPairError("void_counted" if change.is_void else "edit_counted", field=None,
                               dates=", ".join(ref.strftime("%d.%m.%Y") for ref in refusing))
