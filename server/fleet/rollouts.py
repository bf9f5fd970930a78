"""Staged rollouts of one document over ordered batches of kiosks (after hawkBit's rollout groups).

A running rollout assigns its document to the kiosks of the batches reached so far. Progress is counted
from the kiosks' own reports about that document (by its sha256), never from the assignments:
  applied                  -> success
  rejected | rolled_back   -> failure
  nothing / pending        -> in progress
When the current batch's successes reach success_threshold x size, the next batch is assigned (or the
rollout completes); when its failures exceed error_threshold x size, the rollout stops. `resume` after a
stop acknowledges the failures counted so far in that batch, so it can go on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.fleet.models import Assignment, Document, Kiosk, Report, Rollout, RolloutMember, utc_now

SUCCESS, FAILURE = frozenset({"applied"}), frozenset({"rejected", "rolled_back"})


class RolloutError(ValueError):
    """A request that cannot be carried out in the rollout's present state (409) or is invalid (422)."""


@dataclass(frozen=True)
class BatchCounts:
    total: int
    applied: int
    failed: int

    @property
    def in_progress(self) -> int:
        return self.total - self.applied - self.failed


def create_rollout(
    session: Session, document: Document, batches: Sequence[Sequence[str]], success: float, error: float
) -> Rollout:
    seen: set[str] = set()
    for batch in batches:
        if not batch:
            raise RolloutError("a batch must hold at least one kiosk")
        if seen & set(batch):
            raise RolloutError(f"{len(seen & set(batch))} kiosk(s) in more than one batch")
        seen.update(batch)
    known = set(session.scalars(select(Kiosk.id).where(Kiosk.id.in_(seen))))
    if seen - known:
        raise RolloutError(f"{len(seen - known)} unknown kiosk(s) in the batches")
    rollout = Rollout(
        document_id=document.id, success_threshold=success, error_threshold=error, batch_count=len(batches)
    )
    session.add(rollout)
    session.flush()
    session.add_all(
        RolloutMember(rollout_id=rollout.id, batch=index, kiosk_id=kiosk_id)
        for index, batch in enumerate(batches)
        for kiosk_id in batch
    )
    return rollout


def members(session: Session, rollout: Rollout, batch: int) -> list[str]:
    query = select(RolloutMember.kiosk_id).where(RolloutMember.rollout_id == rollout.id, RolloutMember.batch == batch)
    return list(session.scalars(query))


def batch_counts(session: Session, rollout: Rollout, sha256: str, batch: int) -> BatchCounts:
    kiosk_ids = members(session, rollout, batch)
    query = (
        select(Report.kiosk_id, Report.status)
        .where(Report.kiosk_id.in_(kiosk_ids), Report.sha256 == sha256)
        .order_by(Report.id)
    )
    latest = {kiosk_id: status for kiosk_id, status in session.execute(query)}  # the last one wins
    applied = sum(1 for status in latest.values() if status in SUCCESS)
    failed = sum(1 for status in latest.values() if status in FAILURE)
    return BatchCounts(len(kiosk_ids), applied, failed)


def _assign_batch(session: Session, rollout: Rollout, batch: int) -> None:
    session.add_all(
        Assignment(target_kind="kiosk", target=kiosk_id, document_id=rollout.document_id, rollout_id=rollout.id)
        for kiosk_id in members(session, rollout, batch)
    )
    session.flush()


def evaluate(session: Session, rollout: Rollout) -> None:
    """Advance, stop or complete a running rollout according to the reports received so far."""
    sha256 = session.get(Document, rollout.document_id).sha256  # type: ignore[union-attr]
    while rollout.status == "running":
        counts = batch_counts(session, rollout, sha256, rollout.current_batch)
        acknowledged = rollout.errors_acknowledged_batch == rollout.current_batch
        if counts.failed > rollout.error_threshold * counts.total and not acknowledged:
            rollout.status = "stopped"
        elif counts.applied >= rollout.success_threshold * counts.total:
            if rollout.current_batch + 1 >= rollout.batch_count:
                rollout.status = "completed"
            else:
                rollout.current_batch += 1
                _assign_batch(session, rollout, rollout.current_batch)
                continue
        break
    rollout.updated_at = utc_now()


def lock(session: Session, rollout_id: int) -> Rollout:
    rollout = session.scalars(select(Rollout).where(Rollout.id == rollout_id).with_for_update()).first()
    if rollout is None:
        raise LookupError(f"no rollout {rollout_id}")
    return rollout


def start(session: Session, rollout: Rollout) -> None:
    if rollout.status != "created":
        raise RolloutError(f"rollout {rollout.id} is {rollout.status}; only a created rollout can start")
    rollout.status = "running"
    _assign_batch(session, rollout, 0)
    evaluate(session, rollout)


def pause(rollout: Rollout) -> None:
    if rollout.status != "running":
        raise RolloutError(f"rollout {rollout.id} is {rollout.status}; only a running rollout can be paused")
    rollout.status = "paused"
    rollout.updated_at = utc_now()


def resume(session: Session, rollout: Rollout) -> None:
    if rollout.status not in ("paused", "stopped"):
        raise RolloutError(f"rollout {rollout.id} is {rollout.status}; only a paused or stopped one can resume")
    if rollout.status == "stopped":
        rollout.errors_acknowledged_batch = rollout.current_batch
    rollout.status = "running"
    evaluate(session, rollout)


def on_report(session: Session, kiosk_id: str, sha256: str) -> None:
    """Re-evaluate the running rollouts of this document that include this kiosk."""
    query = (
        select(Rollout.id)
        .join(Document, Document.id == Rollout.document_id)
        .join(RolloutMember, RolloutMember.rollout_id == Rollout.id)
        .where(Document.sha256 == sha256, RolloutMember.kiosk_id == kiosk_id, Rollout.status == "running")
    )
    for rollout_id in list(session.scalars(query)):
        evaluate(session, lock(session, rollout_id))


def describe(session: Session, rollout: Rollout) -> dict[str, Any]:
    document = session.get(Document, rollout.document_id)
    assert document is not None
    batches = []
    for index in range(rollout.batch_count):
        counts = batch_counts(session, rollout, document.sha256, index)
        reached = index <= rollout.current_batch and rollout.status != "created"
        batches.append({"batch": index, "total": counts.total, "applied": counts.applied, "failed": counts.failed,
                        "in_progress": counts.in_progress, "assigned": reached})  # fmt: skip
    return {
        "id": rollout.id,
        "document_id": rollout.document_id,
        "document_sha256": document.sha256,
        "version": document.version,
        "status": rollout.status,
        "current_batch": rollout.current_batch,
        "success_threshold": rollout.success_threshold,
        "error_threshold": rollout.error_threshold,
        "batches": batches,
        "updated_at": rollout.updated_at.isoformat(timespec="seconds"),
    }
