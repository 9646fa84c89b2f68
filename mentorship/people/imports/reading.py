"""Reading a file of participants and validating every row — pure: no database, no request.

Files come as office software in a Russian locale saves them:

* CSV in UTF-8 (with or without a BOM) or Windows-1251 (tried in that order: UTF-8 strictly,
  else cp1251), UTF-16 with a BOM ("Unicode text"); the delimiter sniffed from the heading
  row (';' as Russian Excel writes it, ',' or a tab); dates dd.mm.yyyy (also yyyy-mm-dd);
  «да»/«нет» for yes/no;
* XLSX read with openpyxl in read-only mode; date cells come as dates, phones as numbers.

Headings are matched tolerantly (case, spaces, punctuation, ё/е, a hint in parentheses).
Every problem is reported as ``{"row", "column", "message"}`` with the row number the user
sees in the spreadsheet (the heading is row 1; file-wide problems have row and column None).
What the database knows (the school's partner enterprises and existing participants, the
region's forms of mentorship) comes in as ``SchoolFacts``; mentorship/people/imports/batches.py
builds them and writes the rows.

Mentors may bring the key fields of their questionnaire in optional columns (the number of
mentees they can take, their forms of mentorship and competencies, the approval, the consent
to the municipal registry), so that an imported mentor bank can be matched at once; they are
filled only for a mentor (bank «наставник») and default to what the questionnaire does.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _

from mentorship.people.models import REQUEST_KINDS
from mentorship.people.rules import MESSAGES as RULE_MESSAGES
from mentorship.people.rules import ParticipantData, check_participant, is_minor
from mentorship.region.forms import EMPLOYER, PUPIL, STUDENT, TEACHER

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
MAX_ERRORS = 10_000  # kept and shown; the count of the rest is said in the last entry
PREVIEW_ROWS = 10


@dataclass(frozen=True)
class Column:
    key: str
    name: str  # as errors and the preview name it
    hint: str = ""  # allowed values, shown in parentheses in the template's heading
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.name} ({self.hint})" if self.hint else self.name


COLUMNS: tuple[Column, ...] = (
    Column("full_name", "ФИО", required=True, aliases=("Фамилия имя отчество", "Фамилия, имя, отчество")),
    Column("category", "Категория", "ученик/студент/педагог/представитель работодателя", required=True),
    Column("birth_date", "Дата рождения", required=True),
    Column("class_or_position", "Класс/группа или должность", aliases=("Класс", "Группа", "Должность",
                                                                        "Класс/группа", "Класс или должность")),
    Column("teaching_since", "Начало педагогического стажа", aliases=("Начало стажа", "Педагогический стаж с")),
    Column("special_needs", "ОВЗ", "да/нет"),
    Column("email", "E-mail", aliases=("Электронная почта", "Эл. почта", "Почта")),
    Column("phone", "Телефон"),
    Column("representative_name", "Законный представитель", aliases=("Представитель", "ФИО представителя")),
    Column("representative_email", "E-mail представителя", aliases=("Почта представителя",)),
    Column("representative_phone", "Телефон представителя"),
    Column("enterprise", "Предприятие", aliases=("Предприятие-партнёр", "Организация")),
    Column("consent_on", "Согласие на обработку ПДн: дата", required=True,
           aliases=("Дата согласия", "Согласие на обработку ПДн", "Согласие дата")),
    Column("consent_by", "Согласие дал", "участник/представитель"),
    Column("bank", "Банк", "наставник/наставляемый/пусто"),
    # The mentor's questionnaire (only for a mentor; all optional).
    Column("mentor_capacity", "Наставник: число наставляемых", "1–30",
           aliases=("Число наставляемых", "Вместимость наставника", "Сколько наставляемых")),
    Column("mentor_forms", "Наставник: формы наставничества", "через запятую",
           aliases=("Формы наставничества", "Предпочитаемые формы", "Формы")),
    Column("mentor_competencies", "Наставник: компетенции", "через запятую",
           aliases=("Компетенции", "Компетенции наставника")),
    Column("mentor_approved", "Наставник: утверждён", "да/нет", aliases=("Утверждён", "Наставник утверждён")),
    Column("mentor_registry", "Наставник: согласие на муниципальный реестр", "да/нет",
           aliases=("Согласие на реестр", "Согласие на муниципальный реестр", "Реестр наставников")),
)
MENTOR_KEYS = ("mentor_capacity", "mentor_forms", "mentor_competencies", "mentor_approved", "mentor_registry")
MIN_CAPACITY, MAX_CAPACITY = 1, 30  # as the questionnaire (mentorship/pairing/banks.py)
BY_KEY = {c.key: c for c in COLUMNS}
# participant_rules' field names → the file's columns
FIELD_COLUMNS = {
    "full_name": "full_name", "category": "category", "birth_date": "birth_date",
    "class_or_position": "class_or_position", "teaching_since": "teaching_since", "special_needs": "special_needs",
    "email": "email", "phone": "phone", "representative_name": "representative_name",
    "representative_email": "representative_email", "representative_phone": "representative_phone",
    "enterprise_id": "enterprise",
}
MAX_LENGTHS = {"class_or_position": 200, "email": 254, "phone": 40, "representative_name": 300,
               "representative_email": 254, "representative_phone": 40, "enterprise": 300}

CATEGORY_VALUES = {
    "ученик": PUPIL, "ученица": PUPIL, "обучающийся": PUPIL, "обучающаяся": PUPIL, "учащийся": PUPIL,
    "школьник": PUPIL, "pupil": PUPIL,
    "студент": STUDENT, "студентка": STUDENT, "student": STUDENT,
    "педагог": TEACHER, "учитель": TEACHER, "воспитатель": TEACHER, "преподаватель": TEACHER, "teacher": TEACHER,
    "представитель работодателя": EMPLOYER, "работодатель": EMPLOYER, "employer": EMPLOYER,
}
CONSENT_BY_VALUES = {"участник": "participant", "сам участник": "participant", "participant": "participant",
                     "представитель": "representative", "законный представитель": "representative",
                     "representative": "representative"}
BANK_VALUES = {"": None, "пусто": None, "-": None, "—": None, "нет": None,
               "наставник": "mentor", "mentor": "mentor", "наставляемый": "mentee", "наставляемая": "mentee",
               "mentee": "mentee"}
# The questionnaire's competencies (the request kinds a mentor meets), as the Russian UI names
# them, with their short forms and the codes.
COMPETENCY_VALUES = {
    **{code: code for code in REQUEST_KINDS},
    "образовательные результаты": "academic", "учебные результаты": "academic", "успеваемость": "academic",
    "адаптация": "adaptation",
    "профориентация": "career",
    "методическая помощь": "methodology", "методика": "methodology",
    "сопровождение обучающихся с овз": "special_needs", "овз": "special_needs",
    "проектная деятельность": "projects", "проекты": "projects",
    "развитие лидерских качеств": "leadership", "лидерство": "leadership",
    "другое": "other",
}
COMPETENCY_NAMES = ("образовательные результаты", "адаптация", "профориентация", "методическая помощь",
                    "сопровождение обучающихся с ОВЗ", "проектная деятельность", "развитие лидерских качеств",
                    "другое")
YES = {"да", "д", "yes", "y", "1", "true", "истина", "+"}
NO = {"", "нет", "н", "no", "n", "0", "false", "ложь", "-"}


# -- results ---------------------------------------------------------------------------------

@dataclass
class MentorFields:
    """A mentor's questionnaire as the file gives it (the questionnaire's defaults otherwise)."""

    capacity: int = 1
    forms: list[str] = field(default_factory=list)  # form codes; empty: any form of the category
    competencies: list[str] = field(default_factory=list)  # request kinds, in REQUEST_KINDS order
    approved: bool = False
    registry: bool = False  # consent to the municipal registry (MentorProfile.publish_consent)


@dataclass(frozen=True)
class FormChoice:
    """A form of mentorship of the region, as the file may name it."""

    code: str
    name: str
    mentor_category: str


@dataclass
class ImportRow:
    """One valid row, ready to be written."""

    row: int
    data: ParticipantData
    consent_on: date
    consent_by: str  # participant | representative
    bank: str | None  # mentor | mentee | None
    mentor: MentorFields | None = None  # for a mentor: the questionnaire


@dataclass
class SchoolFacts:
    """What validation needs to know of the school: today, its partner enterprises by
    ``name_key``, and the ``person_key`` of each participant it already has."""

    today: date
    enterprises: dict[str, int] = field(default_factory=dict)
    existing: set = field(default_factory=set)
    forms: list[FormChoice] = field(default_factory=list)  # the region's forms (not retired)

    def form_named(self, text: str) -> FormChoice | None:
        """The form a cell names: by name or code, dashes, spaces and case aside."""
        key = heading_key(text)
        return next((f for f in self.forms if key in (heading_key(f.name), heading_key(f.code))), None)


@dataclass
class Validation:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    total: int = 0  # data rows read (blank rows not counted)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.error_count == 0 and self.total > 0

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"row": row, "column": column, "message": str(message)})

    def finish(self) -> Validation:
        if self.error_count > len(self.errors):
            self.errors.append({"row": None, "column": None, "message": _(
                "… and %(n)d more problems (the first %(shown)d are listed).",
                n=self.error_count - len(self.errors), shown=len(self.errors))})
        return self


class FileRefused(ValueError):
    """The file as a whole cannot be read (its problems are file-wide)."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(str(message))
        self.message, self.row, self.column = str(message), row, column


