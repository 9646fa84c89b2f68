"""The default questionnaires (анкеты) of a region, owned by its ministry.

Written for this product in Russian (data, not msgids), after the seeds: expectations at the
start, feedback for the intermediate assessment (seed 000, stage 6), personal satisfaction and
the quality of the programme at completion (seed 000, stage 7; seed 002, 7.1; seed 004,
stage 6). Each has a stable ``code``; ``ensure_default_templates`` materialises the missing
ones for a region, once (a deterministic ``family`` per region and code is the unique key, so
two concurrent calls cannot make a duplicate). A region edits, archives or copies them like
any of its own templates; a new version keeps the code, so they are never re-created.
"""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from mentorship.surveys.models import SurveyQuestion, SurveyTemplate
from tenants.context import tenant_scope
from tenants.scoping import region_path

SCALE_HELP = "1 — совсем нет, 10 — полностью"

_FREQUENCY = ["Раз в неделю", "Раз в две недели", "Раз в месяц", "По мере необходимости"]


def _scale(text: str, *, in_index: bool = False, help_text: str = SCALE_HELP) -> dict:
    return {"kind": "scale", "text": text, "help_text": help_text, "in_index": in_index}


def _single(text: str, options: list[str], *, required: bool = True) -> dict:
    return {"kind": "single", "text": text, "options": options, "required": required}


def _multiple(text: str, options: list[str], *, required: bool = True) -> dict:
    return {"kind": "multiple", "text": text, "options": options, "required": required,
            "help_text": "Можно выбрать несколько вариантов"}


def _long(text: str, *, required: bool = False, help_text: str | None = None) -> dict:
    return {"kind": "long_text", "text": text, "required": required, "help_text": help_text}


DEFAULT_TEMPLATES: list[dict] = [
    {
        "code": "start_mentee",
        "title": "Ожидания наставляемого в начале программы",
        "description": "Анкета заполняется наставляемым в начале работы в паре (группе). Ответы помогают "
                       "наставнику и куратору составить индивидуальный план с учётом ожиданий.",
        "purpose": "start",
        "audience": ["mentee"],
        "questions": [
            _scale("Насколько вам интересно участие в программе наставничества?"),
            _multiple("Чего вы ждёте от работы с наставником?", [
                "Помощи в освоении учебного материала или профессиональных навыков",
                "Поддержки в адаптации в коллективе",
                "Помощи в выборе профессии и дальнейшего пути",
                "Участия в проектах, конкурсах, олимпиадах",
                "Развития уверенности в себе и личных качеств",
                "Другое",
            ]),
            _single("Как часто вам было бы удобно встречаться с наставником?", _FREQUENCY),
            _single("Какой формат встреч вам ближе?", ["Очные встречи", "Онлайн", "Смешанный формат"]),
            _scale("Насколько вы уверены, что наставничество поможет вам достичь ваших целей?"),
            _long("Каких результатов вы хотите достичь к концу программы?", required=True),
            _long("Что, по-вашему, может помешать успешной работе с наставником?"),
        ],
    },
    {
        "code": "start_mentor",
        "title": "Ожидания наставника в начале программы",
        "description": "Анкета заполняется наставником в начале работы в паре (группе). Ответы помогают "
                       "куратору спланировать методическую поддержку наставников.",
        "purpose": "start",
        "audience": ["mentor"],
        "questions": [
            _scale("Насколько вы чувствуете себя готовым к роли наставника?"),
            _single("Есть ли у вас опыт наставничества?", [
                "Да, более одного года", "Да, менее одного года", "Нет, участвую впервые",
            ]),
            _multiple("Что для вас главное в участии в программе?", [
                "Помочь наставляемому добиться результата",
                "Поделиться своим опытом",
                "Развить собственные профессиональные навыки",
                "Профессиональное признание",
                "Другое",
            ]),
            _multiple("Какая поддержка вам понадобится?", [
                "Методические материалы",
                "Обучение (семинар, тренинг, школа наставников)",
                "Консультации куратора или педагога-психолога",
                "Помощь в организации встреч",
                "Пока не нужна",
            ]),
            _single("Как часто вы планируете встречаться с наставляемым?", _FREQUENCY),
            _long("Каких результатов наставляемого вы ожидаете к концу программы?", required=True),
            _long("Какие трудности вы предвидите?"),
        ],
    },
    {
        "code": "intermediate",
        "title": "Промежуточная обратная связь участников программы",
        "description": "Анкета обратной связи для промежуточной оценки: как идёт работа в паре (группе) и "
                       "нужно ли скорректировать индивидуальный план.",
        "purpose": "intermediate",
        "audience": ["mentor", "mentee"],
        "questions": [
            _scale("Насколько вас устраивает регулярность встреч?", in_index=True),
            _scale("Насколько продвинулась работа по индивидуальному плану?"),
            _scale("Насколько комфортно вам работать с вашим наставником или наставляемым?", in_index=True),
            _scale("Насколько в целом вы удовлетворены ходом программы на данный момент?", in_index=True),
            _single("Нужна ли корректировка индивидуального плана?", [
                "Нет, всё идёт по плану",
                "Да, нужно уточнить цели",
                "Да, нужно изменить сроки или формат встреч",
            ]),
            _long("Что получилось лучше всего за прошедший период?"),
            _long("Что стоит изменить на следующем этапе?"),
        ],
    },
    {
        "code": "completion",
        "title": "Удовлетворённость участием в программе наставничества",
        "description": "Мониторинг личной удовлетворённости участием в программе наставничества по её "
                       "завершении. Анкета анонимна: ответы не связываются с вашим именем.",
        "purpose": "completion",
        "audience": ["mentor", "mentee"],
        "questions": [
            _scale("Насколько хорошо была организована программа наставничества?", in_index=True),
            _scale("Насколько вы удовлетворены встречами: их частотой, форматом и содержанием?", in_index=True),
            _scale("Насколько полезным для вас оказалось участие в программе?", in_index=True),
            _scale("Насколько вы удовлетворены работой с вашим наставником или наставляемым?", in_index=True),
            _scale("Насколько вам хотелось бы продолжить участие в программе наставничества?", in_index=True),
            _single("Хотели бы вы участвовать в программе наставничества в следующем году?", [
                "Да, в той же роли",
                "Да, в другой роли (например, стать наставником)",
                "Нет",
                "Пока не знаю",
            ]),
            _multiple("Что оказалось для вас наиболее ценным?", [
                "Индивидуальные встречи",
                "Совместные проекты",
                "Консультации и советы",
                "Поддержка и мотивация",
                "Новые знакомства",
            ], required=False),
            _long("Ваши предложения по улучшению программы"),
        ],
    },
    {
        "code": "completion_representative",
        "title": "Удовлетворённость законного представителя наставляемого",
        "description": "Анкета для родителей (законных представителей) несовершеннолетних наставляемых "
                       "по завершении программы наставничества.",
        "purpose": "completion",
        "audience": ["representative"],
        "questions": [
            _scale("Насколько вы удовлетворены участием вашего ребёнка в программе наставничества?", in_index=True),
            _scale("Насколько полно вас информировали о ходе программы?", in_index=True),
            _scale("Насколько заметны положительные изменения у ребёнка (в учёбе, уверенности в себе, интересах)?",
                   in_index=True),
            _single("Хотели бы вы, чтобы ребёнок продолжил участие в программе?",
                    ["Да", "Нет", "Затрудняюсь ответить"]),
            _long("Ваши пожелания и предложения"),
        ],
    },
    {
        "code": "programme_quality",
        "title": "Оценка качества реализации программы наставничества (анкета куратора)",
        "description": "Мониторинг качества реализации программы наставничества: сильные и слабые стороны, "
                       "возможности и угрозы (SWOT-анализ), общая оценка.",
        "purpose": "programme_quality",
        "audience": ["curator"],
        "questions": [
            _long("Сильные стороны программы", required=True,
                  help_text="Что удалось лучше всего: организация, подбор пар, результаты участников"),
            _long("Слабые стороны программы", required=True,
                  help_text="Что не получилось или получилось хуже, чем планировалось"),
            _long("Возможности", required=True,
                  help_text="Ресурсы, партнёры и идеи, которые можно использовать для развития программы"),
            _long("Угрозы", required=True,
                  help_text="Внешние и внутренние риски для программы в следующем цикле"),
            _single("Какая доля пар (групп) достигла целей индивидуальных планов?", [
                "Менее четверти", "От четверти до половины", "Более половины", "Практически все",
            ]),
            _scale("Общая оценка качества реализации программы", in_index=True,
                   help_text="1 — очень низкое, 10 — отличное"),
        ],
    },
]

