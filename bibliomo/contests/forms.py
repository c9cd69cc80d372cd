from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import cast

from django import forms

from bibliomo.contests.models import Category, Contest, Entry, ExternalEvent, Round
from bibliomo.core.uploads import LimitedFileField
from bibliomo.documents.models import Document

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ROUND_FORMS = {label: value for value, label in Round.Form.choices}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ContestForm(forms.ModelForm):
    categories = forms.CharField(
        label="Номинации (каждая с новой строки)", widget=forms.Textarea(attrs={"rows": 3})
    )
    criteria = forms.CharField(
        label="Критерии: «название | максимум баллов | вес | 0 — пояснение; 5 — пояснение»",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Например: «Раскрытие темы | 10 | 1,5 | 0 — не раскрыта; 10 — раскрыта "
        "полностью».",
    )
    rounds = forms.CharField(
        label="Этапы: «название | заочный или очный | сколько проходят дальше»",
        widget=forms.Textarea(attrs={"rows": 2}),
        initial="Заочный этап | заочный | 5\nОчный этап | очный |",
    )

    class Meta:
        model = Contest
        fields = [
            "title",
            "regulation",
            "goals",
            "audience",
            "age_groups",
            "entry_terms",
            "file_types",
            "max_file_mb",
            "applications_open",
            "applications_close",
            "judging_until",
            "results_on",
            "blind",
            "aggregation",
            "scores_after_own",
        ]
        widgets = {
            "applications_open": DATE,
            "applications_close": DATE,
            "judging_until": DATE,
            "results_on": DATE,
            "goals": forms.Textarea(attrs={"rows": 3}),
            "age_groups": forms.Textarea(attrs={"rows": 2}),
            "entry_terms": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regulation"].queryset = Document.objects.filter(association=association)
        contest = self.instance
        if contest.pk:
            self.initial["categories"] = "\n".join(c.name for c in contest.categories.all())
            self.initial["criteria"] = "\n".join(
                f"{c.title} | {c.max_points} | {str(c.weight).replace('.', ',')}"
                + (
                    " | " + "; ".join(f"{k} — {v}" for k, v in c.captions.items())
                    if c.captions
                    else ""
                )
                for c in contest.criteria.all()
            )
            self.initial["rounds"] = "\n".join(
                f"{r.name} | {r.get_form_display()} | {r.passes or ''}"
                for r in contest.rounds.all()
            )

    def clean_categories(self) -> list[str]:
        return _lines(self.cleaned_data["categories"])

    def clean_criteria(self) -> list[dict]:
        found = []
        for number, line in enumerate(_lines(self.cleaned_data["criteria"]), start=1):
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 3:
                raise forms.ValidationError(
                    f"Строка {number}: нужны название, максимум баллов и вес через «|»."
                )
            try:
                max_points = int(parts[1])
                weight = Decimal(parts[2].replace(",", "."))
            except (ValueError, InvalidOperation):
                raise forms.ValidationError(
                    f"Строка {number}: максимум баллов — целое число, вес — число."
                ) from None
            if not 1 <= max_points <= 100 or not Decimal("0") < weight < Decimal("100"):
                raise forms.ValidationError(
                    f"Строка {number}: максимум — от 1 до 100 баллов, вес — больше нуля."
                )
            captions = {}
            for piece in (parts[3] if len(parts) > 3 else "").split(";"):
                points, dash, text = piece.replace("–", "—").partition("—")
                if dash and points.strip().isdigit() and text.strip():
                    captions[points.strip()] = text.strip()
            found.append(
                {
                    "title": parts[0],
                    "max_points": max_points,
                    "weight": weight,
                    "captions": captions,
                }
            )
        return found

    def clean_rounds(self) -> list[dict]:
        found = []
        for number, line in enumerate(_lines(self.cleaned_data["rounds"]), start=1):
            parts = [p.strip() for p in line.split("|")] + ["", ""]
            form = ROUND_FORMS.get(parts[1].lower())
            if not parts[0] or form is None:
                raise forms.ValidationError(
                    f"Строка {number}: название и форма («заочный» или «очный») через «|»."
                )
            if parts[2] and not parts[2].isdigit():
                raise forms.ValidationError(f"Строка {number}: сколько проходят — целое число.")
            found.append(
                {"name": parts[0], "form": form, "passes": int(parts[2]) if parts[2] else None}
            )
        return found


class EntryForm(forms.ModelForm):
    file = LimitedFileField(
        kind="contest",
        label="Файл работы",
        required=False,
        help_text="PDF, документы и презентации Office/LibreOffice, изображения JPG/PNG, текст.",
    )

    class Meta:
        model = Entry
        fields = [
            "category",
            "title",
            "authors",
            "age_group",
            "description",
            "is_pupils",
            "parent_consent",
            "publish_names",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = Category.objects.filter(
            contest=contest
        )
        groups = contest.age_group_list
        if groups:
            self.fields["age_group"] = forms.ChoiceField(
                label="Возрастная группа", choices=[("", "—")] + [(g, g) for g in groups]
            )
        else:
            del self.fields["age_group"]
        if contest.audience == Contest.Audience.PUPILS:
            del self.fields["is_pupils"]
        else:
            for name in ("parent_consent", "publish_names"):
                self.fields[name].help_text = "Только для работ обучающихся."


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Что исправить", widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )


class JurorForm(forms.Form):
    person: forms.ModelChoiceField = forms.ModelChoiceField(label="Член жюри", queryset=None)
    is_chair = forms.BooleanField(label="председатель жюри", required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people


class JurorInviteForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    last_name = forms.CharField(label="Фамилия", max_length=100)
    first_name = forms.CharField(label="Имя", max_length=100)
    patronymic = forms.CharField(label="Отчество", max_length=100, required=False)


class ConflictForm(forms.Form):
    conflict = forms.CharField(
        label="В чём конфликт интересов", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class ConclusionsForm(forms.Form):
    conclusions = forms.CharField(
        label="Выводы и предложения", widget=forms.Textarea(attrs={"rows": 8}), required=False
    )


class ExternalEventForm(forms.ModelForm):
    class Meta:
        model = ExternalEvent
        fields = ["title", "kind", "level", "held_on", "participants", "results"]
        widgets = {"held_on": DATE, "results": forms.Textarea(attrs={"rows": 2})}
