"""HTTP-level error answers of a versioned app, made true to its OpenAPI document.

- 405: Starlette's `Allow` lists the methods of the first route whose path matched, so
  `OPTIONS /orders` said `Allow: POST` although `GET /orders` exists too. The handler lists the
  methods of every route declared with that route's path template (RFC 9110 §15.5.6), which
  are the methods the OpenAPI document lists for the path.
- A JSON body that is not UTF-8 text makes FastAPI answer 400 "There was an error parsing the
  body", a status no operation documents; every other malformed JSON body is FastAPI's 422
  `json_invalid`. The handler answers it with the same 422 shape, `loc` `["body"]`.
- 422: Python's JSON parser reads the non-standard literals `NaN` and `Infinity`; echoed back as
  an error's `input`, they made the strict JSON encoder fail (500). Non-finite numbers are
  rendered as the strings "NaN", "Infinity", "-Infinity", and an error's `ctx` exception as its
  message (FastAPI renders it `{}`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import Scope


def json_safe(value: Any) -> Any:
    """`value` (made of JSON types) with every non-finite float replaced by its name."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


def validation_error_body(errors: Sequence[Any]) -> dict[str, Any]:
    """The `{"detail": [...]}` body of a 422 listing `errors` (pydantic's error dicts)."""
    detail = []
    for error in errors:
        ctx = error.get("ctx")
        if ctx:
            ctx = {key: str(v) if isinstance(v, Exception) else v for key, v in ctx.items()}
            error = {**error, "ctx": ctx}
        detail.append(error)
    return {"detail": json_safe(jsonable_encoder(detail))}


def allowed_methods(routes: Sequence[BaseRoute], scope: Scope) -> list[str]:
    """The methods of the resource a request's path targets, sorted; [] if no route matches.

    The resource is the path template of the first route matching the path, whatever the method
    (the route Starlette's 405 speaks for): `/orders/preview` is `POST /orders/preview`, not
    `/orders/{order_id}`, which would only match it as an order id that cannot exist. Its methods
    are those of every route declared with that template.
    """
    api_routes = [route for route in routes if isinstance(route, APIRoute) and route.methods]
    for route in api_routes:
        method = min(route.methods or ())  # any of its methods: only the path has to match
        if route.matches({**scope, "method": method})[0] is Match.FULL:
            return sorted({m for r in api_routes if r.path == route.path for m in r.methods or ()})
    return []


def _undecodable_body(exc: StarletteHTTPException) -> UnicodeDecodeError | None:
    """The decoding error behind FastAPI's 400 for a JSON body that is not text, if it is one."""
    cause = exc.__cause__
    if exc.status_code == 400 and isinstance(cause, UnicodeDecodeError):
        return cause
    return None


async def _validation_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)  # registered for it only
    return JSONResponse(status_code=422, content=validation_error_body(exc.errors()))


def install_http_error_handlers(app: FastAPI, routes: Sequence[BaseRoute]) -> None:
    """Make `app`'s 405s list the methods of the resource (declared in `routes`), its
    undecodable JSON bodies 422s, and its 422 bodies valid JSON whatever the input."""

    async def handle_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)  # registered for HTTPException only
        if exc.status_code == 405:
            methods = allowed_methods(routes, request.scope)
            if methods:
                headers = {**(exc.headers or {}), "Allow": ", ".join(methods)}
                exc = StarletteHTTPException(405, exc.detail, headers)
        undecodable = _undecodable_body(exc)
        if undecodable is not None:
            error = {
                "type": "json_invalid",
                "loc": ["body"],
                "msg": f"JSON decode error: the body is not {undecodable.encoding} text "
                f"({undecodable.reason} at byte {undecodable.start})",
                "input": None,
            }
            return JSONResponse(status_code=422, content=validation_error_body([error]))
        return await http_exception_handler(request, exc)

    app.add_exception_handler(StarletteHTTPException, handle_http_error)
    app.add_exception_handler(RequestValidationError, _validation_error_handler)
