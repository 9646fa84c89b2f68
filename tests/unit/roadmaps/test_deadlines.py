"""Deadlines in every form the seeds use: parsed to structured data, due dates computed,
impossible or inconsistent ones refused with a Russian message."""
from __future__ import annotations

from datetime import date

import pytest

from mentorship.roadmaps.deadlines import Deadline, DeadlineError, Period, parse_deadline

SCHOOL_YEAR = Period.school_year(2023)  # August 2023 – August 2024
KIROV = Period(date(2020, 11, 1), date(2024, 12, 31))


@pytest.mark.parametrize(
    "text,kind,due",
    [
        ("30.11.2023", "date", [date(2023, 11, 30)]),
        ("до 30 ноября 2023 г.", "date", [date(2023, 11, 30)]),
        ("Ноябрь 2023", "month", [date(2023, 11, 30)]),
        ("Ноябрь 2020 г.", "month", [date(2020, 11, 30)]),
        ("Август", "month", [date(2023, 8, 31)]),  # the preparation August of a school year
        ("сентябрь", "month", [date(2023, 9, 30)]),
        ("Ноябрь-декабрь 2020 г.", "range", [date(2020, 12, 31)]),
        ("Август–сентябрь", "range", [date(2023, 9, 30)]),
        ("январь – февраль 2022", "range", [date(2022, 2, 28)]),
        ("ноябрь – февраль", "range", [date(2024, 2, 29)]),
        ("2023–2024", "school_year", [date(2024, 8, 31)]),
        ("2023-2024 учебный год", "school_year", [date(2024, 8, 31)]),
        ("2022 – 2024 гг.", "years", [date(2024, 12, 31)]),
        ("ежегодно, не позднее 30 ноября", "recurring", [date(2023, 11, 30)]),
        ("ежегодно 20 декабря, 20 июня", "recurring", [date(2023, 12, 20), date(2024, 6, 20)]),
        ("ежегодно, август", "recurring", [date(2023, 8, 31), date(2024, 8, 31)]),
        ("ежегодно август", "recurring", [date(2023, 8, 31), date(2024, 8, 31)]),
        ("ноябрь 2023 – февраль", "range", [date(2024, 2, 29)]),
        ("ежегодно", "recurring", [date(2023, 12, 31)]),
        ("постоянно", "permanent", []),
        ("Постоянно", "permanent", []),
        ("по мере необходимости", "as_needed", []),
        ("в соответствии с планом ИРО", "per_plan", []),
        ("В соответствии с планом мероприятий ИРО на календарный год", "per_plan", []),
    ],
)
def test_seed_wordings(text, kind, due):
    deadline = parse_deadline(text)
    assert deadline.kind == kind
    assert deadline.text == text  # shown in the seeds' own wording
    assert deadline.due_dates(SCHOOL_YEAR) == due
    assert Deadline.from_json(deadline.as_json()) == deadline


def test_recurring_from_a_first_year():
    deadline = parse_deadline("февраль 2022, далее ежегодно")
    assert deadline.due_dates(Period(date(2022, 1, 1), date(2024, 12, 31))) == [
        date(2022, 2, 28), date(2023, 2, 28), date(2024, 2, 29)]


def test_several_deadlines_in_one_cell():
    deadline = parse_deadline("январь 2022, далее ежегодно февраль 2022, далее ежегодно")
    assert deadline.kind == "several" and len(deadline.data["parts"]) == 2
    assert deadline.due_dates(Period(date(2022, 1, 1), date(2023, 12, 31))) == [
        date(2022, 1, 31), date(2022, 2, 28), date(2023, 1, 31), date(2023, 2, 28)]
    assert Deadline.from_json(deadline.as_json()) == deadline


def test_overdue_and_next_due():
    twice_a_year = parse_deadline("ежегодно 20 декабря, 20 июня")
    assert twice_a_year.overdue_since(KIROV, date(2021, 1, 10)) == date(2020, 12, 20)
    assert twice_a_year.next_due(KIROV, date(2021, 1, 10)) == date(2021, 6, 20)
    assert twice_a_year.overdue_since(KIROV, date(2020, 12, 1)) is None
    assert parse_deadline("постоянно").overdue_since(KIROV, date(2030, 1, 1)) is None
    assert not parse_deadline("по мере необходимости").has_due_date


@pytest.mark.parametrize(
    "text,message",
    [
        ("31.02.2024", "такой даты нет"),
        ("31 февраля 2024", "такой даты нет"),
        ("ежегодно, не позднее 31 апреля", "такого дня нет"),
        ("декабрь 2021 – ноябрь 2021", "заканчивается раньше"),
        ("2023–2025 учебный год", "второй год"),
        ("2024–2023", "заканчивается раньше"),
        ("когда-нибудь", "не удалось разобрать"),
        ("", "не указан"),
    ],
)
def test_bad_deadlines_are_refused_with_a_clear_message(text, message):
    with pytest.raises(DeadlineError) as error:
        parse_deadline(text)
    assert message in str(error.value)
