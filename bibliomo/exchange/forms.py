from __future__ import annotations

from typing import cast

from django import forms

from bibliomo.core.forms import DATE_FORMATS, DATE_WIDGET
from bibliomo.exchange.models import ExchangePlan, Order, PoolLine
from bibliomo.textbooks.models import Campaign, CatalogEntry


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, campaign: Campaign) -> str:
        return f"{campaign.name} ({campaign.academic_year_label})"


def _preselect_latest_campaign(form: forms.ModelForm, association) -> None:
    """Offer the association's campaigns, the latest chosen for a new object and no «---------»."""
    field = cast(forms.ModelChoiceField, form.fields["campaign"])
    field.queryset = Campaign.objects.filter(association=association)
    latest = field.queryset.order_by("-academic_year", "-created_at").first()
    if latest is not None:
        field.empty_label = None
        if form.instance.pk is None and "campaign" not in form.initial:
            form.initial["campaign"] = latest.pk


class PlanForm(forms.ModelForm):
    campaign = CampaignChoiceField(label="По данным мониторинга", queryset=Campaign.objects.none())

    class Meta:
        model = ExchangePlan
        fields = [
            "campaign",
            "name",
            "reserve_percent",
            "return_date",
            "min_batch",
            "max_shipments",
            "time_limit",
            "seed",
        ]
        widgets = {"return_date": DATE_WIDGET}

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        _preselect_latest_campaign(self, association)
        self.fields["return_date"].input_formats = DATE_FORMATS
        self.fields["return_date"].help_text = "По умолчанию — конец учебного года (31 мая)."
        self.fields["return_date"].required = False
        self.fields["seed"].help_text = "При том же зерне расчёт даёт тот же план."


class PoolLineForm(forms.Form):
    copies = forms.IntegerField(label="Экземпляров", min_value=0, max_value=100000)
    reason = forms.CharField(label="Причина", max_length=300, required=False)


class PoolAddForm(forms.Form):
    code = forms.CharField(label="Код учебника", max_length=40)
    kind = forms.ChoiceField(label="Школа", choices=PoolLine.Kind.choices)
    copies = forms.IntegerField(label="Экземпляров", min_value=1, max_value=100000)
    reason = forms.CharField(label="Причина", max_length=300)

    def clean_code(self) -> CatalogEntry:
        code = self.cleaned_data["code"].strip()
        entry = CatalogEntry.objects.filter(code=code).first()
        if entry is None:
            raise forms.ValidationError(f"Учебника с кодом «{code}» нет в перечне.")
        return entry


class ReserveForm(forms.Form):
    reserve_percent = forms.IntegerField(label="Резерв, %", min_value=0, max_value=50)


class PlanLineForm(forms.Form):
    source = forms.IntegerField(widget=forms.HiddenInput)
    target = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(label="Код учебника", max_length=40)
    copies = forms.IntegerField(label="Экземпляров", min_value=0, max_value=100000)

    clean_code = PoolAddForm.clean_code


class OrderForm(forms.ModelForm):
    campaign = CampaignChoiceField(label="По данным мониторинга", queryset=Campaign.objects.none())

    class Meta:
        model = Order
        fields = ["campaign", "retention", "service_years", "deadline", "use_exchange"]
        widgets = {"deadline": DATE_WIDGET}

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        _preselect_latest_campaign(self, association)
        self.fields["deadline"].input_formats = DATE_FORMATS
        self.fields["retention"].localize = True
        self.fields["retention"].widget.is_localized = True


class IntakeForm(forms.Form):
    intake = forms.IntegerField(
        label="Набор в 1 класс", min_value=0, max_value=1000, required=False
    )


class OrderLineForm(forms.Form):
    copies = forms.IntegerField(label="Заказать", min_value=0, max_value=100000)
    note = forms.CharField(label="Примечание", max_length=300, required=False)


class EntryChangeForm(forms.Form):
    entry = forms.ModelChoiceField(label="Новый учебник", queryset=CatalogEntry.objects.none())
    note = forms.CharField(label="Почему", max_length=300)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = choices


class DecisionForm(forms.Form):
    accept = forms.BooleanField(required=False)
    comment = forms.CharField(
        label="Замечания", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
