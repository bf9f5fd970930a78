"""Identify the citizen: their ID card on the reader, or the ID number typed in (the reader unplugged or
broken is never a dead end: the number entry takes over)."""

from __future__ import annotations

from typing import Any

from contracts.idnumber import InvalidIdNumber, validate_id_number
from devices.errors import DeviceUnavailable, ProtocolError
from devices.idcard.errors import CardRemoved, NoCard
from kiosk.flows.base import FlowView, StepKind
from kiosk.flows.context import device_usable
from kiosk.flows.failures import FlowFailed


class IdentifySteps:
    """Mixed into ServiceFlow. `identify_intents` lets a service add its own way in (traffic: the plate)."""

    identify_prompt = "prompt.read_card"
    identify_intents: tuple[str, ...] = ("read_card", "enter_id_number", "cancel")

    def identify_view(self, allow_card: bool = True, error_key: str | None = None) -> FlowView:
        reader = self.ctx.device("idcard")
        if not allow_card:
            return self._id_entry_view(error_key)
        if not device_usable(reader):
            return self._id_entry_view("error.reader_unavailable")
        data = {"error_key": error_key} if error_key else {}
        return self.make_view(StepKind.READ_CARD, self.identify_prompt, data, self.identify_intents, 1)

    def _id_entry_view(self, error_key: str | None = None, back: FlowView | None = None) -> FlowView:
        data = {"error_key": error_key} if error_key else {}
        extra = tuple(i for i in self.identify_intents if i not in ("read_card", "enter_id_number", "cancel"))
        return self.make_view(StepKind.ENTER_ID_NUMBER, "prompt.enter_id_number", data,
                              ("submit_id_number", *extra, "cancel"), 1, back)  # fmt: skip

    def on_enter_id_number(self) -> None:
        self._publish(self._id_entry_view(back=self._view if self._view.step is StepKind.READ_CARD else None))

    def on_read_card(self) -> None:
        reader = self.ctx.device("idcard")
        if reader is None:
            self._publish(self._id_entry_view("error.reader_unavailable"))
            return
        try:
            document = reader.read_card(timeout=self.ctx.card_read_timeout_s, cancel=self._cancel)
        except NoCard:
            return  # nothing on the reader yet: the screen asks again, the view stays as it is
        except (CardRemoved, ProtocolError):
            self._publish(self.identify_view(error_key="error.card_read_failed"))
            return
        except DeviceUnavailable:
            self._publish(self._id_entry_view("error.reader_unavailable"))
            return
        self._identified_by_card(document)

    def _identified_by_card(self, document: Any) -> None:
        try:
            if document.is_expired(self.ctx.journal.now().date()):
                raise FlowFailed("card_expired", "next.counter")
            self.session.set_identity({
                "id_number": document.id_number, "name": document.name, "sex": document.sex,
                "card_type": document.card_type,
            })  # fmt: skip
        finally:
            document.wipe()
        self._after_identity()

    def on_submit_id_number(self, id_number: str) -> None:
        try:
            number = validate_id_number(id_number)
        except InvalidIdNumber as error:
            self._publish(self._id_entry_view(f"error.id_number.{error.reason}", back=self._view.back))
            return
        self.session.set_identity({"id_number": number})
        self._after_identity()

    @property
    def id_number(self) -> str:
        return self.session.identity["id_number"]

    def _after_identity(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
