import io

import docx
import pytest

from bibliomo.documents import services
from bibliomo.lib.documents import html_to_pdf


def pdf_bytes(*paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return html_to_pdf(f"<html><body>{body}</body></html>")


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FIELDS = {
    "title": "Об утверждении федерального перечня учебников",
    "kind": "order",
    "category": "federal",
    "issuer": "Минпросвещения России",
    "number": "858",
    "date": None,
    "audience": "public",
    "summary": "Перечень учебников, допущенных к использованию.",
    "tags": ["учебники", "ФПУ"],
}


@pytest.fixture
def order(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.document_create(
            cast.methodist,
            cast.association,
            **FIELDS,
            file_data=pdf_bytes("Учебники используются до истечения предельного срока."),
            filename="prikaz-858.pdf",
        )
