"""The permission matrix, object by object: one place decides, these tests pin it down."""

import pytest

pytestmark = pytest.mark.django_db


def test_methodist_runs_everything_in_the_association(cast):
    m = cast.methodist
    assert m.has_perm("directory.manage_people", cast.association)
    assert m.has_perm("directory.add_school", cast.association)
    assert m.has_perm("directory.change_school", cast.school_a)
    assert m.has_perm("directory.view_school_private", cast.school_b)


def test_head_runs_the_work_but_not_user_administration(cast):
    h = cast.head
    assert h.has_perm("directory.add_school", cast.association)
    assert h.has_perm("directory.change_school", cast.school_b)
    assert not h.has_perm("directory.manage_people", cast.association)


def test_director_reads_everything_and_changes_nothing(cast):
    d = cast.director
    assert d.has_perm("directory.view_school_private", cast.school_a)
    assert d.has_perm("directory.export_directory", cast.association)
    assert not d.has_perm("directory.change_school", cast.school_a)
    assert not d.has_perm("directory.manage_people", cast.association)


def test_librarian_changes_only_her_own_school(cast):
    a = cast.librarian_a
    assert a.has_perm("directory.change_school", cast.school_a)
    assert a.has_perm("directory.view_school_private", cast.school_a)
    assert not a.has_perm("directory.change_school", cast.school_b)
    assert not a.has_perm("directory.view_school_private", cast.school_b)
    assert a.has_perm("directory.view_school", cast.school_b)  # colleagues' public card
    assert not a.has_perm("directory.add_school", cast.association)


def test_outsider_has_no_rights_in_another_association(cast):
    o = cast.outsider
    assert not o.has_perm("directory.view_association", cast.association)
    assert not o.has_perm("directory.view_school", cast.school_a)
    assert not o.has_perm("directory.view_person", cast.methodist)


def test_methodist_of_one_association_has_no_rights_in_another(cast):
    assert not cast.methodist.has_perm("directory.view_school", cast.other_school)
    assert not cast.methodist.has_perm("directory.manage_people", cast.other_association)
    assert not cast.methodist.has_perm("directory.view_person", cast.outsider)


def test_deactivated_person_loses_every_right(cast):
    from bibliomo.directory import services

    services.person_deactivate(cast.methodist, cast.librarian_a)
    cast.librarian_a.refresh_from_db()
    assert not cast.librarian_a.has_perm("directory.change_school", cast.school_a)
    assert not cast.librarian_a.has_perm("directory.view_association", cast.association)


def test_a_person_may_hold_several_roles(cast):
    from bibliomo.directory import services
    from bibliomo.directory.models import Role

    services.person_set_roles(
        cast.methodist, cast.librarian_b, cast.association, [Role.LIBRARIAN, Role.HEAD]
    )
    assert cast.librarian_b.has_perm("directory.change_school", cast.school_a)  # as head
    assert cast.librarian_b.role_labels(cast.association.pk) == [
        "руководитель ММО",
        "педагог-библиотекарь (член ММО)",
    ]
