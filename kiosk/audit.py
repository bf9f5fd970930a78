"""Append-only, hash-chained audit log of admin and technician actions (its own SQLite file).

Each entry is chained to the one before: h_i = SHA-256(h_{i-1} || canonical(entry_i)), h_0 = 32 zero
bytes, where entry_i = {seq, ts, actor, action, target, detail}. verify() walks the chain and names the first
entry that was edited, deleted, reordered or inserted. A chain alone cannot reveal a cut-off tail or a
forged re-computed tail, so the head is anchored: AuditLog.for_home signs the head with the kiosk's device
key after every append (kiosk.trust.audit_anchor), the fleet agent reports it with every heartbeat, and
verify() checks the log against the signed head, the fleet's head and any head given to it.

Entries never carry personal data: the API takes actor ids, actions, targets and reasons; detail keys that
name personal data (name, id_number, address, photo, face, ...) are refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, event, select
from sqlalchemy.engine import Connection, Engine

from contracts.canonical import canonical_bytes
from contracts.redaction import PERSONAL_DATA_KEYS
from kiosk.home import KioskHome
from kiosk.migrations import AUDIT, upgrade_database
from kiosk.trust.audit_anchor import AnchorTampered, HeadAnchor, SignedHead
from kiosk.trust.device_key import DeviceKey, ensure_device_key

GENESIS_HASH = "00" * 32
MAX_DETAIL_TEXT = 256

_metadata = MetaData()
audit_table = Table(
    "audit_log",
    _metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("ts", String(40), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(128), nullable=False),
    Column("target", String(256), nullable=False),
    Column("detail", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    ts: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditHead:
    """The newest entry's seq and hash (seq 0 and the genesis hash for an empty log): what gets signed."""

    seq: int
    hash: str

    def canonical(self, kiosk_id: str) -> bytes:
        """The bytes the device key signs (kiosk.trust.audit_anchor.head_message)."""
        return canonical_bytes({"type": "audit-head", "kiosk_id": kiosk_id, "seq": self.seq, "hash": self.hash})


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    entries: int  # entries checked
    first_bad_seq: int | None = None
    problem: str = ""


def audit_path(home: KioskHome) -> Path:
    return home.audit_file


def entry_hash(prev_hash: str, seq: int, ts: str, actor: str, action: str, target: str, detail: Any) -> str:
    body = {"seq": seq, "ts": ts, "actor": actor, "action": action, "target": target, "detail": detail}
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical_bytes(body)).hexdigest()


