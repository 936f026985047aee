"""Errors services raise in plain Python, and how versioned apps turn them into HTTP responses."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from trading_api.models.system import ErrorPublic
from trading_api.shared.http_errors import validation_error_body


class ServiceError(Exception):
    """Base of the errors a service raises for a caller mistake; `status_code`: its HTTP status."""

    status_code = 400


class NotFoundError(ServiceError):
    """The requested item (order, symbol, position...) does not exist."""

    status_code = 404


class ConflictError(ServiceError):
    """The item exists but its state forbids the operation (e.g. cancelling a filled order)."""

    status_code = 409


class InvalidInputError(ServiceError):
    """Input passed schema validation but is semantically wrong (e.g. `from` >= `to`).

    Rendered as a 422 with the same body shape as FastAPI's own validation errors, so a client
    handles every 422 the same way.
    """

    status_code = 422

    def __init__(self, loc: tuple[str | int, ...], msg: str, value: Any = None) -> None:
        super().__init__(msg)
        self.loc = loc
        self.msg = msg
        self.value = value


async def _service_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)  # registered for ServiceError only
    if isinstance(exc, InvalidInputError):
        error = {"type": "value_error", "loc": list(exc.loc), "msg": exc.msg, "input": exc.value}
        content = validation_error_body([error])
    else:
        content = {"detail": str(exc)}
    return JSONResponse(status_code=exc.status_code, content=content)


def install_service_error_handlers(app: FastAPI) -> None:
    """Make `app` answer every ServiceError with its status code and a `{"detail": ...}` body."""
    app.add_exception_handler(ServiceError, _service_error_handler)


def error_responses(*status_codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting the given error statuses with ErrorPublic."""
    descriptions = {404: "Not found", 409: "Conflict with the item's current state"}
    return {
        code: {"model": ErrorPublic, "description": descriptions.get(code, "Error")}
        for code in status_codes
    }
