"""Who may do what with events (predicates shared with the directory and plans)."""

import rules

from bibliomo.directory.rules import is_manager, is_member, is_reader

rules.add_perm("events.view_events", is_member)
rules.add_perm("events.add_event", is_manager)
# On an event.
rules.add_perm("events.view_event", is_member)
rules.add_perm("events.change_event", is_manager)
rules.add_perm("events.register", is_member)
rules.add_perm("events.view_registrations", is_reader)
rules.add_perm("events.manage_registrations", is_manager)
rules.add_perm("events.issue_certificates", is_manager)
rules.add_perm("events.write_minutes", is_manager)
