from __future__ import annotations

from django import forms

from bibliomo.directory.models import Person
from bibliomo.documents.models import Document
from bibliomo.portal.models import Post


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name}, {obj.school.short_name}" if obj.school_id else obj.full_name


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name}, {obj.school.short_name}" if obj.school_id else obj.full_name


def _people(association):
    return (
        Person.objects.filter(role_grants__association=association, is_active=True)
        .select_related("school")
        .distinct()
    )


class GroupForm(forms.Form):
    name = forms.CharField(label="Название", max_length=300)
    goal = forms.CharField(label="Цель", widget=forms.Textarea(attrs={"rows": 3}))
    head = PersonChoice(label="Руководитель группы", queryset=Person.objects.none())
    members = PeopleChoice(
        label="Участники",
        queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        required=False,
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = _people(association)
        self.fields["members"].queryset = _people(association)


class TaskForm(forms.Form):
    title = forms.CharField(label="Задача", max_length=500)
    owner = PersonChoice(label="Ответственный", queryset=Person.objects.none())
    due_on = forms.DateField(
        label="Срок", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = group.members.select_related("school")


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Начало",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    topic = forms.CharField(label="Тема заседания", max_length=200)
    address = forms.CharField(label="Место (адрес)", max_length=300, required=False)
    online_url = forms.URLField(
        label="или ссылка для подключения", required=False, assume_scheme="https"
    )


class ProductsForm(forms.Form):
    documents = forms.ModelMultipleChoiceField(
        label="Документы библиотеки",
        queryset=Document.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    posts = forms.ModelMultipleChoiceField(
        label="Публикации портала",
        queryset=Post.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = Document.objects.filter(
            association=association
        ).order_by("title")
        self.fields["posts"].queryset = Post.objects.filter(association=association).order_by(
            "-created_at"
        )
