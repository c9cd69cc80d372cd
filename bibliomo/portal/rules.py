import rules

from bibliomo.directory.rules import is_manager, is_methodist

rules.add_perm("portal.write_post", is_manager)
rules.add_perm("portal.publish_post", is_methodist)
