"""The generic WebSocket router: one route, its subscription request model and its update model."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar, cast

from pydantic import BaseModel

from trading_api.shared.ws.canonical import canonical_json
from trading_api.shared.ws.frames import update_frame

RequestT = TypeVar("RequestT", bound=BaseModel)
DataT = TypeVar("DataT", bound=BaseModel)


class WsRouter(Generic[RequestT, DataT]):
    """Logic of one subscription route; concrete classes are generated into `ws_generated/`.

    A concrete router sets `route` ("bars", "broker-connection"), `request_model` (what a client
    subscribes with) and `data_model` (what each `<route>.update` carries). Routers hold no
    state: the hub keeps the topics and their subscribers.
    """

    route: ClassVar[str]
    request_model: ClassVar[type[BaseModel]]
    data_model: ClassVar[type[BaseModel]]

    def parse_request(self, payload: object) -> RequestT:
        """Validate a subscribe/unsubscribe payload into `request_model` (pydantic ValidationError
        if it does not fit)."""
        return cast(RequestT, self.request_model.model_validate(payload))

    def topic_key(self, request: RequestT) -> str:
        """`<route>:<canonical JSON of request>`: equal requests name one topic."""
        return f"{self.route}:{canonical_json(request)}"

    def check_data(self, data: BaseModel) -> DataT:
        """`data` if it is an instance of `data_model`; TypeError otherwise (a service bug)."""
        if not isinstance(data, self.data_model):
            raise TypeError(
                f"route {self.route!r} publishes {self.data_model.__name__}, "
                f"got {type(data).__name__}"
            )
        return cast(DataT, data)

    def update_frame(self, topic: str, data: DataT) -> str:
        """The `<route>.update` frame carrying `data` for `topic`."""
        return update_frame(self.route, topic, data)
