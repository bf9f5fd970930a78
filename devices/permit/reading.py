"""Reading a whole permit in an authenticated chip session: EF.COM, EF.SOD, DG1, DG2, DG11 and the
endorsement file, each data group checked against its hash in EF.SOD before it is parsed, then the SOD
signature (passive authentication). Raw buffers are zeroed once parsed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cryptography import x509

from devices.errors import ProtocolError
from devices.operation import CancelToken, Deadline
from devices.permit import biometric, lds, sod
from devices.permit.document import PermitDocument
from devices.permit.endorsement_file import EndorsementLayout
from devices.permit.errors import DamagedData, FileMissing, UntrustedDocument
from devices.permit.mrz import birth_date_from_yymmdd, expiry_date_from_yymmdd, parse_td1
from devices.permit.session import ChipSession


def _zero(buffer: bytearray) -> None:
    buffer[:] = bytes(len(buffer))


def _group(session: ChipSession, security: sod.SecurityObject, number: int, deadline: Deadline,
           cancel: CancelToken | None) -> bytearray:  # fmt: skip
    try:
        raw = session.read_file(lds.FID_BY_DG[number], deadline, cancel)
    except FileMissing as error:
        raise DamagedData(f"DG{number} is listed in EF.COM but not on the chip") from error
    try:
        security.check_data_group(number, bytes(raw))
    except sod.SodError as error:
        _zero(raw)
        raise DamagedData(f"DG{number}: {error}") from error
    return raw


def _parsed(number: int, raw: bytearray, parse):  # type: ignore[no-untyped-def]
    try:
        return parse(bytes(raw))
    except ProtocolError as error:
        raise DamagedData(f"DG{number} is malformed: {error}") from error
    finally:
        _zero(raw)


def _security_object(session: ChipSession, deadline: Deadline, cancel: CancelToken | None) -> tuple[lds.Com, sod.SecurityObject]:
    try:
        com = lds.parse_com(bytes(session.read_file(lds.FID_COM, deadline, cancel)))
        security = sod.parse_sod(bytes(session.read_file(lds.FID_SOD, deadline, cancel)))
    except (ProtocolError, FileMissing) as error:
        raise DamagedData(f"the chip's index files are damaged or missing: {error}") from error
    if 1 not in com.data_groups or 2 not in com.data_groups:
        raise DamagedData("the chip lacks DG1 or DG2")
    return com, security


def _authenticity(security: sod.SecurityObject, anchors: Sequence[x509.Certificate]) -> str:
    try:
        sod.verify_signature(security)
    except sod.SodError as error:
        raise DamagedData(f"EF.SOD: {error}") from error
    if not anchors:
        return "signed"
    if not sod.signer_is_trusted(security, list(anchors)):
        raise UntrustedDocument("the document signer is not issued by any configured CSCA")
    return "trusted"


def read_document(session: ChipSession, layout: EndorsementLayout, deadline: Deadline, cancel: CancelToken | None,
                  anchors: Sequence[x509.Certificate] = (), today: dt.date | None = None) -> PermitDocument:  # fmt: skip
    com, security = _security_object(session, deadline, cancel)
    mrz = _parsed(1, _group(session, security, 1, deadline, cancel), lambda raw: parse_td1(lds.parse_dg1(raw)))
    face = _parsed(2, _group(session, security, 2, deadline, cancel), biometric.parse_dg2)
    details = lds.AdditionalDetails()
    if 11 in com.data_groups:
        details = _parsed(11, _group(session, security, 11, deadline, cancel), lds.parse_dg11)
    try:
        endorsement_file = session.read_sized_file(layout.fid, deadline, cancel)
    except FileMissing:
        endorsement_file = bytearray()  # a permit issued before endorsements went on the chip
    endorsements = layout.parse(bytes(endorsement_file))
    _zero(endorsement_file)
    authenticity = _authenticity(security, anchors)
    return PermitDocument(
        document_number=mrz.document_number,
        name_latin=mrz.name_latin,
        birth_date=birth_date_from_yymmdd(mrz.birth_date, today or dt.date.today()),
        expiry_date=expiry_date_from_yymmdd(mrz.expiry_date),
        sex=mrz.sex,
        nationality=mrz.nationality,
        document_code=mrz.document_code,
        name_chinese=details.full_name,
        personal_number=details.personal_number,
        photo=bytearray(face.data),
        photo_type=face.mime_type,
        endorsements=endorsements,
        authenticity=authenticity,
    )
