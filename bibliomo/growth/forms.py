from __future__ import annotations

from django import forms

from bibliomo.core.uploads import LimitedFileField
from bibliomo.events.models import Event
from bibliomo.growth.models import GrowthCard, Learning, RouteStep

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class LearningForm(forms.ModelForm):
    certificate_file = LimitedFileField(
        kind="document",
        label="Удостоверение (сертификат)",
        required=False,
        help_text="PDF, DOCX или изображение PNG/JPEG. Для курсов без файла методист не "
        "сможет их подтвердить.",
    )
    # Declared for assume_scheme (Django 6 default): an address typed without «https://» gets it.
    link = forms.URLField(label="Ссылка", required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Learning
        fields = [
            "kind",
            "title",
            "organiser",
            "hours",
            "starts_on",
            "ends_on",
            "link",
            "certificate_number",
        ]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_on", "ends_on"):
            self.fields[name].input_formats = DATE_FORMATS
        self.fields["ends_on"].required = False
        self.fields["ends_on"].help_text = "Пусто — в тот же день."

    def clean(self):
        data = super().clean()
        # The model's own rules are the service's to check (with a Russian DomainError).
        return data

    def _post_clean(self):
        pass  # validation of the instance belongs to the service

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data["organiser"] = data["organiser"] or ""
        data["link"] = data["link"] or ""
        data["certificate_number"] = data["certificate_number"] or ""
        upload = self.cleaned_data.get("certificate_file")
        data["certificate"] = (upload.checked_data, upload.name) if upload else None
        return data


class CardForm(forms.ModelForm):
    class Meta:
        model = GrowthCard
        fields = ["category", "category_assigned_on", "category_valid_until", "category_order"]
        widgets = {"category_assigned_on": DATE_WIDGET, "category_valid_until": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("category_assigned_on", "category_valid_until"):
            self.fields[name].input_formats = DATE_FORMATS

    def _post_clean(self):
        pass


class ReturnForm(forms.Form):
    comment = forms.CharField(label="Что исправить", widget=forms.Textarea(attrs={"rows": 2}))


class GoalForm(forms.Form):
    goal = forms.CharField(
        label="Что хочу освоить в этом году", widget=forms.Textarea(attrs={"rows": 3})
    )


class StepForm(forms.Form):
    kind = forms.ChoiceField(label="Вид", choices=RouteStep.Kind.choices)
    title = forms.CharField(
        label="Что сделать",
        max_length=400,
        required=False,
        help_text="Для мероприятия ММО — можно не писать: возьмётся его название.",
    )
    event = forms.ModelChoiceField(
        label="Мероприятие ММО", queryset=Event.objects.none(), required=False
    )
    due_on = forms.DateField(label="Срок", widget=DATE_WIDGET, input_formats=DATE_FORMATS)

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(association=association).exclude(
            status__in=[Event.Status.DRAFT, Event.Status.CANCELLED]
        )
        self.fields["event"].label_from_instance = lambda e: f"{e.dates_text}: {e.title}"