@dataclass
class Table:
    """A file's heading mapped to columns and its records: (row number, cells)."""

    positions: dict[str, int]  # column key → cell index
    ignored: list[str]
    records: Iterator[tuple[int, list]]


# -- normalising -----------------------------------------------------------------------------

_PARENS = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


def heading_key(text) -> str:
    """A heading reduced to letters and digits: «E-mail», «e mail», «EMAIL» are one column."""
    text = _PARENS.sub("", str(text or "")).lower().replace("ё", "е")
    return _NOT_WORD.sub("", text)


_HEADINGS = {heading_key(alias): c.key for c in COLUMNS for alias in (c.name, c.heading, *c.aliases)}


def name_key(text: str | None) -> str:
    """Names compared as people read them: case, ё/е and runs of spaces do not matter."""
    return _SPACES.sub(" ", (text or "").strip().lower().replace("ё", "е"))


def person_key(full_name: str | None, birth_date: date | None) -> tuple[str, date | None]:
    """Two records with the same name and birth date are the same person."""
    return name_key(full_name), birth_date


def _value_key(text: str) -> str:
    return _SPACES.sub(" ", text.strip().lower().replace("ё", "е"))


# -- reading files ---------------------------------------------------------------------------

_ZIP = b"PK\x03\x04"
_OLE = bytes.fromhex("d0cf11e0a1b11ae1")  # old .xls, or an encrypted .xlsx
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# UTF-8 Cyrillic read as cp1251: «Р» or «С» followed by what bytes 0x80–0xBF decode to.
_MOJIBAKE = re.compile("[РС][" + re.escape(bytes(range(0x80, 0xC0)).decode("cp1251", errors="ignore")) + "]")


