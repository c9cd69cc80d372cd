from __future__ import annotations

from django import forms
from django.utils import timezone

from bibliomo.core.uploads import LimitedFileField
from bibliomo.events.models import Event
from bibliomo.practices.models import TAGS, Practice


class PracticeForm(forms.ModelForm):
    tags = forms.MultipleChoiceField(
        label="Темы",
        choices=[(tag, tag) for tag in TAGS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Practice
        fields = ["title", "grades", "form", "goal", "description", "tags", "fair"]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fair"].queryset = Event.objects.filter(
            association=association, kind=Event.Kind.IDEAS_FAIR
        ).order_by("-starts_at")
        self.fields["fair"].empty_label = "— не представлялась —"


class MaterialForm(forms.Form):
    title = forms.CharField(label="Название", max_length=300)
    file = LimitedFileField(kind="material", label="Файл", required=False)
    link = forms.URLField(label="или ссылка", required=False, assume_scheme="https")


class ImplementationForm(forms.Form):
    implemented_on = forms.DateField(
        label="Когда внедрили",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    note = forms.CharField(
        label="Как прошло (коротко)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    photo = LimitedFileField(kind="material", label="Фотография (JPEG или PNG)", required=False)
