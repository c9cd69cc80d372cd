from __future__ import annotations

from typing import cast

from django import forms

from bibliomo.consultations.models import AnswerTemplate, FaqEntry, Question, Topic
from bibliomo.consultations.services import MAX_FILES
from bibliomo.core.uploads import LimitedFileField
from bibliomo.documents.models import Document
from bibliomo.portal.models import Post

FILES_HELP = (
    f"До {MAX_FILES} файлов: PDF, DOCX, DOC, XLSX, ODT, PPTX или изображения PNG/JPEG "
    "(проверяются, как в библиотеке документов)."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(LimitedFileField):
    """Several files at once, each within the library's limits; cleaned value: [(bytes, name)]."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(kind="document", **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(f"Можно приложить не больше {MAX_FILES} файлов.")
        checked = []
        for upload in uploads:
            upload = super().clean(upload, initial)
            if upload:
                checked.append((upload.checked_data, upload.name or ""))
        return checked


class QuestionForm(forms.Form):
    topic = forms.ChoiceField(label="Тема", choices=[("", "— выберите —"), *Topic.choices])
    subject = forms.CharField(
        label="Вопрос кратко",
        max_length=200,
        help_text="Например, «Как оформить акт списания учебников с истёкшим сроком?»",
    )
    text = forms.CharField(label="Подробно", widget=forms.Textarea(attrs={"rows": 6}))
    # A declared field: the form's metaclass moves it to base_fields, so BaseForm.files (the
    # uploaded files) is not shadowed; the stubs see a class attribute.
    files = FilesField(label="Файлы", help_text=FILES_HELP)  # type: ignore[assignment]


class MessageForm(forms.Form):
    text = forms.CharField(label="Сообщение", widget=forms.Textarea(attrs={"rows": 5}))
    # A declared field: the form's metaclass moves it to base_fields, so BaseForm.files (the
    # uploaded files) is not shadowed; the stubs see a class attribute.
    files = FilesField(label="Файлы", help_text=FILES_HELP)  # type: ignore[assignment]
    documents = forms.ModelMultipleChoiceField(
        label="Документы библиотеки", queryset=Document.objects.none(), required=False
    )
    posts = forms.ModelMultipleChoiceField(
        label="Новости портала", queryset=Post.objects.none(), required=False
    )

    def __init__(self, *args, question: Question, can_link: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if can_link:
            # What the asker may open: never a staff-only document.
            documents = cast(forms.ModelMultipleChoiceField, self.fields["documents"])
            documents.queryset = (
                Document.objects.filter(association_id=question.association_id)
                .exclude(audience=Document.Audience.STAFF)
                .only("id", "title")
            )
            posts = cast(forms.ModelMultipleChoiceField, self.fields["posts"])
            posts.queryset = Post.objects.filter(
                association_id=question.association_id, status=Post.Status.PUBLISHED
            ).only("id", "title")
            self.fields["documents"].widget.attrs["size"] = 6
            self.fields["posts"].widget.attrs["size"] = 4
            self.fields["text"].label = "Ответ"
        else:
            del self.fields["documents"]
            del self.fields["posts"]


class TemplateForm(forms.ModelForm):
    class Meta:
        model = AnswerTemplate
        fields = ["title", "topic", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}


class FaqForm(forms.ModelForm):
    class Meta:
        model = FaqEntry
        fields = ["topic", "title", "question_text", "answer_text"]
        widgets = {
            "question_text": forms.Textarea(attrs={"rows": 5}),
            "answer_text": forms.Textarea(attrs={"rows": 8}),
        }
