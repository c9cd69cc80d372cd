"""Who may do what with textbook data: a librarian only with her own school's.

The federal list is shared by every association: only a platform operator (the administrator
or a regional operator) changes it and its limit dates; an association's managers see it and
propose corrections.
"""

import rules

from bibliomo.directory.rules import (
    is_librarian_of_school,
    is_manager,
    is_member,
    is_platform_operator,
    is_reader,
)

rules.add_perm("textbooks.view_catalogue", is_member | is_platform_operator)
rules.add_perm("textbooks.import_catalogue", is_platform_operator)
rules.add_perm("textbooks.view_excluded", is_manager | is_platform_operator)
rules.add_perm("textbooks.propose_correction", is_manager)
rules.add_perm("textbooks.view_school_data", is_reader | is_librarian_of_school)
rules.add_perm("textbooks.change_school_data", is_manager | is_librarian_of_school)
rules.add_perm("textbooks.manage_campaigns", is_manager)
rules.add_perm("textbooks.view_summary", is_reader)
