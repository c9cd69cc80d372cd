"""Error pages in Russian, in the site's style, for the answers Django leaves bare."""

from __future__ import annotations

from django.template import loader

# Statuses Django answers with an empty body (require_POST, HttpResponseGone…).
BARE = {405: "405.html", 410: "410.html", 429: "429.html"}


def render_error(request, status: int, template: str = "") -> str:
    return loader.render_to_string(template or BARE[status], request=request)


class ErrorPagesMiddleware:
    """Fills an empty 405, 410 or 429 answer with its Russian page (headers such as Allow
    stay)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        bare = response.status_code in BARE and not getattr(response, "streaming", False)
        if bare and not response.content:
            response.content = render_error(request, response.status_code)
            response["Content-Type"] = "text/html; charset=utf-8"
            if "Content-Length" in response:  # CommonMiddleware counted the empty body
                response["Content-Length"] = str(len(response.content))
        return response


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form sent without a valid token."""
    from django.http import HttpResponseForbidden

    return HttpResponseForbidden(render_error(request, 403, "403_csrf.html"))