def file_format(filename: str, data: bytes) -> str:
    """'csv' or 'xlsx', by name and content; FileRefused when neither or when they disagree."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    if not data:
        raise FileRefused(_("The file is empty."))
    if data.startswith(_OLE) or extension == "xls":
        raise FileRefused(_("This is an old Excel (.xls) or a password-protected file: save it as .xlsx or CSV."))
    if extension == "xlsx":
        if not data.startswith(_ZIP):
            raise FileRefused(_("The file is named .xlsx but is not an Excel workbook."))
        return "xlsx"
    if extension in ("csv", "txt"):
        if data.startswith(_ZIP):
            raise FileRefused(_("The file is named .%(ext)s but is an Excel workbook: name it .xlsx.", ext=extension))
        return "csv"
    raise FileRefused(_("Upload a CSV or XLSX file."))


def decode_text(data: bytes) -> str:
    """CSV bytes as text: UTF-16 with a BOM; UTF-8 (BOM or not) if it decodes strictly; else cp1251."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRefused(_("The file's encoding is broken: save it again as «CSV UTF-8».")) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1251", errors="replace")  # 0x98 is the one byte cp1251 lacks
            if len(_MOJIBAKE.findall(text)) >= 3:
                raise FileRefused(_("The file's encoding is broken (it is neither UTF-8 nor Windows-1251): "
                                    "save it again as «CSV UTF-8».")) from None
            if "\ufffd" in text:
                raise FileRefused(_("The file is not a text table (CSV) in UTF-8 or Windows-1251.")) from None
    if _CONTROL.search(text):
        raise FileRefused(_("The file is not a text table (CSV) in UTF-8 or Windows-1251."))
    return text


