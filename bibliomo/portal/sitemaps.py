from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from bibliomo.documents.selectors import public_documents
from bibliomo.events.selectors import public_events
from bibliomo.portal.views import published_posts


class StaticSitemap(Sitemap):
    def items(self):
        return ["portal_index", "public_news", "public_events", "public_documents"]

    def location(self, item):
        return reverse(item)


class PostSitemap(Sitemap):
    def items(self):
        return published_posts()

    def lastmod(self, item):
        return item.updated_at


class EventSitemap(Sitemap):
    def items(self):
        return public_events()

    def location(self, item):
        return reverse("public_event", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class DocumentSitemap(Sitemap):
    def items(self):
        return public_documents()

    def location(self, item):
        return reverse("public_document", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "pages": StaticSitemap,
    "news": PostSitemap,
    "events": EventSitemap,
    "documents": DocumentSitemap,
}
