"""Who may do what in the exchange and the order: a librarian acts only for her own school."""

import rules

from bibliomo.directory.rules import is_librarian_of_school, is_manager, is_member, is_reader

# On the association
rules.add_perm("exchange.view_index", is_member)
rules.add_perm("exchange.view_plans", is_reader)
rules.add_perm("exchange.manage", is_manager)
# On a school: its pool, its shipments, its order
rules.add_perm("exchange.view_school", is_reader | is_librarian_of_school)
rules.add_perm("exchange.act_for_school", is_manager | is_librarian_of_school)
