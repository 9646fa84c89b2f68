"""Default individual plans (индивидуальный план) per form of mentorship.

Each template gives the plan's goals and its tasks, each with a due date as an offset in
weeks from the pair's start date. The stages follow the seeds' roadmaps: diagnostics first,
then the plan itself, the work, and the results. Forms the ministry adds to its catalogue
under other codes get the template of their mentee category (or the general one).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from mentorship.region.forms import EMPLOYER, PUPIL, STUDENT, TEACHER


@dataclass(frozen=True)
class TaskTemplate:
    title: str
    week: int  # due this many weeks after the pair's start


@dataclass(frozen=True)
class PlanTemplate:
    goals: str
    tasks: tuple[TaskTemplate, ...]

    def due_dates(self, started_on: date) -> list[tuple[str, date]]:
        """The tasks' titles with due dates counted from ``started_on``, earliest first."""
        ordered = sorted(self.tasks, key=lambda t: t.week)  # stable: equal weeks keep their order
        return [(t.title, started_on + timedelta(weeks=t.week)) for t in ordered]


def _t(*items: tuple[str, int]) -> tuple[TaskTemplate, ...]:
    return tuple(TaskTemplate(title, week) for title, week in items)


_PUPIL_TASKS = _t(
    ("Входная диагностика", 2),
    ("Разработка индивидуального образовательного маршрута", 4),
    ("Занятия по устранению учебных затруднений", 12),
    ("Участие в проектной или конкурсной деятельности", 20),
    ("Промежуточная обратная связь и корректировка маршрута", 16),
    ("Итоговая диагностика и рефлексия", 30),
)

TEMPLATES: dict[str, PlanTemplate] = {
    "pupil_pupil": PlanTemplate(
        goals="Повышение учебной мотивации и успеваемости наставляемого, развитие коммуникативных навыков, "
              "адаптация в коллективе.",
        tasks=_t(
            ("Входная диагностика", 2),
            ("Разработка индивидуального образовательного маршрута", 4),
            ("Совместная подготовка к контрольным работам", 10),
            ("Участие в совместном проекте или мероприятии", 16),
            ("Промежуточная обратная связь", 14),
            ("Итоговая диагностика и рефлексия", 30),
        ),
    ),
    "teacher_teacher": PlanTemplate(
        goals="Адаптация молодого специалиста в коллективе, преодоление профессиональных затруднений, "
              "развитие методической компетентности.",
        tasks=_t(
            ("Диагностика профессиональных затруднений", 2),
            ("Посещение уроков наставника", 6),
            ("Посещение наставником уроков наставляемого с анализом", 10),
            ("Разработка и проведение открытого урока", 20),
            ("Участие в методическом объединении и конкурсе профессионального мастерства", 24),
            ("Самоанализ профессиональной деятельности и отчёт", 32),
        ),
    ),
    "teacher_pupil": PlanTemplate(
        goals="Раскрытие потенциала наставляемого, повышение образовательных результатов, "
              "осознанный выбор образовательной и профессиональной траектории.",
        tasks=_PUPIL_TASKS,
    ),
    "teacher_pupil_sen": PlanTemplate(
        goals="Успешная адаптация и социализация обучающегося с ОВЗ, развитие самостоятельности "
              "и коммуникативных навыков, повышение образовательных результатов.",
        tasks=_t(
            ("Входная диагностика с участием педагога-психолога", 2),
            ("Разработка индивидуального образовательного маршрута с учётом особых образовательных потребностей", 4),
            ("Коррекционно-развивающие занятия", 12),
            ("Вовлечение во внеурочную деятельность и мероприятия класса", 16),
            ("Консультация родителей (законных представителей)", 8),
            ("Промежуточная обратная связь и корректировка маршрута", 18),
            ("Итоговая диагностика и рефлексия", 30),
        ),
    ),
    "student_student": PlanTemplate(
        goals="Адаптация первокурсника в образовательной организации, повышение успеваемости, "
              "вовлечение в студенческую жизнь.",
        tasks=_t(
            ("Входная диагностика", 2),
            ("Знакомство с образовательной организацией и студенческими объединениями", 3),
            ("Разработка индивидуального образовательного маршрута", 4),
            ("Совместная подготовка к сессии", 14),
            ("Участие в проекте или конкурсе", 20),
            ("Итоговая рефлексия", 30),
        ),
    ),
    "student_pupil": PlanTemplate(
        goals="Профессиональная ориентация и повышение учебной мотивации наставляемого.",
        tasks=_t(
            ("Входная диагностика", 2),
            ("Разработка индивидуального образовательного маршрута", 4),
            ("Экскурсия в профессиональную образовательную организацию", 8),
            ("Совместный учебный проект", 16),
            ("Профориентационная консультация", 20),
            ("Итоговая диагностика и рефлексия", 30),
        ),
    ),
    "employer_pupil": PlanTemplate(
        goals="Профессиональная ориентация обучающегося, знакомство с профессиями предприятия, "
              "развитие гибких навыков.",
        tasks=_t(
            ("Входная диагностика профессиональных интересов", 2),
            ("Разработка индивидуального образовательного маршрута", 4),
            ("Экскурсия на предприятие", 8),
            ("Профессиональные пробы", 14),
            ("Работа над проектом по заданию предприятия", 22),
            ("Защита проекта и итоговая рефлексия", 30),
        ),
    ),
    "employer_student": PlanTemplate(
        goals="Подготовка студента к профессиональной деятельности и трудоустройству на предприятии.",
        tasks=_t(
            ("Диагностика профессиональных компетенций", 2),
            ("Составление плана профессионального развития", 4),
            ("Стажировка (практика) на предприятии", 12),
            ("Выполнение реального производственного задания", 20),
            ("Подготовка к демонстрационному экзамену или защите проекта", 28),
            ("Итоговая оценка и рекомендации по трудоустройству", 34),
        ),
    ),
}

GENERAL = PlanTemplate(
    goals="Достижение целей наставляемого, сформулированных в его запросе.",
    tasks=_t(
        ("Входная диагностика", 2),
        ("Постановка целей и составление плана работы", 4),
        ("Регулярная работа по плану", 12),
        ("Промежуточная обратная связь", 16),
        ("Итоговая рефлексия", 30),
    ),
)

_BY_MENTEE_CATEGORY = {PUPIL: "teacher_pupil", STUDENT: "student_student", TEACHER: "teacher_teacher",
                       EMPLOYER: None}


def template_for(form_code: str, mentee_category: str | None = None) -> PlanTemplate:
    """The template of a form: its own, else that of its mentees' category, else the general one."""
    if form_code in TEMPLATES:
        return TEMPLATES[form_code]
    fallback = _BY_MENTEE_CATEGORY.get(mentee_category or "")
    return TEMPLATES[fallback] if fallback else GENERAL
