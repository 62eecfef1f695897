class SupervisionError(Exception):
    """A refused supervision action; ``message`` is shown to the user as it is (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
