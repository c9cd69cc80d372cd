from __future__ import annotations

from datetime import datetime

from django import forms
from django.db.models import Q

from bibliomo.directory.models import Person, Role
from bibliomo.events.models import Event

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        school = f", {obj.school.short_name}" if obj.school_id else ""
        return f"{obj.full_name}{school}"


class PairForm(forms.Form):
    mentor = PersonChoice(label="Наставник", queryset=Person.objects.none())
    mentee = PersonChoice(label="Молодой специалист", queryset=Person.objects.none())
    starts_on = forms.DateField(label="Начало", widget=DATE)
    ends_on = forms.DateField(label="Окончание", widget=DATE)
    seminar = forms.ModelChoiceField(
        label="Семинар для молодых специалистов",
        queryset=Event.objects.none(),
        required=False,
        empty_label="— пока не выбран —",
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            Person.objects.filter(
                role_grants__association=association,
                role_grants__role=Role.LIBRARIAN,
                is_active=True,
            )
            .select_related("school")
            .distinct()
        )
        self.fields["mentor"].queryset = people
        self.fields["mentee"].queryset = people
        self.fields["seminar"].queryset = _seminars(association)


class StepsField(forms.CharField):
    """Steps typed one a line as «25.11.2026 — шаг» → [(date, step), …]."""

    widget = forms.Textarea(attrs={"rows": 10})

    def to_python(self, value) -> list:  # type: ignore[override]  # parsed steps, not text
        steps = []
        for number, line in enumerate((super().to_python(value) or "").splitlines(), start=1):
            if not line.strip():
                continue
            when, dash, title = line.replace("–", "—").partition("—")
            try:
                due = datetime.strptime(when.strip(), "%d.%m.%Y").date()
            except ValueError:
                due = None
            if not dash or due is None or not title.strip():
                raise forms.ValidationError(
                    f"Строка {number}: напишите дату и шаг через тире, например "
                    "«25.11.2026 — Открытое мероприятие»."
                )
            steps.append((due, title.strip()))
        return steps

    def prepare_value(self, value) -> str:
        if isinstance(value, list):
            return "\n".join(f"{due:%d.%m.%Y} — {title}" for due, title in value)
        return value or ""


class ProgrammeForm(forms.Form):
    goals = forms.CharField(label="Цели", widget=forms.Textarea(attrs={"rows": 3}))
    steps = StepsField(label="Шаги с датами", help_text="По одному в строке: «25.11.2026 — шаг».")
    seminar = forms.ModelChoiceField(
        label="Семинар для молодых специалистов",
        queryset=Event.objects.none(),
        required=False,
        empty_label="— не выбран —",
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seminar"].queryset = _seminars(association)


def _seminars(association):
    return Event.objects.filter(
        Q(audience=Event.Audience.EARLY_CAREER) | Q(kind=Event.Kind.SEMINAR),
        association=association,
    ).order_by("-starts_at")


class TemplateForm(forms.Form):
    goals = forms.CharField(label="Цели программы", widget=forms.Textarea(attrs={"rows": 3}))
    steps = forms.CharField(
        label="Шаги программы",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="По одному шагу в строке; сроки шагов распределяются по периоду пары.",
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="Дата встречи", widget=DATE)
    topic = forms.CharField(label="Тема", max_length=300)
    agreed = forms.CharField(label="О чём договорились", widget=forms.Textarea(attrs={"rows": 3}))


class QuestionForm(forms.Form):
    text = forms.CharField(label="Вопрос наставнику", widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label="Ответ", widget=forms.Textarea(attrs={"rows": 3}))


class FinishForm(forms.Form):
    report = forms.CharField(
        label="Итоговый отчёт", widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Насколько полезной была работа пары",
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    achieved = forms.CharField(label="Что получилось", widget=forms.Textarea(attrs={"rows": 3}))
    next_time = forms.CharField(
        label="Что сделать иначе", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
