from django import forms

from bibliomo.core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal next to its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def errors_text(form: forms.Form) -> str:
    """Every error of a form in one sentence, for a message above a page with no form field."""
    return " ".join(error for errors in form.errors.values() for error in errors)


class SignaturesField(forms.CharField):
    """Signature lines typed as «Должность — И.О. Фамилия», one per line → [[role, name], …]."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[list[str]]:
        rows = []
        for number, line in enumerate((super().to_python(value) or "").splitlines(), start=1):
            if not line.strip():
                continue
            role, dash, name = line.replace("–", "—").partition("—")
            if not dash or not role.strip() or not name.strip():
                raise forms.ValidationError(
                    f"Строка {number}: напишите должность и имя через тире, например "
                    "«Методист-куратор — Леонтьева Э.В.»."
                )
            rows.append([role.strip(), name.strip()])
        return rows

    def prepare_value(self, value) -> str:
        if isinstance(value, list):
            return "\n".join(f"{role} — {name}" for role, name in value)
        return value

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


def posted(request) -> tuple:
    """(data, files) of a POST, even an empty one, else (None, None): an empty POST is still
    a submission and must be validated, not shown as a fresh form."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None
