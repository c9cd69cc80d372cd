from __future__ import annotations

from pathlib import Path

from django import forms

from bibliomo.core.forms import SignaturesField
from bibliomo.core.uploads import LimitedFileField
from bibliomo.plans.models import PlanActivity

PLAN_EXTENSIONS = {".docx", ".txt", ".doc"}


class PlanUploadForm(forms.Form):
    file = LimitedFileField(
        kind="plan",
        label="Файл плана",
        help_text="Документ Word (.docx) или текст (.txt) с таблицей «Содержание деятельности — "
        "Сроки — Ответственный».",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in PLAN_EXTENSIONS:
            raise forms.ValidationError("Загрузите план в формате .docx (Word) или .txt (текст).")
        return upload


class ImportConfirmForm(forms.Form):
    replace = forms.BooleanField(
        label="Заменить существующий черновик плана на этот учебный год", required=False
    )


class HeaderForm(forms.Form):
    title_lines = forms.CharField(
        label="Заголовок (каждая строка с новой строки)", widget=forms.Textarea(attrs={"rows": 4})
    )
    theme = forms.CharField(label="Методическая тема", widget=forms.Textarea(attrs={"rows": 3}))
    goal = forms.CharField(label="Цель", widget=forms.Textarea(attrs={"rows": 3}))
    tasks = forms.CharField(
        label="Задачи (каждая с новой строки)", widget=forms.Textarea(attrs={"rows": 6})
    )
    approval_position = forms.CharField(label="Должность утверждающего", max_length=200)
    approval_name = forms.CharField(label="Утверждающий (И.О. Фамилия)", max_length=100)
    signatories = SignaturesField(label="Подписи: «должность — И.О.Ф.», каждая с новой строки")

    @staticmethod
    def initial_for(plan) -> dict:
        return {
            "title_lines": "\n".join(plan.title_lines),
            "theme": plan.theme,
            "goal": plan.goal,
            "tasks": "\n".join(plan.tasks),
            "approval_position": plan.approval_position,
            "approval_name": plan.approval_name,
            "signatories": plan.signatories,
        }

    def to_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title_lines": [
                line.strip() for line in data["title_lines"].splitlines() if line.strip()
            ],
            "theme": data["theme"].strip(),
            "goal": data["goal"].strip(),
            "tasks": data["tasks"].splitlines(),
            "approval_position": data["approval_position"].strip(),
            "approval_name": data["approval_name"].strip(),
            "signatories": data["signatories"],
        }


class SectionForm(forms.Form):
    title = forms.CharField(label="Название раздела", max_length=500)


class ActivityForm(forms.Form):
    content = forms.CharField(
        label="Содержание деятельности", widget=forms.Textarea(attrs={"rows": 3})
    )
    timing_text = forms.CharField(
        label="Сроки",
        max_length=300,
        required=False,
        help_text="Например: «сентябрь», «октябрь–ноябрь», «в течение года», «до 20.09.2024».",
    )
    responsible_text = forms.CharField(
        label="Ответственный",
        max_length=300,
        required=False,
        help_text="Например: «Методист, руководитель ММО, члены ММО».",
    )

    @staticmethod
    def initial_for(activity: PlanActivity) -> dict:
        return {
            "content": activity.content,
            "timing_text": activity.timing_text,
            "responsible_text": activity.responsible_text,
        }


class MarkForm(forms.Form):
    status = forms.ChoiceField(label="Выполнение", choices=PlanActivity.Status.choices)
    report = forms.CharField(
        label="Что сделано (для «выполнено»)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    moved_to_text = forms.CharField(label="Новый срок (для «перенесено»)", required=False)
    reason = forms.CharField(
        label="Причина (для переноса или отмены)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.CharField(
        label="Подтверждения: ссылки, каждая с новой строки (можно «название | ссылка»)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @staticmethod
    def initial_for(activity: PlanActivity) -> dict:
        return {
            "status": activity.status,
            "report": activity.report,
            "moved_to_text": activity.moved_to_text,
            "reason": activity.status_reason,
            "evidence": "\n".join(
                f"{item['title']} | {item['url']}" if item.get("title") else item["url"]
                for item in activity.evidence
            ),
        }

    def clean_evidence(self):
        validate = forms.URLField(assume_scheme="https").clean
        items = []
        for line in self.cleaned_data["evidence"].splitlines():
            if not line.strip():
                continue
            title, bar, url = line.rpartition("|")
            url = (url if bar else line).strip()
            try:
                url = validate(url)
            except forms.ValidationError:
                raise forms.ValidationError(f"Это не похоже на ссылку: «{url}».") from None
            items.append({"title": title.strip() if bar else "", "url": url})
        return items


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Что доработать", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ActivityEventsForm(forms.Form):
    """What served a plan line: events of the plan's year, documents and portal posts."""

    events: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Мероприятия учебного года",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Это мероприятие не из учебного года плана: выберите другое.",
            "invalid_pk_value": "Выберите мероприятие из списка.",
        },
    )

    documents: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Документы библиотеки",
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": "Этот документ не из нашего объединения."},
    )
    posts: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Новости портала",
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": "Эта новость не из нашего объединения."},
    )

    def __init__(self, *args, events, documents, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].queryset = events
        self.fields["events"].label_from_instance = lambda e: f"{e.dates_text} — {e.named}"
        self.fields["documents"].queryset = documents
        self.fields["documents"].label_from_instance = lambda d: (
            f"{d.title} ({d.get_status_display()})"
        )
        self.fields["posts"].queryset = posts
        self.fields["posts"].label_from_instance = lambda p: f"{p.title} ({p.get_status_display()})"
