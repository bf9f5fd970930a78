"""The kiosk's fleet agent: polls the fleet server for its desired configuration and applies it safely.

One `poll_once()` is one step (tests drive it with a fake clock; `run()` loops it):
  1. an open health window whose time is up is decided: healthy() -> commit and report "applied", else
     rollback_to_previous() and report "rolled_back"; while it is open nothing new is applied;
  2. reports not yet acknowledged are (re-)sent, each with its own Idempotency-Key;
  3. GET desired with If-None-Match; a new document goes whole to kiosk.trust (signatures, threshold,
     version, expiry, addressing, schema): applied -> health window opens and "pending" is reported;
     rejected -> "rejected" + reason; Deferred (a citizen transaction is open) -> retried soon.
Offline, the last good configuration keeps running and polls back off exponentially. Every delay is
jittered by +-15 % so a fleet that lost its server does not come back in lock-step.

Every heartbeat carries the audit log's head signed by the device key ("audit_head"). The server answers
with its verdict ("audit_head": "accepted" | "unchanged" | "regressed" | "bad_signature" | "no_device_key"):
a head it accepted is kept as a second anchor, a regression is kept as evidence; `kiosk diag audit-verify`
checks both.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from devices.status import DeviceStatus
from kiosk.audit import AuditLog
from kiosk.fleet.client import FleetAuthError, FleetClient, FleetRequestError, FleetUnavailable
from kiosk.fleet.state import AgentState, HealthWindow, load_agent_state, save_agent_state
from kiosk.home import KioskHome
from kiosk.trust import (
    CONFIG_TYPE,
    ConfigRejected,
    Deferred,
    NoPreviousConfig,
    TrustError,
    TrustRootMissing,
    apply_document,
    mark_committed,
    parse_envelope,
    read_active,
    read_state,
    rollback_to_previous,
)

log = logging.getLogger(__name__)
JITTER = 0.15


@dataclass(frozen=True)
class AgentSettings:
    health_window_s: float = 120.0  # a new configuration must stay healthy this long to be committed
    defer_retry_s: float = 20.0  # retry after a Deferred (a citizen transaction was open)
    max_backoff_s: float = 900.0  # offline: poll interval doubles up to this
    min_poll_s: float = 5.0  # never poll faster than this, whatever the server suggests


@dataclass(frozen=True)
class PollOutcome:
    """What one poll did. kind: unchanged | no_document | applied | noop | rejected | deferred |
    health_pending | committed | rolled_back | offline | unauthorized | not_provisioned | error."""

    kind: str
    next_poll_in: float
    version: int | None = None
    sha256: str | None = None
    reason: str | None = None
    message: str = ""


@dataclass(frozen=True)
class HeartbeatOutcome:
    ok: bool
    alerts: tuple[dict[str, Any], ...] = ()
    error: str | None = None
    audit_seq: int | None = None  # the signed audit head sent with it (None: no device key)


def signed_audit_head(home: KioskHome) -> dict[str, Any] | None:
    """The audit log's current head signed now by the device key, in its wire form (None before the key
    exists). A log cut short sends its shorter head: the fleet server answers "regressed"."""
    with AuditLog.for_home(home) as audit:
        head = audit.signed_head()
    return head.to_wire() if head is not None else None


def keep_fleet_verdict(home: KioskHome, answer: Mapping[str, Any], sent: Mapping[str, Any] | None) -> None:
    """Remember what the fleet server said of the head we sent (see the module docstring)."""
    verdict = answer.get("audit_head")
    if sent is None or not isinstance(verdict, str):
        return
    with AuditLog.for_home(home) as audit:
        if audit.anchor is None:
            return
        if verdict in ("accepted", "unchanged"):
            audit.anchor.record_fleet(sent["seq"], sent["hash"])
        elif verdict in ("regressed", "bad_signature"):
            log.error("fleet server: the audit head we sent (seq %s) is %s", sent["seq"], verdict)
            audit.anchor.record_fleet_alarm(verdict, sent["seq"])


def _doc_identity(body: bytes) -> tuple[int | None, str | None]:
    try:
        doc = parse_envelope(body)
    except ConfigRejected:
        return None, None
    return doc.version, doc.sha256


class FleetAgent:
    def __init__(
        self,
        home: KioskHome,
        client: FleetClient,
        *,
        healthy: Callable[[], bool] = lambda: True,
        open_transactions: Callable[[], int] | None = None,
        settings: AgentSettings | None = None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        """open_transactions: e.g. Journal.open_transaction_count - its stale_after is the lock's time-out,
        so an order abandoned by a crash stops blocking configuration changes."""
        self.home = home
        self.client = client
        self.settings = settings or AgentSettings()
        self._healthy = healthy
        self._open_transactions = open_transactions
        self._clock = clock
        self._rng = rng or random.Random()
        self._failures = 0
        self.state: AgentState = load_agent_state(home)

    # -- timing ---------------------------------------------------------------------------------------
    def _jitter(self, seconds: float) -> float:
        return seconds * self._rng.uniform(1 - JITTER, 1 + JITTER)

    def _interval(self) -> float:
        return self._jitter(max(self.settings.min_poll_s, self.state.poll_interval_s))

    def _backoff(self) -> float:
        base = max(self.settings.min_poll_s, self.state.poll_interval_s) * 2 ** max(self._failures - 1, 0)
        return self._jitter(min(base, self.settings.max_backoff_s))

    def _now_dt(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def _save(self) -> None:
        save_agent_state(self.home, self.state)

    # -- reports --------------------------------------------------------------------------------------
    def _queue_report(self, status: str, version: int | None, sha256: str | None, reason: str | None = None,
                      message: str = "") -> None:  # fmt: skip
        try:
            active = read_active(self.home)
            running = (active.version, active.sha256)
        except ValueError:
            running = (None, None)
        report = {"status": status, "version": version, "sha256": sha256, "reason": reason,
                  "message": message[:500], "running_version": running[0], "running_sha256": running[1]}  # fmt: skip
        self.state.outbox.append({"key": uuid.uuid4().hex, "report": report})
        self._save()

    def flush_reports(self) -> int:
        """Send queued reports in order; stop at the first that cannot be delivered. Returns the count sent."""
        sent = 0
        while self.state.outbox:
            entry = self.state.outbox[0]
            try:
                self.client.report(entry["report"], entry["key"])
            except FleetRequestError as error:  # refused for good: keeping it would block the queue for ever
                log.warning("fleet server refused a report: %s", error)
            report = entry["report"]
            if report.get("sha256"):
                self.state.reported[report["sha256"]] = report["status"]
            self.state.outbox.pop(0)
            self._save()
            sent += 1
        return sent

    # -- health window --------------------------------------------------------------------------------
    def _check_health(self) -> PollOutcome | None:
        health = self.state.health
        if health is None and read_state(self.home).pending:  # crashed between apply and opening the window
            health = self.state.health = HealthWindow(
                *self._pending_identity(), self._clock() + self.settings.health_window_s
            )
            self._save()
        if health is None:
            return None
        remaining = health.deadline - self._clock()
        if remaining > 0:
            return PollOutcome("health_pending", min(remaining, self._interval()), health.version, health.sha256)
        return self._decide_health(health)

    def _pending_identity(self) -> tuple[int, str]:
        state = read_state(self.home)
        return state.version, state.sha256 or ""

    def _decide_health(self, health: HealthWindow) -> PollOutcome:
        try:
            healthy = bool(self._healthy())
        except Exception as error:  # a crashing health check is a failed one
            log.warning("health check raised %s", type(error).__name__)
            healthy = False
        self.state.health = None
        if healthy:
            mark_committed(self.home)
            self._queue_report("applied", health.version, health.sha256)
            return PollOutcome("committed", self._jitter(1.0), health.version, health.sha256)
        try:
            rollback_to_previous(self.home, reason="health window failed")
        except NoPreviousConfig:
            log.error("health window failed but there is no last-known-good configuration to restore")
        self._queue_report("rolled_back", health.version, health.sha256, "health_check_failed")
        return PollOutcome("rolled_back", self._jitter(1.0), health.version, health.sha256, "health_check_failed")

    # -- polling --------------------------------------------------------------------------------------
    def _transaction_open(self) -> bool:
        return self._open_transactions is not None and self._open_transactions() > 0

    def _try_flush(self) -> bool:
        try:
            self.flush_reports()
        except (FleetUnavailable, FleetAuthError):
            return False  # they stay in the outbox for the next contact
        return True

    def _fetch_and_apply(self) -> PollOutcome:
        desired = self.client.desired(self.state.etag)
        if desired.poll_interval_s and desired.poll_interval_s != self.state.poll_interval_s:
            self.state.poll_interval_s = desired.poll_interval_s
            self._save()
        if desired.status == "unchanged":
            return PollOutcome("unchanged", self._interval())
        if desired.status == "none":
            self.state.etag = desired.etag
            self._save()
            return PollOutcome("no_document", self._interval())
        return self._apply(desired.body, desired.etag)

    def _apply(self, body: bytes, etag: str | None) -> PollOutcome:
        version, sha256 = _doc_identity(body)
        try:
            result = apply_document(self.home, body, now=self._now_dt(), is_transaction_open=self._transaction_open)
        except Deferred as deferred:
            return PollOutcome(
                "deferred", self._jitter(self.settings.defer_retry_s), version, sha256, None, str(deferred)
            )
        except ConfigRejected as rejected:
            self.state.etag = etag  # handled: the same document is not re-judged at every poll
            self._queue_report("rejected", version, sha256, rejected.reason.value, rejected.message)
            return PollOutcome("rejected", self._interval(), version, sha256, rejected.reason.value, rejected.message)
        except TrustRootMissing as missing:
            return PollOutcome("not_provisioned", self._backoff(), version, sha256, None, str(missing))
        except (TrustError, OSError, ValueError) as error:
            log.error("applying version %s failed: %s", version, error)
            return PollOutcome("error", self._backoff(), version, sha256, None, f"{type(error).__name__}: {error}")
        self.state.etag = etag
        if result.outcome == "noop":
            if self.state.reported.get(result.sha256) != "applied" and not self._queued(result.sha256):
                self._queue_report("applied", result.version, result.sha256)
            self._save()
            return PollOutcome("noop", self._interval(), result.version, result.sha256)
        if result.doc_type != CONFIG_TYPE:  # a trust-root rotation has no health window
            self._queue_report("applied", result.version, result.sha256)
            return PollOutcome("applied", self._interval(), result.version, result.sha256)
        window = self.settings.health_window_s
        self.state.health = HealthWindow(result.version, result.sha256, self._clock() + window)
        self._queue_report("pending", result.version, result.sha256)
        return PollOutcome("applied", min(window, self._interval()), result.version, result.sha256)

    def _queued(self, sha256: str) -> bool:
        return any(entry["report"].get("sha256") == sha256 for entry in self.state.outbox)

    def poll_once(self) -> PollOutcome:
        """One step of the agent; never raises for network trouble (see PollOutcome.kind)."""
        health = self._check_health()
        if health is not None:  # window still open, or just decided: report, apply nothing new now
            self._try_flush()
            return health
        try:
            self.flush_reports()
            outcome = self._fetch_and_apply()
        except FleetUnavailable as error:
            self._failures += 1
            return PollOutcome("offline", self._backoff(), message=str(error))
        except FleetAuthError as error:
            self._failures += 1
            return PollOutcome("unauthorized", self._backoff(), message=str(error))
        except FleetRequestError as error:
            self._failures += 1
            return PollOutcome("error", self._backoff(), message=str(error))
        self._failures = 0
        self._try_flush()
        return outcome

    # -- heartbeat and inventory ----------------------------------------------------------------------
    def heartbeat_once(
        self, device_states: Mapping[str, DeviceStatus | Mapping[str, Any]], availability: Mapping[str, bool]
    ) -> HeartbeatOutcome:
        states = {name: s.to_json() if isinstance(s, DeviceStatus) else dict(s) for name, s in device_states.items()}
        try:
            head = signed_audit_head(self.home)
        except (OSError, ValueError) as error:  # a broken audit store must not silence the heartbeat
            log.error("audit head not signed: %s", type(error).__name__)
            head = None
        try:
            answer = self.client.heartbeat(states, availability, audit_head=head)
        except (FleetUnavailable, FleetAuthError, FleetRequestError) as error:
            return HeartbeatOutcome(False, (), str(error))
        interval = answer.get("poll_interval_s")
        if isinstance(interval, int | float) and interval > 0 and interval != self.state.poll_interval_s:
            self.state.poll_interval_s = float(interval)
            self._save()
        keep_fleet_verdict(self.home, answer, head)
        alerts = answer.get("alerts", ())
        alerts = tuple(a for a in alerts if isinstance(a, dict)) if isinstance(alerts, list) else ()
        return HeartbeatOutcome(True, alerts, audit_seq=head["seq"] if head else None)

    def run(
        self,
        wait: Callable[[float], bool],
        heartbeat_source: Callable[[], tuple[Mapping[str, Any], Mapping[str, bool]]] | None = None,
    ) -> None:
        """Poll until wait(seconds) returns True (e.g. threading.Event().wait); heartbeat once per interval."""
        next_heartbeat = 0.0
        while True:
            outcome = self.poll_once()
            log.info("fleet poll: %s %s", outcome.kind, outcome.reason or "")
            if heartbeat_source is not None and self._clock() >= next_heartbeat:
                self.heartbeat_once(*heartbeat_source())
                next_heartbeat = self._clock() + self.state.poll_interval_s
            if wait(outcome.next_poll_in):
                return
