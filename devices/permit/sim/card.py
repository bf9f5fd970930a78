"""Demo permits and scenarios (data files) made into simulated chips.

permits.json holds the holders (MRZ fields, Chinese name, personal number, which demo portrait);
scenarios/*.json hold what goes wrong. Scenario keys:

    present: false                      nothing is put on the reader
    remove_during_read: {fid, after_reads}   the card is pulled while answering that READ BINARY of the file
    remove_during_update: {after_updates}    pulled during an UPDATE BINARY; half of its data lands
    wrong_access_key: true              the chip's BAC key comes from a different MRZ than the printed one
    damage: {dg, kind: hash | tlv}      a data group altered after signing, or broken before signing
    write_failure: "6581"               UPDATE BINARY answers this status word
    expiry_date: "YYMMDD"               the permit's expiry (an expired permit)
    endorsements: [...]                 records already on the chip, dates relative to today

The photo is the shipped camera portrait (devices/camera/portraits) re-encoded at chip size, loaded by id.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devices.permit import bac, lds
from devices.permit.apdu import Command
from devices.permit.biometric import build_dg2
from devices.permit.endorsement_file import FID_ENDORSEMENTS, FILE_SIZE, Endorsement, encode_record
from devices.permit.lds import AdditionalDetails
from devices.permit.mrz import AccessKey, compose_td1
from devices.permit.sim.chip import CardPulled, ChipHooks, PermitChip, files_from
from devices.permit.sim.issuer import build_sod

DATA_DIR = Path(__file__).parent
SCENARIO_DIR = DATA_DIR / "scenarios"
PORTRAIT_DIR = Path(__file__).resolve().parents[2] / "camera" / "portraits"
CHIP_PHOTO_SIZE = (288, 360)  # ICAO-style 4:5 portrait, about 17-27 KB as JPEG quality 80
DEMO_AUTHORITY = "出入境管理局（演示）"


def load_permits() -> dict[str, dict[str, Any]]:
    return json.loads((DATA_DIR / "permits.json").read_text(encoding="utf-8"))


def scenario_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.json"))


def load_scenario(name_or_path: str) -> dict[str, Any]:
    """A scenario by name (scenarios/NAME.json) or a path to a JSON file."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SCENARIO_DIR / f"{name_or_path}.json"
    if not path.exists():
        raise ValueError(f"unknown permit scenario {name_or_path!r}; known: {', '.join(scenario_names())}")
    return json.loads(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=8)
