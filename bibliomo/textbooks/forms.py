from __future__ import annotations

from django import forms

from bibliomo.core.forms import DATE_FORMATS, DATE_WIDGET
from bibliomo.core.uploads import LimitedFileField
from bibliomo.textbooks.models import CatalogEntry, WriteOff


class CampaignForm(forms.Form):
    name = forms.CharField(
        label="Название", max_length=300, initial="Мониторинг обеспеченности учебниками"
    )
    academic_year = forms.RegexField(
        label="Учебный год",
        regex=r"^\d{4}/\d{4}$",
        error_messages={"invalid": "Напишите учебный год так: 2024/2025."},
    )
    as_of = forms.DateField(label="По состоянию на", widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    deadline = forms.DateField(label="Срок сдачи", widget=DATE_WIDGET, input_formats=DATE_FORMATS)

    def clean_academic_year(self) -> int:
        from bibliomo.lib.ru import parse_academic_year

        try:
            return parse_academic_year(self.cleaned_data["academic_year"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class UploadForm(forms.Form):
    # An empty file is the reader's to describe: «Выберите файл» would be untrue.
    file = LimitedFileField(
        kind="monitoring", label="Заполненный шаблон (.xlsx)", allow_empty_file=True
    )


class CatalogueUploadForm(forms.Form):
    file = LimitedFileField(
        kind="catalogue",
        label="Федеральный перечень (XLSX, ODS или CSV)",
        allow_empty_file=True,
    )
    amendment = forms.BooleanField(
        label="Изменяющий приказ (одно приложение): только добавить и изменить учебники, "
        "никого не исключать",
        required=False,
    )


class CatalogueConfirmForm(forms.Form):
    full_list = forms.BooleanField(
        label="Это полный новый перечень: исключить все учебники, которых в нём нет",
        required=False,
    )


class CorrectionForm(forms.Form):
    entry = forms.ModelChoiceField(
        label="Учебник (если предложение о нём)",
        queryset=CatalogEntry.objects.all(),
        required=False,
        widget=forms.HiddenInput,
    )
    text = forms.CharField(
        label="Что исправить в перечне",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CorrectionCloseForm(forms.Form):
    answer = forms.CharField(
        label="Ответ", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class LimitDateForm(forms.Form):
    limit_date = forms.DateField(
        label="Предельный срок", widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )


class EnrolmentRowForm(forms.Form):
    grade = forms.IntegerField(widget=forms.HiddenInput)
    building = forms.CharField(widget=forms.HiddenInput, required=False)
    pupils = forms.IntegerField(label="Обучающихся", min_value=0, required=False)
    classes = forms.IntegerField(label="Классов", min_value=0, required=False)


class LineRowForm(forms.Form):
    grade = forms.IntegerField(label="Класс", min_value=1, max_value=11, required=False)
    entry = forms.ModelChoiceField(
        label="Учебник", queryset=CatalogEntry.objects.none(), required=False
    )
    pupils = forms.IntegerField(label="Обучающихся", min_value=0, required=False)

    def __init__(self, *args, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = (
            entries if entries is not None else CatalogEntry.objects.all()
        )

    def clean(self):
        data = super().clean()
        filled = [data.get(name) not in (None, "") for name in ("grade", "entry", "pupils")]
        if any(filled) and not all(filled):
            raise forms.ValidationError("Заполните класс, учебник и число обучающихся.")
        return data


class HoldingRowForm(forms.Form):
    entry = forms.ModelChoiceField(
        label="Учебник", queryset=CatalogEntry.objects.none(), required=False
    )
    purchase_year = forms.IntegerField(
        label="Год поступления", min_value=1990, max_value=2100, required=False
    )
    copies = forms.IntegerField(label="Экземпляров", min_value=0, required=False)
    damaged = forms.IntegerField(label="Испорчено", min_value=0, required=False)
    lost = forms.IntegerField(label="Утеряно", min_value=0, required=False)

    def __init__(self, *args, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = (
            entries if entries is not None else CatalogEntry.objects.all()
        )

    def clean(self):
        data = super().clean()
        if data.get("entry") and (data.get("purchase_year") is None or data.get("copies") is None):
            raise forms.ValidationError("Укажите год поступления и число экземпляров.")
        if (
            data.get("copies") is not None
            and (data.get("damaged") or 0) + (data.get("lost") or 0) > data["copies"]
        ):
            raise forms.ValidationError("Испорченных и утерянных больше, чем экземпляров.")
        return data


class WriteOffForm(forms.Form):
    entry = forms.ModelChoiceField(label="Учебник", queryset=CatalogEntry.objects.all())
    copies = forms.IntegerField(label="Экземпляров", min_value=1)
    reason = forms.ChoiceField(label="Причина", choices=WriteOff.Reason.choices)
    act_number = forms.CharField(label="Номер акта", max_length=40)
    act_date = forms.DateField(label="Дата акта", widget=DATE_WIDGET, input_formats=DATE_FORMATS)


LineFormSet = forms.formset_factory(LineRowForm, extra=5)
HoldingFormSet = forms.formset_factory(HoldingRowForm, extra=5)
EnrolmentFormSet = forms.formset_factory(EnrolmentRowForm, extra=0)
