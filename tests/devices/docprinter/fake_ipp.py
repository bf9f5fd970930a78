"""A scripted IPP server on loopback standing in for cupsd, to drive CupsPrinter through every outcome."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from devices.docprinter import ipp

_TAGS = {
    "attributes-charset": ipp.CHARSET,
    "attributes-natural-language": ipp.NATURAL_LANGUAGE,
    "status-message": ipp.TEXT,
    "job-id": ipp.INTEGER,
    "job-state": ipp.ENUM,
    "job-impressions-completed": ipp.INTEGER,
    "printer-state": ipp.ENUM,
    "printer-is-accepting-jobs": ipp.BOOLEAN,
    "printer-state-message": ipp.TEXT,
}


class FakeCups:
    def __init__(self) -> None:
        self.printer: dict[str, list[Any]] = {
            "printer-state": [3],
            "printer-state-reasons": ["none"],
            "printer-is-accepting-jobs": [True],
            "printer-state-message": [""],
        }
        self.job_states = [9]  # successive answers to Get-Job-Attributes; the last one repeats
        self.impressions = 0
        self.accepting_status = 0x0000
        self.requests: list[ipp.IppMessage] = []
        self._lock = threading.Lock()
        self._polls = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        return f"cups://127.0.0.1:{self.server.server_address[1]}/kiosk-a4"

    def operations(self) -> list[int]:
        return [request.code for request in self.requests]

    def answer(self, request: ipp.IppMessage) -> bytes:
        with self._lock:
            self.requests.append(request)
            groups: list[tuple[int, dict[str, list[Any]]]] = [
                (ipp.OPERATION_GROUP, {"attributes-charset": ["utf-8"], "attributes-natural-language": ["en"]})
            ]
            code = 0
            if request.code == ipp.GET_PRINTER_ATTRIBUTES:
                groups.append((ipp.PRINTER_GROUP, dict(self.printer)))
            elif request.code == ipp.PRINT_JOB:
                code = self.accepting_status
                if code == 0:
                    groups.append((ipp.JOB_GROUP, {"job-id": [42], "job-state": [3]}))
                else:
                    groups[0][1]["status-message"] = ["Destination is not accepting jobs."]
            elif request.code == ipp.GET_JOB_ATTRIBUTES:
                state = self.job_states[min(self._polls, len(self.job_states) - 1)]
                self._polls += 1
                groups.append((ipp.JOB_GROUP, {"job-state": [state], "job-impressions-completed": [self.impressions]}))
            return ipp.encode(ipp.IppMessage(code, request.request_id, groups), _TAGS)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                reply = fake.answer(ipp.decode(body))
                self.send_response(200)
                self.send_header("Content-Type", "application/ipp")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> FakeCups:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
