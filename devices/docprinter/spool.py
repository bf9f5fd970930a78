"""A simulated A4 printer for the demo and tests (URL spool://NAME?scenario=...).

Certificates carry personal data, so received jobs are kept IN MEMORY (`SimulatedSpool.jobs`, for tests and
the demo's control window); PDF files are written only when a `directory` option is given explicitly, and
then with owner-only permissions.

The simulated hardware (paper, jam, online, the job list) lives in a `SimulatedSpool` shared by name, like the
sim:// registry: the driver that reopens, and the control window, reach the same printer. Scenarios:
ok, media_empty, toner_low, offline, jam_mid_job (the first page comes out, then a jam), slow (each page
takes `slow_page_seconds`, so time-outs and cancellation can be seen).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from devices.docprinter.base import (
    JobState,
    PrintResult,
    QueuePrinterBase,
    attach_partial,
    check_copies,
    check_job_name,
    count_pdf_pages,
)
from devices.docprinter.errors import JobTimeout, MediaEmpty, MediaJam, PrinterOffline
from devices.errors import DeviceCancelled, DeviceError
from devices.operation import CancelToken, Deadline
from devices.status import DeviceState, DeviceStatus

SCENARIOS = ("ok", "media_empty", "toner_low", "offline", "jam_mid_job", "slow")


@dataclass(frozen=True)
class SpooledJob:
    job_id: str
    job_name: str
    copies: int
    pages: int  # pages that came out
    state: JobState
    pdf: bytes
    path: Path | None = None


class SimulatedSpool:
    """The simulated printer itself: scenario, paper/toner/jam state and the jobs it received."""

    def __init__(self, name: str, scenario: str = "ok", slow_page_seconds: float = 1.0) -> None:
        self.name = name
        self.slow_page_seconds = slow_page_seconds
        self.jobs: list[SpooledJob] = []
        self.lock = threading.Lock()
        self.set_scenario(scenario)

    def set_scenario(self, scenario: str) -> None:
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown spool scenario {scenario!r}; known: {', '.join(SCENARIOS)}")
        self.scenario = scenario
        self.paper = "out" if scenario == "media_empty" else "ok"
        self.toner = "low" if scenario == "toner_low" else "ok"
        self.online = scenario != "offline"
        self.jammed = False

    # control-window actions
    def load_paper(self) -> None:
        self.paper = "ok"

    def clear_jam(self) -> None:
        self.jammed = False
        if self.scenario == "jam_mid_job":
            self.scenario = "ok"

    def set_online(self, online: bool) -> None:
        self.online = online

    @property
    def printed(self) -> list[SpooledJob]:
        return [job for job in self.jobs if job.state is JobState.COMPLETED]

    def status(self) -> DeviceStatus:
        paper = "jam" if self.jammed else self.paper
        detail = {"paper": paper, "toner": self.toner, "door": "closed", "scenario": self.scenario}
        if not self.online:
            return DeviceStatus(DeviceState.OFFLINE, {**detail, "queue": "stopped"})
        if paper in ("out", "jam"):
            return DeviceStatus(DeviceState.USER_ERROR, {**detail, "queue": "stopped"})
        return DeviceStatus(DeviceState.ONLINE, {**detail, "queue": "idle"})

    def describe(self) -> dict[str, Any]:
        return {"kind": "document_printer", "scenario": self.scenario, "jobs": len(self.jobs), **self.status().detail}


_spools: dict[str, SimulatedSpool] = {}
_spools_lock = threading.Lock()


def get_spool(name: str, **create_options: Any) -> SimulatedSpool:
    """The simulated printer of that name, created on first use."""
    with _spools_lock:
        spool = _spools.get(name)
        if spool is None:
            spool = _spools[name] = SimulatedSpool(name, **create_options)
        return spool


def forget_spools() -> None:
    """Drop every simulated printer (tests call this between cases)."""
    with _spools_lock:
        _spools.clear()


def parse_spool_url(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    if parts.scheme != "spool" or not parts.netloc:
        raise ValueError(f"not a spool URL: {url!r} (expected spool://NAME)")
    return parts.netloc, dict(parse_qsl(parts.query))


class SpoolPrinter(QueuePrinterBase):
    """The driver side: the document-printer interface over a SimulatedSpool."""

    def __init__(
        self,
        name: str,
        url: str,
        *,
        scenario: str | None = None,
        directory: str | os.PathLike[str] | None = None,
        slow_page_seconds: float = 1.0,
    ) -> None:
        super().__init__(name)
        spool_name, params = parse_spool_url(url)
        chosen = scenario or params.get("scenario", "ok")
        self.spool = get_spool(spool_name, scenario=chosen, slow_page_seconds=slow_page_seconds)
        self.directory = Path(directory) if directory else None
        self._next_job = 0

    def refresh_status(self) -> DeviceStatus:
        if self._status.current.state is not DeviceState.BUSY:
            self._status.publish(self.spool.status())
        return self._status.current

    def print_pdf(
        self,
        pdf_bytes: bytes,
        *,
        job_name: str,
        copies: int = 1,
        timeout: float,
        cancel: CancelToken | None = None,
    ) -> PrintResult:
        check_job_name(job_name)
        check_copies(copies)
        pages = count_pdf_pages(pdf_bytes) * copies
        with self._job(cancel):
            deadline = Deadline(timeout)
            self._refuse_if_blocked()
            self._next_job += 1
            job_id = f"{self.spool.name}-{self._next_job}"
            try:
                done = self._run(pages, deadline, cancel)
            except DeviceError as error:
                state = JobState.CANCELLED if isinstance(error, DeviceCancelled) else JobState.FAILED
                printed = getattr(error, "pages_out", 0)
                self._record(SpooledJob(job_id, job_name, copies, printed, state, pdf_bytes))
                self._status.publish(self.spool.status())
                raise attach_partial(error, PrintResult(job_id, printed, state)) from None
            path = self._write(job_id, job_name, pdf_bytes)
            self._record(SpooledJob(job_id, job_name, copies, done, JobState.COMPLETED, pdf_bytes, path))
            self.counters["pages_printed"] += done
            self._status.publish(self.spool.status())
            return PrintResult(job_id, done)

    def _refuse_if_blocked(self) -> None:
        status = self.spool.status()
        if status.state is DeviceState.ONLINE:
            return
        self._status.publish(status)
        if status.state is DeviceState.OFFLINE:
            raise PrinterOffline(f"{self.name}: printer offline")
        if status.detail.get("paper") == "jam":
            raise MediaJam(f"{self.name}: paper jam")
        raise MediaEmpty(f"{self.name}: out of paper")

    def _run(self, pages: int, deadline: Deadline, cancel: CancelToken | None) -> int:
        """'Print' page by page as the scenario says; returns the pages that came out."""
        for page in range(pages):
            if self.spool.scenario == "jam_mid_job" and page == min(1, pages - 1):
                self.spool.jammed = True
                error = MediaJam(f"{self.name}: paper jam at page {page + 1} of {pages}")
                error.pages_out = page  # type: ignore[attr-defined]
                raise error
            if self.spool.scenario == "slow":
                self._wait(self.spool.slow_page_seconds, deadline, cancel, page)
        return pages

    def _wait(self, seconds: float, deadline: Deadline, cancel: CancelToken | None, page: int) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            error: DeviceError | None = None
            if cancel is not None and cancel.cancelled:
                error = DeviceCancelled(f"{self.name}: job cancelled")
            elif deadline.expired:
                error = JobTimeout(f"{self.name}: job not finished after {deadline.seconds:g} s")
            if error is not None:
                error.pages_out = page  # type: ignore[attr-defined]
                raise error
            time.sleep(min(0.02, max(0.0, end - time.monotonic())))

    def _record(self, job: SpooledJob) -> None:
        with self.spool.lock:
            self.spool.jobs.append(job)

    def _write(self, job_id: str, job_name: str, pdf_bytes: bytes) -> Path | None:
        if self.directory is None:
            return None
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{job_id}-{job_name}.pdf"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pdf_bytes)
        return path
