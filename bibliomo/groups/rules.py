"""Who may do what with working groups: the managers create and run them, the group's head
runs her group, its members see the group's space and mark their tasks; readers read."""

import rules

from bibliomo.directory.rules import is_manager, is_member, is_reader


@rules.predicate
def is_group_head(user, group) -> bool:
    return getattr(user, "is_authenticated", False) and group.head_id == user.pk


@rules.predicate
def is_group_member(user, group) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return group.head_id == user.pk or group.members.filter(pk=user.pk).exists()


rules.add_perm("groups.view_index", is_member)
rules.add_perm("groups.add_group", is_manager)
rules.add_perm("groups.view_group", is_member & (is_reader | is_group_member))
rules.add_perm("groups.change_group", is_member & (is_manager | is_group_head))
rules.add_perm("groups.work_in_group", is_member & (is_manager | is_group_member))
