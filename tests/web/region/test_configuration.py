"""The region's configuration pages through the web: the catalogue of forms (defaults written as
rows on the first change, retire and bring back, a duplicate code refused beside its field;
the analyst 403, another level or region 404) and the monitoring calendar (an impossible date
saves nothing; saved and audited)."""
from __future__ import annotations

import re

import pytest

from mentorship.region.forms import DEFAULT_FORMS
from mentorship.region.models import MentorshipForm, RegionSettings
from tenants.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.support.ministry import post_form, rows_of, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

CALENDAR = {"reference_day_1": "20", "reference_month_1": "6", "reference_day_2": "20", "reference_month_2": "12",
            "school_report_day_1": "20", "school_report_month_1": "11", "municipal_report_day_1": "30",
            "municipal_report_month_1": "11", "school_report_day_2": "", "school_report_month_2": "",
            "municipal_report_day_2": "", "municipal_report_month_2": "", "time_zone": "Europe/Moscow"}


def test_forms_catalogue_add_rename_retire(app, tree, login, admin):
    page = admin.get("/monitoring/forms").get_data(as_text=True)
    assert all(f.name in page for f in DEFAULT_FORMS)
    # a default renamed: the catalogue is written as rows
    response = post_form(admin, "/monitoring/forms", {"action": "edit", "code": "teacher_pupil",
                                                  "name": "учитель – школьник"})
    assert response.status_code == 302
    rows = {r.code: r for r in rows_of(app, MentorshipForm)}
    assert len(rows) == len(DEFAULT_FORMS) and rows["teacher_pupil"].name == "учитель – школьник"
    # then by id: retire, and back
    url = f"/monitoring/forms/{rows['student_pupil'].id}/edit"
    assert post_form(admin, url, {"name": "студент – ученик", "retired": "y"}, page="/monitoring/forms") \
        .status_code == 302
    assert rows_of(app, MentorshipForm, code="student_pupil")[0].retired
    assert post_form(admin, url, {"name": "студент – ученик"}, page="/monitoring/forms").status_code == 302
    assert not rows_of(app, MentorshipForm, code="student_pupil")[0].retired
    # add (its code is made from the name, never shown); a duplicate name is refused beside its field
    new = {"action": "add", "name": "родитель – ученик", "mentor_category": "employer", "mentee_category": "pupil"}
    assert post_form(admin, "/monitoring/forms", new).status_code == 302
    assert rows_of(app, MentorshipForm, name="родитель – ученик")[0].code == "roditel_uchenik"
    again = post_form(admin, "/monitoring/forms", new)
    refused = again.get_data(as_text=True)
    assert again.status_code == 200 and 'id="name-errors"' in refused and "с таким наименованием уже есть" in refused
    assert len(rows_of(app, MentorshipForm)) == len(DEFAULT_FORMS) + 1
    # an empty name is refused
    empty = post_form(admin, url, {"name": " "}, page="/monitoring/forms")
    assert empty.status_code == 200 and rows_of(app, MentorshipForm, code="student_pupil")[0].name == "студент – ученик"
    # the analyst: 403 on the id route; the municipal body and another region: 404
    assert post_form(signed_in(app, login, tree, "r1.staff"), url, {"name": "x"}, page="/monitoring/forms") \
        .status_code == 403
    for who in ("r1m1.admin", "r2.admin"):
        other = signed_in(app, login, tree, who)
        token = csrf_token_from(other.get("/", follow_redirects=True))
        assert other.post(url, data={"name": "x", "csrf_token": token}).status_code == 404, who
    assert rows_of(app, MentorshipForm, code="student_pupil")[0].name == "студент – ученик"




def test_the_calendar(app, admin, analyst):
    page = admin.get("/monitoring/calendar").get_data(as_text=True)
    options = re.findall(r'<option[^>]*value="([^"]+)"', page.split('name="time_zone"', 1)[1])
    assert options[:2] == ["Europe/Kaliningrad", "Europe/Moscow"]
    assert re.search(r'<option selected value="Europe/Moscow">|<option value="Europe/Moscow" selected', page)
    # Russia's zones by city and offset, in the reader's language, not by their IANA names
    labels = re.findall(r"<option[^>]*>([^<]+)</option>", page.split('name="time_zone"', 1)[1].split("</select>")[0])
    assert labels[:2] == ["Калининград (UTC+2)", "Москва (UTC+3)"] and "Екатеринбург (UTC+5)" in labels
    assert len(labels) == 26 and not any("/" in label for label in labels)
    month_1 = page.split('name="reference_month_1"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option selected value="(\d+)"', month_1) == ["6"]  # 20 June by default
    bad = post_form(admin, "/monitoring/calendar", CALENDAR | {"reference_day_1": "31"})
    assert bad.status_code == 200 and "31" in bad.get_data(as_text=True).split('id="calendar-problems"', 1)[1]
    assert not rows_of(app, RegionSettings)
    out_of_range = post_form(admin, "/monitoring/calendar", CALENDAR | {"school_report_day_1": "32"})
    assert out_of_range.status_code == 200 and "is-invalid" in out_of_range.get_data(as_text=True)
    assert not rows_of(app, RegionSettings)
    ok = post_form(admin, "/monitoring/calendar", CALENDAR | {"reference_day_2": "25", "time_zone": "Europe/Kirov"})
    assert ok.status_code == 302
    saved = rows_of(app, RegionSettings)[0]
    assert (saved.reference_day_2, saved.reference_month_2, saved.time_zone) == (25, 12, "Europe/Kirov")
    events = rows_of(app, AuditEvent, action="region.settings_changed")
    assert len(events) == 1 and events[0].details["after"]["reference_day_2"] == 25
    assert 'value="25"' in analyst.get("/monitoring/calendar").get_data(as_text=True)
