"""Domain errors: services raise these; one API handler and the CLI map them to responses."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the request. ``errors`` maps a field (or "detail") to a Chinese message."""

    status_code = 400

    def __init__(self, message: str, *, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {"detail": message}


class NotFound(DomainError):
    """Does not exist, or is not the caller's: the two look the same so ids cannot be probed."""

    status_code = 404

    def __init__(self, message: str = "未找到，或您无权查看。") -> None:
        super().__init__(message)


class PermissionRefused(DomainError):
    status_code = 403
