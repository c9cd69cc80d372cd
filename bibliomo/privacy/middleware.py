"""The consent gate: nobody works in /app/ before accepting her association's current text."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect

from bibliomo.core.addresses import address
from bibliomo.directory.access import current_association

# Open without consent: the consent page itself, and a person's rights over her data do not
# depend on consenting — she may download it or ask for deletion instead.
OPEN_PAGES = ("consent", "my_data_json", "my_data_docx", "deletion_request")


class ConsentMiddleware:
    """Sends a signed-in person to the consent page until she accepts the current version.

    Costs no query on its own: the association is the one the view reads anyway, and the
    accepted versions live on the person. Sign-in, sign-out and password pages stay open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._gate(request)
        return response if response is not None else self.get_response(request)

    def _gate(self, request):
        path = request.path_info
        if not path.startswith("/app/") or path.startswith("/app/account/"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        consent_url = address("privacy:consent")
        if request.path in {address(f"privacy:{name}") for name in OPEN_PAGES}:
            return None
        association = current_association(request)
        if association is None or user.has_consented(association):
            return None
        target = consent_url
        if request.method == "GET" and not getattr(request, "htmx", False):
            target += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