def sniff_delimiter(text: str) -> str:
    """';' (Russian Excel), ',' or a tab: the one the heading row has most of."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])  # ties keep the order above
    return best if counts[best] else ";"


def _csv_records(data: bytes) -> Iterator[tuple[int, list]]:
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise FileRefused(_("The CSV file is malformed: %(why)s", why=str(exc)), row=reader.line_num) from None


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file: all mean the same
        raise FileRefused(_("The file cannot be read as an Excel workbook (.xlsx).")) from None
    try:
        if not workbook.worksheets:
            raise FileRefused(_("The workbook has no sheets."))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions; read what is there
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        except FileRefused:
            raise
        except Exception:  # noqa: BLE001 - see above
            raise FileRefused(_("The file cannot be read as an Excel workbook (.xlsx).")) from None
    finally:
        workbook.close()


def _blank(cells: list) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_table(filename: str, data: bytes) -> Table:
    """The heading mapped to columns (FileRefused if required columns are missing) and an
    iterator over the non-blank records after it."""
    kind = file_format(filename, data)
    records = _csv_records(data) if kind == "csv" else _xlsx_records(data)
    heading = next(((number, cells) for number, cells in records if not _blank(cells)), None)
    if heading is None:
        raise FileRefused(_("The file is empty."))
    number, cells = heading
    positions: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[FileRefused] = []
    for index, cell in enumerate(cells):
        if cell is None or not str(cell).strip():
            continue
        key = _HEADINGS.get(heading_key(cell))
        if key is None:
            ignored.append(str(cell).strip())
        elif key in positions:
            problems.append(FileRefused(_("The column appears twice."), row=number, column=BY_KEY[key].name))
        else:
            positions[key] = index
    for column in COLUMNS:
        if column.required and column.key not in positions:
            problems.append(FileRefused(_("A required column is missing: «%(name)s».", name=column.name),
                                        row=number, column=column.name))
    if problems:
        raise HeadingProblems(problems)
    return Table(positions=positions, ignored=ignored,
                 records=((n, c) for n, c in records if not _blank(c)))


class HeadingProblems(FileRefused):
    def __init__(self, problems: list[FileRefused]):
        super().__init__(problems[0].message, problems[0].row, problems[0].column)
        self.problems = problems


# -- cells -----------------------------------------------------------------------------------

class BadValue(ValueError):
    pass


def cell_text(value) -> str:
    """A cell as text: numbers without a trailing «.0» (phones), dates as dd.mm.yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y") if value.time() == time() else value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return _SPACES.sub(" ", str(value)).strip()


_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2,4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def cell_date(value) -> date | None:
    """A date cell: an Excel date, an Excel day number, «dd.mm.yyyy» or «yyyy-mm-dd»."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # an unformatted Excel day number
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        raise BadValue(_("Not a date: «%(v)s». Write dd.mm.yyyy.", v=cell_text(value)))
    text = cell_text(value)
    if not text:
        return None
    match = _DMY.match(text)
    if match:
        day, month, year = match.groups()
        if len(year) != 4:
            raise BadValue(_("Write the year in four digits: «%(v)s».", v=text))
        parts = int(year), int(month), int(day)
    else:
        match = _YMD.match(text)
        if not match:
            raise BadValue(_("Not a date: «%(v)s». Write dd.mm.yyyy.", v=text))
        parts = tuple(int(p) for p in match.groups())
    try:
        return date(*parts)
    except ValueError:
        raise BadValue(_("There is no such date: «%(v)s».", v=text)) from None


def cell_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _value_key(cell_text(value))
    if text in YES:
        return True
    if text in NO:
        return False
    raise BadValue(_("Write «да» or «нет», not «%(v)s».", v=cell_text(value)))


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# -- validation ------------------------------------------------------------------------------

def validate(filename: str, data: bytes, facts: SchoolFacts, max_rows: int = MAX_ROWS) -> Validation:
    """Read and check the whole file: every row's problems, or every row ready to write."""
    result = Validation()
    try:
        table = read_table(filename, data)
        result.ignored_columns = table.ignored
        seen: dict[tuple, int] = {}
        for number, cells in table.records:
            result.total += 1
            if result.total > max_rows:
                result.rows.clear()
                result.errors.clear()
                result.error_count = 0
                raise FileRefused(_("The file has more than %(n)d rows: split it into several files.", n=max_rows))
            row = _check_row(number, cells, table.positions, facts, seen, result)
            if row is not None:
                result.rows.append(row)
    except HeadingProblems as exc:
        for problem in exc.problems:
            result.add(problem.row, problem.column, problem.message)
    except FileRefused as exc:
        result.add(exc.row, exc.column, exc.message)
    if result.total == 0 and result.error_count == 0:
        result.add(None, None, _("The file has no rows of participants under the heading."))
    if not result.valid:
        result.rows = []
    return result.finish()


