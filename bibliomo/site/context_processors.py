"""The shell around every page: navigation by role and the current association."""

from bibliomo.core.addresses import address
from bibliomo.directory.access import current_association

# (label, url name, permission on the association or None). Sections whose URLs do not
# exist yet are left out, so later apps appear in the menu by registering their URLs.
NAVIGATION = [
    ("Главная", "home", None),
    ("План работы", "plans:index", "directory.view_association"),
    ("Мероприятия", "events:index", "directory.view_association"),
    ("Документы", "documents:index", "directory.view_association"),
    ("Учебники", "textbooks:index", "directory.view_association"),
    ("Обмен и заказ", "exchange:index", "exchange.view_index"),
    ("Конкурсы", "contests:index", "contests.view_contests"),
    ("Консультации", "consultations:index", "directory.view_association"),
    ("Наставничество", "mentoring:index", "directory.view_association"),
    ("Творческие группы", "groups:index", "directory.view_association"),
    ("Банк практик", "practices:index", "directory.view_association"),
    ("Профессиональный рост", "growth:index", "directory.view_association"),
    ("Портал", "portal:staff_list", "portal.write_post"),
    ("Анализ года", "reviews:index", "reviews.view_reviews"),
    ("Школы", "directory:school_list", "directory.view_association"),
    ("Участники", "directory:person_list", "directory.view_association"),
]


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    association = current_association(request)
    items = []
    for label, url_name, perm in NAVIGATION:
        if perm and (association is None or not user.has_perm(perm, association)):
            continue
        url = address(url_name)
        if url is None:
            continue
        items.append({"label": label, "url": url, "active": _is_active(request.path, url)})
    if association is None and getattr(user, "is_platform_operator", False):
        # A regional operator belongs to no association: what she keeps is the shared list.
        url = address("textbooks:catalogue")
        items.append(
            {"label": "Федеральный перечень", "url": url, "active": _is_active(request.path, url)}
        )
    return {
        "association": association,
        "navigation": items,
        "my_roles": user.role_labels(association.pk if association else None),
    }


def _is_active(path: str, url: str) -> bool:
    return path == url if url == address("home") else path.startswith(url)
