def axes_username(request, credentials) -> str | None:
    """The e-mail being tried, lower-cased: «Lib@x.ru» and «lib@x.ru» count as one target.

    Axes passes credentials keyed by its username field (our USERNAME_FIELD, "email"); the
    login form itself posts the field as "username".
    """
    source = credentials if credentials else getattr(request, "POST", {})
    username = None
    for key in ("email", "username"):
        if source and source.get(key):
            username = source.get(key)
            break
    return username.strip().lower() if isinstance(username, str) else None
