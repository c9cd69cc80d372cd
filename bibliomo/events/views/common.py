from django.http import Http404
from django.shortcuts import get_object_or_404

from bibliomo.directory.access import require_association, require_perm
from bibliomo.events import selectors
from bibliomo.events.models import Event


def event_or_404(request, pk: int, perm: str = "events.view_event") -> Event:
    """An event of the signed-in person's association, checked against `perm`."""
    association = require_association(request)
    event = get_object_or_404(selectors.event_for_card(pk), association=association)
    if not request.user.has_perm("events.view_event", event):
        raise Http404  # a draft exists only for its organisers and the methodist
    require_perm(request, perm, event)
    return event