def _check_row(number: int, cells: list, positions: dict, facts: SchoolFacts, seen: dict,
               result: Validation) -> ImportRow | None:
    problems: dict[str, str] = {}  # column key → message (the first per column)

    def bad(key: str, message) -> None:
        problems.setdefault(key, str(message))

    def raw(key: str):
        index = positions.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    def text(key: str) -> str | None:
        value = cell_text(raw(key))
        if key in MAX_LENGTHS and len(value) > MAX_LENGTHS[key]:
            bad(key, _("Longer than %(n)d characters.", n=MAX_LENGTHS[key]))
        return value or None

    def when(key: str) -> date | None:
        try:
            return cell_date(raw(key))
        except BadValue as exc:
            bad(key, exc)
            return None

    full_name = cell_text(raw("full_name"))
    category_text = cell_text(raw("category"))
    category = CATEGORY_VALUES.get(_value_key(category_text))
    if category is None:
        bad("category", _("Unknown category «%(v)s»: write ученик, студент, педагог or представитель работодателя.",
                          v=category_text) if category_text else _("Name the category."))
    birth_date = when("birth_date")
    teaching_since = when("teaching_since")
    consent_on = when("consent_on")
    try:
        special_needs = cell_bool(raw("special_needs"))
    except BadValue as exc:
        bad("special_needs", exc)
        special_needs = False
    email, phone = text("email"), text("phone")
    rep_name, rep_email, rep_phone = text("representative_name"), text("representative_email"), text("representative_phone")
    for key, value in (("email", email), ("representative_email", rep_email)):
        if value and not _EMAIL.match(value):
            bad(key, _("Not an e-mail address: «%(v)s».", v=value))
    for key, value in (("phone", phone), ("representative_phone", rep_phone)):
        if value and sum(ch.isdigit() for ch in value) < 5:
            bad(key, _("Not a phone number: «%(v)s».", v=value))
    class_or_position = text("class_or_position")

    enterprise_name = text("enterprise")
    enterprise_id = None
    if enterprise_name:
        enterprise_id = facts.enterprises.get(name_key(enterprise_name))
        if enterprise_id is None and category == EMPLOYER:
            bad("enterprise", _("The school has no partner enterprise «%(v)s»: add it first or correct the name.",
                                v=enterprise_name))

    data = ParticipantData(
        full_name=full_name, category=category or category_text, birth_date=birth_date,
        class_or_position=class_or_position, teaching_since=teaching_since, special_needs=special_needs,
        email=email, phone=phone, representative_name=rep_name, representative_email=rep_email,
        representative_phone=rep_phone,
        # an unknown name still counts as "an enterprise is named" for the shared rules
        enterprise_id=enterprise_id if enterprise_id is not None else (-1 if enterprise_name else None),
    )
    for rule_field, code in check_participant(data, facts.today):
        bad(FIELD_COLUMNS[rule_field], RULE_MESSAGES[code])

    minor = is_minor(birth_date, facts.today)
    consent_by_text = cell_text(raw("consent_by"))
    consent_by = CONSENT_BY_VALUES.get(_value_key(consent_by_text)) if consent_by_text else (
        "representative" if minor else "participant")
    if consent_by is None:
        bad("consent_by", _("Write «участник» or «представитель», not «%(v)s».", v=consent_by_text))
    elif consent_by == "participant" and minor:
        bad("consent_by", _("A minor's consent is given by the legal representative."))
    elif consent_by == "representative" and not rep_name:
        bad("consent_by", _("The consent was given by a representative: name the legal representative."))
    if consent_on is None and "consent_on" not in problems:
        bad("consent_on", _("The date of the consent to personal-data processing is required: "
                            "no one is entered without a consent."))
    elif consent_on is not None and consent_on > facts.today:
        bad("consent_on", _("The consent date is in the future."))

    bank_text = cell_text(raw("bank"))
    bank = BANK_VALUES.get(_value_key(bank_text), "?")
    if bank == "?":
        bad("bank", _("Write «наставник», «наставляемый» or leave it empty, not «%(v)s».", v=bank_text))
    mentor = _mentor_fields(raw, bad, facts, bank, category)

    if full_name and "birth_date" not in problems and "full_name" not in problems:
        key = person_key(full_name, birth_date)
        if key in facts.existing:
            bad("full_name", _("The school already has this participant (same name and birth date)."))
        elif key in seen:
            bad("full_name", _("Repeats row %(n)d (same name and birth date).", n=seen[key]))
        else:
            seen[key] = number

    if problems:
        for column in COLUMNS:  # in the file's column order
            if column.key in problems:
                result.add(number, column.name, problems[column.key])
        return None
    data.full_name = _SPACES.sub(" ", full_name.strip())
    data.category = category
    data.enterprise_id = enterprise_id
    return ImportRow(row=number, data=data, consent_on=consent_on, consent_by=consent_by, bank=bank, mentor=mentor)