DEFAULT_CODES = tuple(spec["code"] for spec in DEFAULT_TEMPLATES)


def default_family(ministry_id: int, code: str) -> str:
    """The family of a region's default template: deterministic, so it is the unique key that
    keeps concurrent materialisations from making two (``family`` is 32 characters)."""
    return "default-" + hashlib.sha256(f"{ministry_id}:{code}".encode()).hexdigest()[:24]


def build_template(spec: dict, org_id: int, family: str) -> SurveyTemplate:
    """A new template (version 1) with its questions, from a spec of DEFAULT_TEMPLATES."""
    template = SurveyTemplate(org_id=org_id, family=family, version=1, is_current=True, code=spec["code"],
                              title=spec["title"], description=spec["description"], purpose=spec["purpose"],
                              audience=list(spec["audience"]))
    for position, q in enumerate(spec["questions"], start=1):
        template.questions.append(SurveyQuestion(
            org_id=org_id, position=position, kind=q["kind"], text=q["text"], help_text=q.get("help_text"),
            required=q.get("required", True), options=list(q.get("options", [])), in_index=q.get("in_index", False),
        ))
    return template


def ensure_default_templates(ministry_org) -> int:
    """Create the region's default templates that its ministry does not have yet; the number
    created. ``ministry_org`` is the ministry (any organisation of the region will do: the
    ministry is found from its path). Runs as the ministry, which owns what it writes; the
    caller commits. Idempotent, also when two calls race (the loser's insert is dropped)."""
    ministry_id = ministry_org.ancestor_ids[0]
    created = 0
    with tenant_scope(ministry_id, region_path(ministry_org.path)):
        present = set(db.session.scalars(
            sa.select(SurveyTemplate.code).where(SurveyTemplate.org_id == ministry_id,
                                                 SurveyTemplate.code.in_(DEFAULT_CODES))
        ))
        for spec in DEFAULT_TEMPLATES:
            if spec["code"] in present:
                continue
            savepoint = db.session.begin_nested()
            try:
                db.session.add(build_template(spec, ministry_id, default_family(ministry_id, spec["code"])))
                db.session.flush()
            except IntegrityError:  # made meanwhile by a concurrent call
                savepoint.rollback()
            else:
                savepoint.commit()
                created += 1
    return created
