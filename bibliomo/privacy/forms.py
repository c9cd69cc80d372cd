from django import forms


class ConsentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    agree = forms.BooleanField(
        label="Я прочитал(а) текст и даю согласие на обработку моих персональных данных",
        error_messages={"required": "Отметьте согласие, чтобы продолжить."},
    )


class ConsentTextForm(forms.Form):
    text = forms.CharField(
        label="Текст согласия",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=(
            "Каждое изменение — новая редакция: при следующем входе все участники прочитают "
            "и примут её заново. Пустой текст — согласие в системе не спрашивается (например, "
            "его собирают на бумаге)."
        ),
    )


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label="Причина (необязательно)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(forms.Form):
    answer = forms.CharField(label="Почему отклонена", max_length=2000, widget=forms.Textarea)


class AnonymiseForm(forms.Form):
    confirm = forms.BooleanField(
        label="Понимаю: ФИО, e-mail и телефон будут стёрты безвозвратно, вход отключён",
        error_messages={"required": "Подтвердите обезличивание отметкой."},
    )
