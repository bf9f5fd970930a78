"""How a step ends a visit: a failure code (the screen shows error.<code>) and what the citizen can do next."""

from __future__ import annotations


class FlowFailed(Exception):
    """Ends the flow on the failed view. `retry`: trying again can work (the screen offers 重试)."""

    def __init__(self, code: str, next_key: str = "next.retry_later", *, retry: bool = False,
                 extra: dict[str, object] | None = None) -> None:  # fmt: skip
        super().__init__(code)
        self.code, self.next_key, self.retry = code, next_key, retry
        self.extra = dict(extra or {})  # shown with the failure (e.g. "retry_on": the date one may apply again)
