from __future__ import annotations

from pathlib import Path
from typing import cast

from django import forms

from bibliomo.core.uploads import LimitedFileField
from bibliomo.directory.models import Building, Person, School
from bibliomo.events.models import FEEDBACK_QUESTIONS, Event, Material, Registration
from bibliomo.events.services import EVENT_FIELDS
from bibliomo.plans.models import PlanActivity

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    online_url = forms.URLField(
        label="Ссылка для подключения", required=False, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = [*EVENT_FIELDS, "organisers", "activities"]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "registration_opens_at": DATETIME_WIDGET,
            "registration_closes_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "organisers": forms.SelectMultiple(attrs={"size": 6}),
            "activities": forms.SelectMultiple(attrs={"size": 8}),
        }
        localized_fields = ["hours"]

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]
        self.fields["building"].queryset = Building.objects.filter(
            school__association=association
        ).select_related("school")
        self.fields["building"].label_from_instance = lambda b: (
            f"{b.school.short_name} — {b.name}, {b.address}"
        )
        self.fields["audience_school"].queryset = School.objects.filter(association=association)
        self.fields["organisers"].queryset = Person.objects.filter(
            role_grants__association=association, is_active=True
        ).distinct()
        self.fields["activities"].queryset = (
            PlanActivity.objects.filter(section__plan__association=association)
            .select_related("section__plan")
            .order_by("-section__plan__academic_year", "section__position", "position")
        )
        self.fields["activities"].label_from_instance = lambda a: (
            f"{a.section.plan.academic_year_label}: {a.content[:90]}"
        )
        self.fields["activities"].required = False
        self.fields["organisers"].required = False

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        return {
            "organisers": data.pop("organisers"),
            "activities": data.pop("activities"),
            **data,
        }


class ProgrammeItemForm(forms.Form):
    starts_at = forms.TimeField(
        label="Время", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    topic = forms.CharField(label="Тема", max_length=400, required=False)
    speaker = forms.ModelChoiceField(
        label="Выступающий (член ММО)", queryset=Person.objects.none(), required=False
    )
    speaker_name = forms.CharField(label="или гость (ФИО)", max_length=200, required=False)
    speaker_details = forms.CharField(
        label="Должность, организация", max_length=300, required=False
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = Person.objects.filter(
            role_grants__association=association, is_active=True
        ).distinct()


class BaseProgrammeFormSet(forms.BaseFormSet):
    def items(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and form.cleaned_data.get("topic")
        ]


# formset_factory's stub forgets the subclass given as `formset`.
ProgrammeFormSet = cast(
    type[BaseProgrammeFormSet],
    forms.formset_factory(ProgrammeItemForm, formset=BaseProgrammeFormSet, extra=3, max_num=40),
)


class CancelForm(forms.Form):
    reason = forms.CharField(label="Причина отмены", widget=forms.Textarea(attrs={"rows": 2}))


class RegisterOtherForm(forms.Form):
    person = forms.ModelChoiceField(label="Записать участника", queryset=Person.objects.none())

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            role_grants__association=association, is_active=True
        ).distinct()


class AttendanceUploadForm(forms.Form):
    file = LimitedFileField(
        kind="attendance",
        label="Список присутствовавших (CSV или Excel)",
        allow_empty_file=True,  # the reader says the file is empty, not «выберите файл»
        help_text="Выгрузка из системы вебинаров: столбец «E-mail» и/или «ФИО».",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".csv", ".txt", ".xlsx", ".xls", ".ods"}:
            raise forms.ValidationError("Загрузите таблицу: .csv, .xlsx, .xls или .ods.")
        return upload


class MaterialForm(forms.ModelForm):
    # What the file really is is decided by its content, in `services.material_add`.
    file = LimitedFileField(
        kind="material",
        label="Файл",
        required=False,
        help_text="PDF, документы, таблицы и презентации Office/LibreOffice, текст, изображения "
        "JPG/PNG. Запись вебинара добавьте ссылкой.",
    )
    link = forms.URLField(label="Ссылка (запись, облако)", required=False, assume_scheme="https")

    class Meta:
        model = Material
        fields = ["title", "file", "link", "visibility"]

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("link"):
            raise forms.ValidationError("Приложите файл или укажите ссылку.")
        return data


RATING_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class FeedbackForm(forms.Form):
    comment = forms.CharField(
        label="Комментарий",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question in FEEDBACK_QUESTIONS:
            self.fields[key] = forms.TypedChoiceField(
                label=question, choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
            )
        self.order_fields([key for key, _ in FEEDBACK_QUESTIONS] + ["comment"])

    def ratings(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key, _ in FEEDBACK_QUESTIONS}


ATTENDANCE_CHOICES = Registration.Attendance.choices


class GuestForm(forms.Form):
    """A guest's registration for an open event (no account)."""

    full_name = forms.CharField(label="Фамилия, имя, отчество", max_length=200)
    email = forms.EmailField(
        label="E-mail", help_text="Сюда придёт подтверждение и ссылка для отмены."
    )
    organisation = forms.CharField(label="Организация", max_length=300)
    consent = forms.BooleanField(
        label=(
            "Согласен(на) на обработку моих персональных данных (ФИО, e-mail, организация) "
            "организатором для записи на это мероприятие и писем о нём. Данные хранятся год "
            "после мероприятия; удалить их можно по ссылке из письма."
        ),
        error_messages={
            "required": "Без согласия на обработку персональных данных записать нельзя."
        },
    )
