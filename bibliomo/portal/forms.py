from django import forms

from bibliomo.documents.models import Document
from bibliomo.portal.models import Post


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["title", "lead", "body", "attachments", "publish_at"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "publish_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "attachments": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]
        self.fields["attachments"].queryset = Document.objects.filter(
            association=association, audience=Document.Audience.PUBLIC
        )
        self.fields["attachments"].required = False


class ReturnForm(forms.Form):
    comment = forms.CharField(label="Что исправить", widget=forms.Textarea(attrs={"rows": 2}))
