from __future__ import annotations

from django import forms

from bibliomo.core.params import academic_year_param
from bibliomo.reviews.sections import Section


class CreateForm(forms.Form):
    year = forms.CharField(label="Учебный год", max_length=20)

    def clean_year(self) -> int:
        year = academic_year_param(self.cleaned_data["year"])
        if year is None:
            raise forms.ValidationError("Укажите учебный год так: 2024/2025.")
        return year


class ConclusionsForm(forms.Form):
    """«Выводы» after each section and the tasks for the next year, one per line."""

    next_tasks = forms.CharField(
        label="Задачи на следующий учебный год (каждая с новой строки)",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20_000,
    )

    def __init__(self, *args, sections: list[Section], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.section_fields = []
        for section in sections:
            name = f"conclusion_{section.key}"
            self.fields[name] = forms.CharField(
                label=f"Выводы: {section.title}",
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                max_length=10_000,
            )
            self.section_fields.append((section, name))
        self.order_fields([name for _, name in self.section_fields] + ["next_tasks"])

    def conclusions(self) -> dict[str, str]:
        return {s.key: self.cleaned_data.get(name, "") for s, name in self.section_fields}

    def tasks(self) -> list[str]:
        return self.cleaned_data.get("next_tasks", "").splitlines()


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Что доработать", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
