"""Fixtures for the signed-configuration tests: real keys, a provisioned data dir, a document factory."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from trust_testdata import CHANNEL, KIOSK_ID, config_payload

from kiosk.home import KioskHome
from kiosk.trust import CONFIG_TYPE, TrustRoot, make_signed, provision_trust_root, sign
from kiosk.trust.envelope import envelope_file_bytes

MakeDoc = Callable[..., bytes]


@pytest.fixture(scope="session")
def keys() -> list[Ed25519PrivateKey]:
    """A and B are trusted (threshold 2), C and D are not (until a rotation trusts them)."""
    return [Ed25519PrivateKey.generate() for _ in range(4)]


@pytest.fixture
def home(tmp_path) -> KioskHome:
    return KioskHome(tmp_path / "home").ensure()


@pytest.fixture
def root(home: KioskHome, keys: list[Ed25519PrivateKey]) -> TrustRoot:
    public = [keys[0].public_key(), keys[1].public_key()]
    return provision_trust_root(home, KIOSK_ID, public, threshold=2, channels=[CHANNEL])


@pytest.fixture
def make_doc(keys: list[Ed25519PrivateKey]) -> MakeDoc:
    def _make(
        version: int = 1,
        signers: Sequence[int] = (0, 1),
        payload: dict[str, Any] | None = None,
        kiosk_ids: Sequence[str] = (KIOSK_ID,),
        channels: Sequence[str] = (),
        expires: datetime | None = None,
        doc_type: str = CONFIG_TYPE,
        schema_version: int = 1,
    ) -> bytes:
        signed = make_signed(
            doc_type,
            payload if payload is not None else config_payload(f"site v{version}"),
            version=version,
            expires=expires or datetime.now(UTC) + timedelta(days=30),
            kiosk_ids=kiosk_ids,
            channels=channels,
            schema_version=schema_version,
        )
        return envelope_file_bytes(sign(signed, [keys[i] for i in signers]))

    return _make


@pytest.fixture
def snapshot(home: KioskHome) -> Callable[[], dict[str, bytes | None]]:
    """The bytes of every file the applier may touch (None = absent), to compare before/after."""

    def _snapshot() -> dict[str, bytes | None]:
        names = ("active.json", "previous.json", "state.json", "trust.json")
        return {n: (home.config_dir / n).read_bytes() if (home.config_dir / n).exists() else None for n in names}

    return _snapshot
