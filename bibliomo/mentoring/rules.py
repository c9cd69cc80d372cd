"""Who may do what in mentoring: the managers run it, the directors read it, a pair's mentor
and mentee see their own pair; other librarians see only their own pairs."""

import rules

from bibliomo.directory.rules import is_manager, is_member, is_reader


@rules.predicate
def is_mentor(user, pair) -> bool:
    return getattr(user, "is_authenticated", False) and pair.mentor_id == user.pk


@rules.predicate
def is_mentee(user, pair) -> bool:
    return getattr(user, "is_authenticated", False) and pair.mentee_id == user.pk


in_pair = is_mentor | is_mentee

rules.add_perm("mentoring.view_index", is_member)
rules.add_perm("mentoring.manage", is_manager)
rules.add_perm("mentoring.view_overview", is_reader)
rules.add_perm("mentoring.view_pair", is_member & (is_reader | in_pair))
rules.add_perm("mentoring.log_pair", is_member & (is_manager | in_pair))
rules.add_perm("mentoring.ask", is_member & is_mentee)
rules.add_perm("mentoring.answer", is_member & (is_mentor | is_manager))
rules.add_perm("mentoring.edit_programme", is_member & (is_mentor | is_manager))
rules.add_perm("mentoring.finish_pair", is_member & (is_mentor | is_manager))
rules.add_perm("mentoring.survey", is_member & in_pair)
