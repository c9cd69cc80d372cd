from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from bibliomo.core.mail import letter_send
from bibliomo.directory.models import Building, Person, Position, Role, School
from bibliomo.directory.services import CAREER_FIELDS


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": "Неверный e-mail или пароль. Проверьте раскладку и Caps Lock.",
        "inactive": "Учётная запись отключена. Обратитесь к методисту.",
    }

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            # ModelBackend hides inactive people behind "invalid login"; say it plainly
            # once the password is proven right, without revealing anything otherwise.
            person = Person.objects.filter(email__iexact=email, is_active=False).first()
            if person is not None and person.check_password(password):
                raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
        return super().clean()


class ResetForm(PasswordResetForm):
    """Django's «forgot password» form, sending its letter the project's one way (queued)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        letter_send("password_reset", [to_email], context)


class SchoolForm(forms.ModelForm):
    website = forms.URLField(label="Сайт", required=False, assume_scheme="https")

    class Meta:
        model = School
        fields = [
            "short_name",
            "full_name",
            "address",
            "director",
            "director_genitive",
            "email",
            "phone",
            "website",
        ]
        widgets = {"full_name": forms.Textarea(attrs={"rows": 2})}


class BuildingForm(forms.ModelForm):
    class Meta:
        model = Building
        fields = ["name", "address", "latitude", "longitude", "is_main"]
        # Russian users type «54,913»; the comma must be accepted.
        localized_fields = ["latitude", "longitude"]

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError("Укажите обе координаты — широту и долготу — или ни одной.")
        return data


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=Role.choices, widget=forms.CheckboxSelectMultiple, label="Роли", **kwargs
        )


class _PersonFieldsMixin(forms.Form):
    last_name = forms.CharField(label="Фамилия", max_length=100)
    first_name = forms.CharField(label="Имя", max_length=100)
    patronymic = forms.CharField(label="Отчество", max_length=100, required=False)
    position = forms.ChoiceField(label="Должность", choices=Position.choices)


class InvitationForm(_PersonFieldsMixin):
    email = forms.EmailField(label="E-mail")
    school = forms.ModelChoiceField(label="Школа", queryset=School.objects.none(), required=False)
    roles = RolesField(initial=[Role.LIBRARIAN])

    field_order = ["email", "last_name", "first_name", "patronymic", "position", "school", "roles"]

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(association=association)


class PersonForm(forms.ModelForm):
    roles = RolesField()

    class Meta:
        model = Person
        fields = [
            "email",
            "last_name",
            "first_name",
            "patronymic",
            "position",
            "school",
            "phone",
            *CAREER_FIELDS,
        ]
        widgets = {"librarian_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(association=association)
        self.fields["roles"].initial = sorted(self.instance.roles_in(association.pk))

    def validate_unique(self):
        # Uniqueness of the e-mail is the service's rule (case-insensitive, one message).
        pass


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["last_name", "first_name", "patronymic", "position", "phone", *CAREER_FIELDS]
        widgets = {"librarian_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(
        label="Пароль",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Не короче 8 символов, не только цифры и не слишком простой.",
    )
    password2 = forms.CharField(
        label="Пароль ещё раз",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Пароли не совпадают.")
        elif p1:
            probe = Person(
                email=self.invitation.email,
                last_name=self.invitation.last_name,
                first_name=self.invitation.first_name,
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class DeactivateForm(forms.Form):
    reason = forms.CharField(label="Причина", max_length=300, required=False)


class UnlockRequestForm(forms.Form):
    email = forms.EmailField(label="E-mail", max_length=254)
