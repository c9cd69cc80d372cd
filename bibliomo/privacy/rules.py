"""Who may do what with personal data."""

import rules

from bibliomo.directory.rules import is_methodist, is_self

# The methodist sets the consent text, handles deletion requests and anonymises people.
rules.add_perm("privacy.manage_consent_text", is_methodist)
rules.add_perm("privacy.handle_deletion_requests", is_methodist)
rules.add_perm("privacy.anonymise_person", is_methodist & ~is_self)
