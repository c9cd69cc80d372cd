from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def overdue_on(activity, plan) -> bool:
    """{% if activity|overdue_on:plan %}: still planned although its time is over."""
    return activity.is_overdue(timezone.localdate(), plan)
