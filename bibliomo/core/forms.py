from django import forms

from bibliomo.core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal next to its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
