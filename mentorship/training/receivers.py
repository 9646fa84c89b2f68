"""Training's part when something happens to people (mentorship/people/signals.py)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from core.extensions import db
from core.model import utcnow
from mentorship.people.consents import ERASED_NAME
from mentorship.people.models import Participant
from mentorship.people.signals import Erasure, person_erased
from mentorship.training.enrolment import release_seat
from mentorship.training.models import CertificateFile, Enrolment, TrainingCompletion


@person_erased.connect
def forget_the_person(person: Participant, *, on: date, **_kwargs) -> Erasure:
    """Cancel the person's open enrolments (their places are freed), erase the name kept for
    the organisers' rosters and delete uploaded certificates, which name them. The completions
    stay as figures: a course, a date, hours — nobody's name."""
    erasure = Erasure()
    cancelled = []
    for enrolment in db.session.scalars(sa.select(Enrolment).where(Enrolment.participant_id == person.id)
                                        .order_by(Enrolment.id)):
        if enrolment.status == "enrolled":
            enrolment.status, enrolment.cancelled_at = "cancelled", utcnow()
            release_seat(enrolment.course_id)
            cancelled.append(enrolment.id)
        if enrolment.display_name != ERASED_NAME or enrolment.position:
            enrolment.display_name, enrolment.position = ERASED_NAME, None
            erasure.fields.append("training_enrolments.display_name")
    for completion in db.session.scalars(
            sa.select(TrainingCompletion).join(CertificateFile, CertificateFile.completion_id == TrainingCompletion.id)
            .where(TrainingCompletion.participant_id == person.id)):
        completion.certificate = None
        erasure.fields.append("training_certificates")
    db.session.flush()
    if cancelled:
        erasure.details["training_enrolments_cancelled"] = cancelled
    return erasure
