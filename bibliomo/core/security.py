"""Security headers Django does not set by itself."""

from __future__ import annotations

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy on every HTML response (settings.CONTENT_SECURITY_POLICY).

    Scripts come from this site only — no inline <script>, no on*= handlers, no eval —
    so an injected tag cannot run. Style attributes stay allowed (bars and colour marks of
    the summary pages are drawn with them); <style> elements do not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        content_type = response.get("Content-Type", "")
        if policy and content_type.startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", policy)
        return response
