"""Who may do what in the document library."""

import rules

from bibliomo.directory.models import Role
from bibliomo.directory.rules import has_role, is_manager, is_member, is_methodist, is_reader
from bibliomo.documents.models import Document


@rules.predicate
def document_for_members(user, document) -> bool:
    return isinstance(document, Document) and document.audience in (
        Document.Audience.PUBLIC,
        Document.Audience.MEMBERS,
    )


rules.add_perm("documents.view_library", is_member)
rules.add_perm("documents.add_document", is_manager)
rules.add_perm(
    "documents.view_document",
    is_reader | (has_role(Role.LIBRARIAN) & document_for_members),
)
rules.add_perm("documents.change_document", is_manager)
rules.add_perm("documents.propose_document", is_manager)
rules.add_perm("documents.publish_document", is_methodist)
rules.add_perm("documents.manage_package", is_manager)
