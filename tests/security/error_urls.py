"""The site's URLs plus two that fail on purpose, for the error pages' browser check."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from bibliomo.urls import urlpatterns as site


def bad_request(request):
    raise SuspiciousOperation("a forged request")


def server_error(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-errors/400/", bad_request),
    path("test-errors/500/", server_error),
    *site,
]
