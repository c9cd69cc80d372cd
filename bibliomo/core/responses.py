"""Responses that hand files to people: generated documents and stored uploads."""

from django.http import FileResponse, HttpResponse

from bibliomo.lib.filetypes import content_disposition


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A generated document offered as a download under `filename`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def stored_file(field_file, filename: str) -> FileResponse:
    """An uploaded file, always as a download with a neutral type.

    Nothing a person uploaded may ever be rendered by the browser on our origin (an HTML page
    or an SVG with a script inside would run with the viewer's session), so the type is
    octet-stream, sniffing is off and the response is sandboxed.
    """
    response = FileResponse(field_file.open("rb"), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
