"""The generated client against a real uvicorn server: sync and async, models, errors, options."""

from __future__ import annotations

import asyncio
import datetime as dt
from types import ModuleType

import httpx
import pytest


def test_client_class_names(demo: ModuleType) -> None:
    assert demo.DemoV1Client.__name__ == "DemoV1Client"
    assert demo.AsyncDemoV1Client.__name__ == "AsyncDemoV1Client"


def test_sync_round_trip_parses_models(demo: ModuleType, base_url: str) -> None:
    with demo.DemoV1Client(base_url) as client:
        created = client.create_order(
            demo.OrderCreate(symbol="AAPL", side=demo.Side.SELL, qty=5, tags=["x"], client_id="c-1")
        )
        assert isinstance(created, demo.Order)
        assert created.side is demo.Side.SELL
        assert created.type_ is demo.OrderType.MARKET  # the server's default, sent unset
        assert created.client_id == "c-1"  # alias clientId on the wire
        assert created.note is None
        assert isinstance(created.fills[0], demo.Fill)
        assert created.fills[0].at == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)

        fetched = client.get_order(created.id)
        assert fetched == created

        listed = client.list_orders(symbols=["AAPL", "MSFT"], status=demo.OrderStatus.WORKING)
        assert [order.id for order in listed] == [created.id]
        assert isinstance(listed[0], demo.Order)
        assert client.list_orders(symbols=["MSFT"]) == []

        assert client.replace_tags(created.id, ["a", "b"]) == ["a", "b"]
        page = client.get_order_page()
        assert isinstance(page, demo.OrderPage)
        assert page.items[0].tags == ["a", "b"]
        assert page.next_cursor == "next"

        assert client.count_orders() == 0  # default side=buy
        assert client.count_orders(side=demo.Side.SELL) == 1

        assert client.cancel_order(created.id) is None
        assert client.get_order(created.id).status is demo.OrderStatus.CANCELLED


def test_enum_values_and_members() -> None:
    from tests.client.demo_app import OrderType

    assert [member.value for member in OrderType] == ["market", "limit", "stop-limit"]


def test_generated_enum_keeps_values(demo: ModuleType) -> None:
    assert demo.OrderType.STOP_LIMIT.value == "stop-limit"
    assert issubclass(demo.Side, str)


def test_path_parameters_are_encoded(demo: ModuleType, base_url: str) -> None:
    with demo.DemoV1Client(base_url) as client:
        # Starlette decodes %2F before routing, so "/" cannot be tested end to end here.
        assert client.quote(demo.Side.BUY, "A B?") == pytest.approx(101.04)
        assert client.quote(demo.Side.SELL, "X", size=1.5) == pytest.approx(101.51)


def test_recursive_model(demo: ModuleType, base_url: str) -> None:
    with demo.DemoV1Client(base_url) as client:
        tree = client.get_tree(depth=3)
    assert isinstance(tree, demo.TreeNode)
    assert tree.name == "level2"
    assert isinstance(tree.children[0].children[0], demo.TreeNode)
    assert tree.children[0].children[0].children[0].name == "leaf"


def test_untyped_response_is_plain_json(demo: ModuleType, base_url: str) -> None:
    with demo.DemoV1Client(base_url) as client:
        assert client.anything() == {"free": ["form", 1]}


def test_404_raises_api_error(demo: ModuleType, base_url: str) -> None:
    with demo.DemoV1Client(base_url) as client, pytest.raises(demo.ApiError) as caught:
        client.get_order("missing")
    error = caught.value
    assert error.status_code == 404
    assert error.body == {"detail": "order missing not found"}
    assert isinstance(error.response, httpx.Response)
    assert not isinstance(error, demo.ApiValidationError)
    assert "404" in str(error)


def test_422_raises_validation_error(demo: ModuleType, base_url: str) -> None:
    with demo.DemoV1Client(base_url) as client, pytest.raises(demo.ApiValidationError) as caught:
        client.create_order(demo.OrderCreate(symbol="AAPL", side=demo.Side.BUY, qty=-1))
    error = caught.value
    assert isinstance(error, demo.ApiError)
    assert error.status_code == 422
    assert error.body["detail"][0]["loc"] == ["body", "qty"]
    assert error.errors[0].loc == ["body", "qty"]
    assert isinstance(error.errors[0], demo.ApiValidationIssue)


def test_headers_are_sent(demo: ModuleType, base_url: str) -> None:
    with demo.DemoV1Client(base_url, headers={"X-Api-Key": "secret"}) as client:
        echoed = client.echo_headers(x_request_id="r-1")
        assert (echoed.api_key, echoed.request_id) == ("secret", "r-1")
        assert client.echo_headers().request_id is None


def test_timeout_applies(demo: ModuleType, base_url: str) -> None:
    with demo.DemoV1Client(base_url, timeout=0.2) as client:
        with pytest.raises(httpx.TimeoutException):
            client.slow(2.0)
        assert client.slow(0.0) == "done"


def test_context_manager_closes_own_client_only(demo: ModuleType, base_url: str) -> None:
    with demo.DemoV1Client(base_url) as client:
        client.count_orders()
    assert client._client.is_closed

    own = httpx.Client()
    with demo.DemoV1Client(base_url, client=own) as client:
        assert client.count_orders() == 0
    assert not own.is_closed
    own.close()


def test_transport_is_used(demo: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=7)

    client = demo.DemoV1Client("http://example.invalid/", transport=httpx.MockTransport(handler))
    assert client.count_orders(side=demo.Side.SELL) == 7
    client.close()
    assert str(seen[0].url) == "http://example.invalid/api/v1/demo/count?side=sell"


def test_async_client(demo: ModuleType, base_url: str) -> None:
    async def scenario() -> None:
        async with demo.AsyncDemoV1Client(base_url, headers={"X-Api-Key": "k"}) as client:
            created = await client.create_order(
                demo.OrderCreate(symbol="MSFT", side=demo.Side.BUY, qty=1, limit_price=2.5)
            )
            assert isinstance(created, demo.Order)
            assert created.limit_price == 2.5
            listed = await client.list_orders()
            assert [order.id for order in listed] == [created.id]
            assert await client.count_orders() == 1
            assert (await client.echo_headers(x_request_id="a")).api_key == "k"
            with pytest.raises(demo.ApiError) as caught:
                await client.get_order("nope")
            assert caught.value.status_code == 404
            with pytest.raises(demo.ApiValidationError) as invalid:
                await client.create_order(
                    demo.OrderCreate(symbol="MSFT", side=demo.Side.BUY, qty=0)
                )
            assert invalid.value.errors[0].loc == ["body", "qty"]
            assert await client.cancel_order(created.id) is None
        assert client._client.is_closed

        async with demo.AsyncDemoV1Client(base_url, timeout=0.2) as slow_client:
            with pytest.raises(httpx.TimeoutException):
                await slow_client.slow(2.0)

    asyncio.run(scenario())
