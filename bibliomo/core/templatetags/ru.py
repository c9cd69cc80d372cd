"""Russian presentation in templates: {{ day|ru_date }}, {{ n|plural:"школа,школы,школ" }}."""

from django import template
from django.utils import timezone

from bibliomo.lib import ru

register = template.Library()


@register.filter
def ru_date(value) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return ru.format_date(value)


@register.filter
def ru_date_long(value) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return ru.format_date_long(value)


@register.filter
def ru_datetime(value) -> str:
    if value is None or value == "":
        return ""
    return ru.format_datetime(timezone.localtime(value) if timezone.is_aware(value) else value)


@register.filter
def plural(value, forms: str) -> str:
    """{{ 5|plural:"школа,школы,школ" }} → «5 школ»."""
    one, few, many = (form.strip() for form in forms.split(","))
    return ru.plural(int(value or 0), one, few, many)


@register.filter
def plural_word(value, forms: str) -> str:
    """Only the word: {{ 5|plural_word:"школа,школы,школ" }} → «школ»."""
    one, few, many = (form.strip() for form in forms.split(","))
    return ru.plural_form(int(value or 0), one, few, many)


@register.filter
def academic_year(start) -> str:
    return ru.format_academic_year(int(start)) if start not in (None, "") else ""


@register.filter
def num(value, digits: int = 0) -> str:
    """{{ 264507|num }} → «264 507»; {{ 97.14|num:1 }} → «97,1» (no-break space, comma)."""
    if value is None or value == "":
        return ""
    return ru.format_number(value, int(digits))


@register.filter
def typography(value) -> str:
    """Quotes inside quotes as „…“ and «№» joined to its number, as in every paper."""
    return ru.typography(str(value)) if value not in (None, "") else ""


@register.filter
def shortened(value, limit: int) -> str:
    """{{ event.named|shortened:90 }}: cut at a word, the quotes it left open closed again."""
    return ru.shortened(str(value), int(limit)) if value not in (None, "") else ""


@register.filter
def quoted(value) -> str:
    """«Мастер-класс „Школа, семья“»: the text in quotes, the quotes inside it as „…“."""
    return ru.quoted(str(value)) if value not in (None, "") else ""


@register.filter
def sentence_then(first, second) -> str:
    """{{ entry.authors|sentence_then:entry.title }} → «Гончаренко Л.И. Вероятность…» (the
    initials' full stop ends the first sentence: no «Л.И..»)."""
    return ru.join_sentences(str(first or ""), str(second or ""))