def chip_photo(portrait: str) -> tuple[bytes, int, int]:
    """The portrait by id as the chip stores it: (JPEG bytes, width, height)."""
    from PIL import Image

    path = PORTRAIT_DIR / f"{portrait}.jpg"
    if not path.exists():
        raise ValueError(f"no demo portrait {portrait!r} in {PORTRAIT_DIR}")
    with Image.open(path) as image:
        resized = image.convert("RGB").resize(CHIP_PHOTO_SIZE, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    resized.save(buffer, "JPEG", quality=80)
    return buffer.getvalue(), *CHIP_PHOTO_SIZE


@dataclass
class SimulatedPermit:
    """One permit as the simulator holds it: its printed access key and its chip."""

    permit_id: str
    access_key: AccessKey  # what is printed on the card (the MRZ a person or an OCR reads)
    chip: PermitChip
    mrz: str
    scenario: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"SimulatedPermit({self.permit_id!r})"

    def endorsement_file(self) -> bytes:
        return bytes(self.chip.files[FID_ENDORSEMENTS].content)


def _endorsements(specs: list[Mapping[str, Any]], today: dt.date) -> bytes:
    records = b""
    for spec in specs:
        endorsement = Endorsement(
            type=spec["type"], destination=spec["destination"], entries=int(spec["entries"]),
            valid_from=today + dt.timedelta(days=int(spec["valid_from_days"])),
            valid_to=today + dt.timedelta(days=int(spec["valid_to_days"])),
            number=spec["number"], authority=spec.get("authority", DEMO_AUTHORITY), key_id="demo-endorsement-key",
            signature=bytes(64),  # the demo backend's signature is not checked by the kiosk
        )  # fmt: skip
        records += encode_record(endorsement)
    if len(records) > FILE_SIZE:
        raise ValueError("demo endorsements do not fit the endorsement file")
    return records + bytes(FILE_SIZE - len(records))


def _data_groups(holder: Mapping[str, Any], mrz: str) -> dict[int, bytes]:
    photo, width, height = chip_photo(holder["portrait"])
    details = AdditionalDetails(
        full_name=holder["name_chinese"], personal_number=holder.get("personal_number", ""),
        full_birth_date=holder.get("full_birth_date", ""), place_of_birth=holder.get("place_of_birth", ""),
    )  # fmt: skip
    return {1: lds.build_dg1(mrz), 2: build_dg2(photo, width, height, sex=holder["sex"]), 11: lds.build_dg11(details)}


def _damage(groups: dict[int, bytes], damage: Mapping[str, Any]) -> tuple[dict[int, bytes], dict[int, bytes]]:
    """(what EF.SOD is signed over, what the chip serves)."""
    number, kind = int(damage["dg"]), damage.get("kind", "hash")
    served = dict(groups)
    altered = bytearray(groups[number])
    if kind == "hash":
        altered[len(altered) * 2 // 3] ^= 0x01  # inside the image: still well-formed, no longer what was signed
        served[number] = bytes(altered)
        return groups, served
    altered[1] = 0x7F  # the outer length now promises more than there is
    served[number] = bytes(altered)
    return served, served


def make_permit(permit_id: str, scenario: Mapping[str, Any] | None = None, *, today: dt.date | None = None,
                permits: Mapping[str, Any] | None = None) -> SimulatedPermit:  # fmt: skip
    """Build the chip of a demo permit under a scenario."""
    holders = permits or load_permits()
    if permit_id not in holders:
        raise ValueError(f"unknown demo permit {permit_id!r}; known: {', '.join(sorted(holders))}")
    holder, settings = holders[permit_id], dict(scenario or {})
    today = today or dt.date.today()
    expiry = settings.get("expiry_date", holder["expiry_date"])
    mrz = compose_td1(document_number=holder["document_number"], birth_date=holder["birth_date"], sex=holder["sex"],
                      expiry_date=expiry, surname=holder["surname"], given_names=holder["given_names"])  # fmt: skip
    printed = AccessKey(holder["document_number"], holder["birth_date"], expiry)
    groups = _data_groups(holder, mrz)
    signed, served = _damage(groups, settings["damage"]) if "damage" in settings else (groups, groups)
    contents = {lds.FID_COM: lds.build_com(tuple(sorted(served))), lds.FID_SOD: build_sod(signed),
                FID_ENDORSEMENTS: _endorsements(settings.get("endorsements", []), today)}  # fmt: skip
    contents.update({lds.FID_BY_DG[number]: raw for number, raw in served.items()})
    chip_key = printed
    if settings.get("wrong_access_key"):
        shifted = f"{(int(holder['birth_date'][4:6]) % 28) + 1:02d}"
        chip_key = AccessKey(holder["document_number"], holder["birth_date"][:4] + shifted, expiry)
    chip = PermitChip(files_from(contents, {FID_ENDORSEMENTS}), bac.BacKeys.from_access_key(chip_key))
    chip.hooks = _hooks(chip, settings)
    return SimulatedPermit(permit_id, printed, chip, mrz, settings)


def _hooks(chip: PermitChip, settings: Mapping[str, Any]) -> ChipHooks:
    hooks = ChipHooks()
    read_rule = settings.get("remove_during_read")
    if read_rule:
        fid, limit = int(read_rule["fid"], 16), int(read_rule.get("after_reads", 0))
        seen = {"reads": 0}

        def before_read(command: Command) -> int | None:
            if chip.selected_fid == fid:
                if seen["reads"] >= limit:
                    raise CardPulled("removed during READ BINARY")
                seen["reads"] += 1
            return None

        hooks.before_read = before_read
    update_rule, failure = settings.get("remove_during_update"), settings.get("write_failure")
    if update_rule or failure:
        limit = int((update_rule or {}).get("after_updates", 0))
        updates = {"count": 0}

        def before_update(command: Command) -> int | None:
            if failure:
                return int(failure, 16)
            if updates["count"] >= limit:
                target = chip.files[chip.selected_fid or FID_ENDORSEMENTS].content
                offset, half = ((command.p1 & 0x7F) << 8) | command.p2, command.data[: len(command.data) // 2]
                target[offset : offset + len(half)] = half
                raise CardPulled("removed during UPDATE BINARY")
            updates["count"] += 1
            return None

        hooks.before_update = before_update
    return hooks

