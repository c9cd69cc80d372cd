"""Reads of the library: what a person may see, search in Russian, the yearly package."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Case, Q, QuerySet, Value, When

from bibliomo.directory.models import Role
from bibliomo.documents.models import Document, DocumentVersion, PackageItem
from bibliomo.lib.russian_search import highlight, query_terms, relevance

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


# Normative acts come first among equally good matches: they are what a search is usually for.
NORMATIVE_BONUS = {Document.Kind.FEDERAL_LAW: 2, Document.Kind.ORDER: 2}


def search(documents: QuerySet[Document], query: str) -> QuerySet[Document]:
    """Full-text search in Russian (PostgreSQL's 'russian' configuration, or our own stems),
    ordered by relevance: see `rank_by_relevance`."""
    query = query.strip()
    if not query:
        return documents
    terms = query_terms(query)
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query, config="russian", search_type="websearch")
        return rank_by_relevance(documents.filter(search_vector=search_query), terms)
    if not terms:
        return documents.none()
    condition = Q()
    for term in terms:
        condition &= Q(search_stems__contains=f" {term} ")
    return rank_by_relevance(documents.filter(condition), terms)


# A query matching more documents than this is too broad to rank one by one: its matches come
# newest first (the search stays fast on a library of 10 000 documents).
RANKED_AT_MOST = 300


def rank_by_relevance(documents: QuerySet[Document], terms: list[str]) -> QuerySet[Document]:
    """The matches ordered by `relevance` of title, summary and newest text (plus a bonus for
    laws and orders), then newest first. Ranked in Python when there are at most RANKED_AT_MOST
    matches (newest first otherwise); the result stays a queryset for the paginator."""
    rows = list(
        documents.values_list("pk", "title", "summary", "date", "kind")[: RANKED_AT_MOST + 1]
    )
    if not rows:
        return documents
    if len(rows) > RANKED_AT_MOST:  # too broad a query to rank one by one: newest first
        return documents.order_by("-date", "title")
    texts: dict[int, str] = {}
    versions = DocumentVersion.objects.filter(document__in=[r[0] for r in rows]).order_by(
        "document", "-number"
    )
    for document_id, text in versions.values_list("document_id", "text"):
        texts.setdefault(document_id, text)

    def key(row):
        pk, title, summary, day, kind = row
        score = relevance(terms, title, summary, texts.get(pk, "")) if terms else 0
        return (-(score + NORMATIVE_BONUS.get(kind, 0)), -(day.toordinal() if day else 0), title)

    order = Case(*(When(pk=row[0], then=Value(i)) for i, row in enumerate(sorted(rows, key=key))))
    return documents.annotate(relevance_order=order).order_by("relevance_order")


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
