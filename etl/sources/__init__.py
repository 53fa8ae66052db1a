"""I/O only: read raw inputs into raw records with provenance. No normalization here."""


class InputError(ValueError):
    """An input that cannot be read; ``code`` is the reject reason code, the message its reason."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