def _check_no_personal_data(detail: Any, where: str = "detail") -> None:
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            if str(key).lower() in PERSONAL_DATA_KEYS:
                raise ValueError(f"{where}.{key}: audit entries never carry personal data")
            _check_no_personal_data(value, f"{where}.{key}")
    elif isinstance(detail, list | tuple):
        for index, value in enumerate(detail):
            _check_no_personal_data(value, f"{where}[{index}]")
    elif isinstance(detail, str) and len(detail) > MAX_DETAIL_TEXT:
        raise ValueError(f"{where}: text longer than {MAX_DETAIL_TEXT} characters (reasons, not documents)")
    elif not isinstance(detail, str | int | float | bool | type(None)):
        raise ValueError(f"{where}: {type(detail).__name__} is not JSON")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        # Switching to WAL needs an exclusive lock; a file already in WAL (the usual case) is left alone,
        # so concurrent openers do not contend for it.
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # WAL+NORMAL may lose the last commit on power loss
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Take the write lock before reading the head, so two writers cannot chain onto the same entry.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class AuditLog:
    """The audit log in one SQLite file. Open with AuditLog.for_home(home) or AuditLog(path)."""

    def __init__(
        self, path: Path, clock: Callable[[], datetime] | None = None, anchor: HeadAnchor | None = None
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.anchor = anchor
        self._clock = clock or (lambda: datetime.now(UTC))
        # Writers queue on the lock (BEGIN IMMEDIATE) instead of failing: wait up to 30 s for it.
        self._engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})
        _configure_sqlite(self._engine)
        upgrade_database(self._engine, AUDIT)  # before anything reads it

    @classmethod
    def for_home(cls, home: KioskHome) -> AuditLog:
        """The kiosk's audit log, its head anchored with the device key (once the kiosk has one)."""
        return cls(audit_path(home), anchor=HeadAnchor(home))

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def append(self, actor: str, action: str, target: str = "", detail: Mapping[str, Any] | None = None) -> AuditEntry:
        """Record one action by `actor` (an id such as "cli:root" or "agent", never a citizen's data)."""
        detail_obj = dict(detail or {})
        _check_no_personal_data(detail_obj)
        if not actor or not action:
            raise ValueError("actor and action are required")
        ts = self._clock().astimezone(UTC).isoformat(timespec="microseconds")
        with self._engine.begin() as conn:
            last = conn.execute(
                select(audit_table.c.seq, audit_table.c.hash).order_by(audit_table.c.seq.desc()).limit(1)
            ).first()
            seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS_HASH)
            digest = entry_hash(prev, seq, ts, actor, action, target, detail_obj)
            conn.execute(
                audit_table.insert().values(
                    seq=seq,
                    ts=ts,
                    actor=actor,
                    action=action,
                    target=target,
                    detail=canonical_bytes(detail_obj).decode("utf-8"),
                    prev_hash=prev,
                    hash=digest,
                )
            )
        if self.anchor is not None:
            self.anchor.record(seq, digest, self.hash_at)
        return AuditEntry(seq, ts, actor, action, target, detail_obj, prev, digest)

    def anchor_head(self, *, create: bool = False) -> SignedHead | None:
        """Sign and keep the current head now (`create`: also when no anchor exists yet, i.e. right after
        the device key was made). Returns the newest signed head, None without a device key."""
        if self.anchor is None:
            return None
        head = self.head()
        return self.anchor.record(head.seq, head.hash, self.hash_at, create=create)

    def signed_head(self) -> SignedHead | None:
        """The current head signed now by the device key (None without one), for the fleet heartbeat."""
        if self.anchor is None:
            return None
        head = self.head()
        return self.anchor.sign_current(head.seq, head.hash, self.hash_at)

    def hash_at(self, seq: int) -> str | None:
        if seq == 0:
            return GENESIS_HASH
        with self._engine.connect() as conn:
            return conn.execute(select(audit_table.c.hash).where(audit_table.c.seq == seq)).scalar_one_or_none()

    def head(self) -> AuditHead:
        with self._engine.connect() as conn:
            last = conn.execute(
                select(audit_table.c.seq, audit_table.c.hash).order_by(audit_table.c.seq.desc()).limit(1)
            ).first()
        return AuditHead(last.seq, last.hash) if last else AuditHead(0, GENESIS_HASH)

    def entries(self, after_seq: int = 0, limit: int | None = None) -> list[AuditEntry]:
        query = select(audit_table).where(audit_table.c.seq > after_seq).order_by(audit_table.c.seq).limit(limit)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            AuditEntry(r.seq, r.ts, r.actor, r.action, r.target, json.loads(r.detail), r.prev_hash, r.hash)
            for r in rows
        ]

    def verify(self, expected_head: AuditHead | None = None) -> AuditVerification:
        """Walk the chain from seq 1; report the first entry that does not fit, then check that the log
        holds `expected_head` and the anchored heads (signed by the device key; the fleet's)."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(audit_table).order_by(audit_table.c.seq)).all()
        prev, expected_seq, hashes = GENESIS_HASH, 1, {0: GENESIS_HASH}
        for row in rows:
            problem = _row_problem(row, expected_seq, prev)
            if problem:
                bad_seq = expected_seq if row.seq != expected_seq else row.seq
                return AuditVerification(False, expected_seq - 1, bad_seq, problem)
            prev, hashes[row.seq] = row.hash, row.hash
            expected_seq += 1
        try:
            heads = self.anchor.expected_heads() if self.anchor is not None else []
        except AnchorTampered as tampered:
            return AuditVerification(False, len(rows), expected_seq, str(tampered))
        if expected_head is not None:
            heads.append(("given head", expected_head.seq, expected_head.hash))
        for what, seq, digest in heads:
            if hashes.get(seq) != digest:
                problem = f"log does not contain the {what} {seq} (entries removed from the end or rewritten)"
                return AuditVerification(False, len(rows), min(seq, expected_seq), problem)
        return AuditVerification(True, len(rows))


def provision_device_key(home: KioskHome) -> DeviceKey:
    """Make the device key if there is none (`kiosk config init`, first enrolment) and anchor the audit
    head at once, so from then on a missing anchor means a deleted one."""
    key, created = ensure_device_key(home)
    with AuditLog.for_home(home) as audit:
        audit.anchor_head(create=created)
        if created:
            audit.append("kiosk", "device_key.create", key.key_id, {"key_id": key.key_id})
    return key


def _row_problem(row: Any, expected_seq: int, prev: str) -> str:
    if row.seq != expected_seq:
        return f"expected entry {expected_seq}, found {row.seq} (deleted, inserted or reordered)"
    if row.prev_hash != prev:
        return "prev_hash does not link to the entry before (deleted, inserted or reordered)"
    try:
        detail = json.loads(row.detail)
    except (TypeError, ValueError):
        return "detail is not JSON (edited)"
    if entry_hash(prev, row.seq, row.ts, row.actor, row.action, row.target, detail) != row.hash:
        return "content does not match its hash (edited)"
    return ""
