class DomainError(Exception):
    """A rule of the association's work was broken; the message is Russian and shown to the user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