def _items(text: str) -> list[str]:
    """A cell's list: items separated by commas or semicolons (or new lines)."""
    return [item.strip() for item in re.split(r"[,;\n]", text) if item.strip()]


def _mentor_fields(raw, bad, facts: SchoolFacts, bank: str | None, category: str | None) -> MentorFields | None:
    """The mentor's questionnaire from the optional columns (a mentor only); problems via ``bad``."""
    filled = [key for key in MENTOR_KEYS if cell_text(raw(key))]
    if bank != "mentor":
        for key in filled:
            bad(key, _("Fill in the mentor's questionnaire only for a mentor (bank «наставник»)."))
        return None
    fields = MentorFields()
    capacity = cell_text(raw("mentor_capacity"))
    if capacity:
        if capacity.isdigit() and MIN_CAPACITY <= int(capacity) <= MAX_CAPACITY:
            fields.capacity = int(capacity)
        else:
            bad("mentor_capacity", _("The number of mentees is a whole number from %(lo)d to %(hi)d, not «%(v)s».",
                                     lo=MIN_CAPACITY, hi=MAX_CAPACITY, v=capacity))
    codes: list[str] = []
    for item in _items(cell_text(raw("mentor_forms"))):
        form = facts.form_named(item)
        if form is None:
            bad("mentor_forms", _("The region has no form of mentorship «%(v)s»: write the forms as the catalogue "
                                  "names them (for example «учитель – ученик»), separated by commas.", v=item))
        elif category and form.mentor_category != category:
            bad("mentor_forms", _("In the form «%(v)s» the mentors are of another category than this person.",
                                  v=form.name))
        elif form.code not in codes:
            codes.append(form.code)
    fields.forms = [f.code for f in facts.forms if f.code in codes]
    kinds: set[str] = set()
    for item in _items(cell_text(raw("mentor_competencies"))):
        kind = COMPETENCY_VALUES.get(_value_key(item))
        if kind is None:
            bad("mentor_competencies", _("Unknown competency «%(v)s»: write %(known)s, separated by commas.",
                                         v=item, known=", ".join(COMPETENCY_NAMES)))
        else:
            kinds.add(kind)
    fields.competencies = [k for k in REQUEST_KINDS if k in kinds]
    for key, name in (("mentor_approved", "approved"), ("mentor_registry", "registry")):
        try:
            setattr(fields, name, cell_bool(raw(key)))
        except BadValue as exc:
            bad(key, exc)
    return fields


