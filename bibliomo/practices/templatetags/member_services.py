"""What an event is for in mentoring, working groups and the bank of practices: the event page
shows them without the events app knowing these apps (three queries, whatever the count)."""

from django import template

from bibliomo.groups.models import WorkingGroup
from bibliomo.mentoring.models import Pair
from bibliomo.practices.models import Practice

register = template.Library()


@register.simple_tag
def event_links(event, with_pairs: bool = False) -> dict:
    return {
        "practices": list(Practice.objects.filter(fair=event).select_related("school")),
        "groups": list(WorkingGroup.objects.filter(meetings=event)),
        "pairs": list(Pair.objects.filter(seminar=event).select_related("mentor", "mentee"))
        if with_pairs
        else [],
    }
