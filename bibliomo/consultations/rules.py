"""Who may do what at the consultation desk.

A question is private to the person who asked it, the methodist and the association head; the
director and the other librarians never read it. The base of answers is for every member.
"""

import rules

from bibliomo.consultations.models import Attachment, Question
from bibliomo.directory.models import Role
from bibliomo.directory.rules import has_role, is_manager, is_member


@rules.predicate
def is_asker(user, question) -> bool:
    if isinstance(question, Attachment):
        question = question.question
    return (
        isinstance(question, Question)
        and getattr(user, "is_authenticated", False)
        and question.asker_id == user.pk
        and bool(user.roles_in(question.association_id))
    )


@rules.predicate
def manages_question(user, question) -> bool:
    if isinstance(question, Attachment):
        question = question.question
    return isinstance(question, Question) and is_manager(user, question.association)


rules.add_perm("consultations.view_desk", is_member)
rules.add_perm("consultations.ask", has_role(Role.LIBRARIAN))
rules.add_perm("consultations.view_question", is_asker | manages_question)
rules.add_perm("consultations.reply", is_asker | manages_question)
rules.add_perm("consultations.answer", manages_question)
rules.add_perm("consultations.solve", is_asker)
rules.add_perm("consultations.see_all", is_manager)
rules.add_perm("consultations.manage_faq", is_manager)
rules.add_perm("consultations.view_faq", is_member)
