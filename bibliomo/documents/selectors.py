"""Reads of the library: what a person may see, search in Russian, the yearly package."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet

from bibliomo.directory.models import Role
from bibliomo.documents.models import Document, PackageItem
from bibliomo.lib.russian_search import highlight, query_terms

STAFF_ROLES = {Role.METHODIST, Role.HEAD, Role.DIRECTOR}


def visible_documents(user, association) -> QuerySet[Document]:
    """Documents of the association that this person may see (the audience rule)."""
    documents = Document.objects.filter(association=association)
    roles = user.roles_in(association.pk) if user.is_authenticated else frozenset()
    if roles & STAFF_ROLES:
        return documents
    if Role.LIBRARIAN in roles:
        return documents.exclude(audience=Document.Audience.STAFF)
    return documents.filter(audience=Document.Audience.PUBLIC)


def public_documents() -> QuerySet[Document]:
    """What a visitor may reach: public documents the methodist published on the portal."""
    return Document.objects.filter(
        audience=Document.Audience.PUBLIC, portal_state=Document.PortalState.PUBLISHED
    )


def search(documents: QuerySet[Document], query: str) -> QuerySet[Document]:
    """Full-text search in Russian: PostgreSQL's 'russian' configuration, or our own stems."""
    query = query.strip()
    if not query:
        return documents
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query, config="russian", search_type="websearch")
        return (
            documents.filter(search_vector=search_query)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-rank", "-date")
        )
    terms = query_terms(query)
    if not terms:
        return documents.none()
    condition = Q()
    for term in terms:
        condition &= Q(search_stems__contains=f" {term} ")
    return documents.filter(condition)


@dataclass
class Hit:
    document: Document
    fragment: str  # HTML-escaped, matches in <mark>


def with_fragments(documents, query: str) -> list[Hit]:
    """The page's results with the matching fragment of their text highlighted."""
    hits = []
    for document in documents:
        version = document.latest_versions[0] if document.latest_versions else None
        text = "\n".join(filter(None, [document.summary, version.text if version else ""]))
        hits.append(Hit(document, highlight(text, query) if query else ""))
    return hits


def package(association, year: int) -> list[PackageItem]:
    return list(
        PackageItem.objects.filter(association=association, academic_year=year)
        .select_related("document")
        .order_by("position")
    )
