from __future__ import annotations

from typing import cast

from django import forms

from bibliomo.core.uploads import LimitedFileField
from bibliomo.documents.models import Document, DocumentLink
from bibliomo.events.models import Event
from bibliomo.plans.models import PlanActivity

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _activity_label(activity: PlanActivity) -> str:
    return f"{activity.section.plan.academic_year_label}: {activity.content[:90]}"


class DocumentForm(forms.ModelForm):
    tags = forms.CharField(label="Метки через запятую", required=False, max_length=500)
    file = LimitedFileField(
        kind="document",
        label="Файл",
        required=False,
        help_text="PDF, DOCX, DOC, XLSX, ODT, PPTX или изображение PNG/JPEG.",
    )

    class Meta:
        model = Document
        fields = [
            "title",
            "kind",
            "category",
            "issuer",
            "number",
            "date",
            "audience",
            "summary",
            "events",
            "activities",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "events": forms.SelectMultiple(attrs={"size": 5}),
            "activities": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, association, with_file: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        events = cast(forms.ModelMultipleChoiceField, self.fields["events"])
        activities = cast(forms.ModelMultipleChoiceField, self.fields["activities"])
        events.queryset = Event.objects.filter(association=association)
        activities.queryset = PlanActivity.objects.filter(
            section__plan__association=association
        ).select_related("section__plan")
        # Django's documented way to label the choices of one form (an instance attribute).
        activities.label_from_instance = _activity_label  # type: ignore[method-assign,assignment]
        events.required = activities.required = False
        cast(forms.DateField, self.fields["date"]).input_formats = ["%Y-%m-%d", "%d.%m.%Y"]
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tags)
        if not with_file:
            del self.fields["file"]

    def clean_tags(self) -> list[str]:
        return [tag for tag in self.cleaned_data["tags"].split(",") if tag.strip()]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("file", None)
        return data


class VersionForm(forms.Form):
    file = LimitedFileField(kind="document", label="Новая версия файла")
    note = forms.CharField(label="Что изменилось", max_length=500)


class RepealForm(forms.Form):
    repealed_on = forms.DateField(
        label="Утратил силу с", widget=DATE_WIDGET, input_formats=["%Y-%m-%d", "%d.%m.%Y"]
    )
    repealed_by = forms.ModelChoiceField(
        label="Каким документом отменён или заменён",
        queryset=Document.objects.none(),
        required=False,
    )

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["repealed_by"]).queryset = Document.objects.filter(
            association_id=document.association_id
        ).exclude(pk=document.pk)


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label="Этот документ", choices=DocumentLink.Kind.choices)
    target = forms.ModelChoiceField(label="документ", queryset=Document.objects.none())

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["target"]).queryset = Document.objects.filter(
            association_id=document.association_id
        ).exclude(pk=document.pk)


class CommentForm(forms.Form):
    comment = forms.CharField(label="Что исправить", widget=forms.Textarea(attrs={"rows": 2}))


class PackageItemForm(forms.Form):
    title = forms.CharField(label="Что должно быть в пакете", max_length=300)
    document = forms.ModelChoiceField(
        label="Документ", queryset=Document.objects.none(), required=False
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = Document.objects.filter(association=association)
