"""Who may do what with events (predicates shared with the directory and plans)."""

import rules

from bibliomo.directory.rules import is_manager, is_member, is_methodist, is_reader


@rules.predicate
def is_not_draft_or_organiser(user, event) -> bool:
    """Anything but a draft; a draft only for its organisers (and the methodist, below)."""
    if event is None or getattr(event, "status", None) != "draft":
        return True
    return getattr(user, "is_authenticated", False) and event.organisers.filter(pk=user.pk).exists()


can_see_event = is_member & (is_methodist | is_not_draft_or_organiser)

rules.add_perm("events.view_events", is_member)
rules.add_perm("events.add_event", is_manager)
# On an event.
rules.add_perm("events.view_event", can_see_event)
rules.add_perm("events.change_event", is_manager & can_see_event)
rules.add_perm("events.register", is_member)
rules.add_perm("events.view_registrations", is_reader)
rules.add_perm("events.manage_registrations", is_manager)
rules.add_perm("events.issue_certificates", is_manager)
rules.add_perm("events.write_minutes", is_manager)
