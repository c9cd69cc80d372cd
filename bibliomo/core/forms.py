from django import forms

from bibliomo.core.errors import DomainError

# Dates on every form: the browser's date picker sends ISO, a person may type 25.11.2026.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal next to its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def errors_text(form: forms.BaseForm) -> str:
    """Every error of a form in one sentence, for a message above a page with no form field."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


class SignaturesField(forms.CharField):
    """Signature lines typed as «Должность — И.О. Фамилия», one per line → [[role, name], …]."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    # The field reads text like a CharField but cleans it to rows, unlike its parent.
    def to_python(self, value) -> list[list[str]]:  # type: ignore[override]
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
