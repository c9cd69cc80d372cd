import pytest

from bibliomo.documents import services
from tests.factories import DOCUMENT_FIELDS, pdf_bytes


@pytest.fixture
def order(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.document_create(
            cast.methodist,
            cast.association,
            **DOCUMENT_FIELDS,
            file_data=pdf_bytes("Учебники используются до истечения предельного срока."),
            filename="prikaz-858.pdf",
        )