# -- preview and template --------------------------------------------------------------------

def preview(filename: str, data: bytes, limit: int = PREVIEW_ROWS) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The first ``limit`` rows as the file has them, in the template's column order."""
    table = read_table(filename, data)
    columns = [c for c in COLUMNS if c.key in table.positions]
    rows = []
    for number, cells in table.records:
        if len(rows) >= limit:
            break
        rows.append((number, [cell_text(cells[table.positions[c.key]]) if table.positions[c.key] < len(cells) else ""
                              for c in columns]))
    return [c.name for c in columns], rows


def template_csv() -> bytes:
    """The heading row as Russian Excel opens it: UTF-8 with a BOM, ';'-separated."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow([c.heading for c in COLUMNS])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


DATE_KEYS = ("birth_date", "teaching_since", "consent_on")


def template_xlsx(forms: list[str] | None = None) -> bytes:
    """A workbook: the sheet to fill (headings, date columns, drop-down lists) and a sheet of
    instructions with an example row; ``forms``: the names of the region's forms of mentorship,
    listed in the instructions of the mentor's columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Участники"
    sheet.append([c.heading for c in COLUMNS])
    sheet.freeze_panes = "A2"
    lists = {"category": "ученик,студент,педагог,представитель работодателя", "special_needs": "да,нет",
             "consent_by": "участник,представитель", "bank": "наставник,наставляемый",
             "mentor_approved": "да,нет", "mentor_registry": "да,нет"}
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, min(40, len(column.heading) + 2))
        cells = f"{letter}2:{letter}{MAX_ROWS + 1}"
        if column.key in lists:
            check = DataValidation(type="list", formula1=f'"{lists[column.key]}"', allow_blank=True)
            check.add(cells)
            sheet.add_data_validation(check)
        if column.key in DATE_KEYS:
            check = DataValidation(type="date", operator="greaterThan", formula1="1")
            check.add(cells)
            sheet.add_data_validation(check)
    help_sheet = workbook.create_sheet("Инструкция")
    help_sheet.append(["Столбец", "Что писать", "Пример"])
    example = {
        "full_name": "Петров Илья Сергеевич", "category": "ученик", "birth_date": "01.05.2011",
        "class_or_position": "8Б", "special_needs": "нет", "representative_name": "Петрова Анна Ивановна",
        "representative_phone": "+7 900 123-45-67", "consent_on": "01.09.2025", "consent_by": "представитель",
        "bank": "наставляемый",
    }
    notes = {
        "full_name": "Обязательно. Фамилия, имя, отчество.",
        "category": "Обязательно: ученик, студент, педагог или представитель работодателя.",
        "birth_date": "дд.мм.гггг; обязательна для учеников и студентов.",
        "teaching_since": "Только для педагогов, дд.мм.гггг.",
        "enterprise": "Для представителей работодателя: предприятие-партнёр школы (как в справочнике).",
        "consent_on": "Обязательно: без согласия на обработку ПДн участник не вносится.",
        "consent_by": "За несовершеннолетнего — законный представитель.",
        "representative_name": "Для несовершеннолетних обязателен, с телефоном или e-mail.",
        "mentor_capacity": "Только для наставников: сколько наставляемых может вести (1–30; пусто — 1).",
        "mentor_forms": "Только для наставников: формы наставничества через запятую, как в справочнике региона"
                        + (f" ({'; '.join(forms)})" if forms else "") + "; пусто — любые формы своей категории.",
        "mentor_competencies": "Только для наставников, через запятую: " + ", ".join(COMPETENCY_NAMES) + ".",
        "mentor_approved": "Только для наставников: утверждён для участия в программе (да/нет; пусто — нет).",
        "mentor_registry": "Только для наставников: согласие на включение в муниципальный реестр наставников "
                           "(да/нет; пусто — нет).",
    }
    for column in COLUMNS:
        help_sheet.append([column.heading, notes.get(column.key, ""), example.get(column.key, "")])
    for index in (1, 2, 3):
        help_sheet.cell(row=1, column=index).font = Font(bold=True)
    help_sheet.column_dimensions["A"].width = 45
    help_sheet.column_dimensions["B"].width = 70
    help_sheet.column_dimensions["C"].width = 30
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
