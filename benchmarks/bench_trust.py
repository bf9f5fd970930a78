"""Signed configuration cost: Ed25519 sign/verify of a 4 KiB payload, and apply end to end.

Reference measured for this project: sign 58 µs, verify 143 µs for 4 KiB.
Run: .venv/bin/python benchmarks/bench_trust.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contracts.canonical import canonical_bytes
from kiosk.config import default_config
from kiosk.home import KioskHome
from kiosk.trust import CONFIG_TYPE, apply_config, keyid, make_signed, parse_envelope, provision_trust_root, sign
from kiosk.trust.envelope import envelope_file_bytes, verify_signatures

REFERENCE_US = {"sign 4 KiB": 58.0, "verify 4 KiB": 143.0}


def median_us(action: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


def signed_of_size(size: int, expires: datetime) -> dict:
    """A config document whose canonical "signed" bytes are exactly `size` long (padded in ui.texts)."""
    payload = default_config().model_dump(mode="json")
    payload["ui"]["texts"] = {"padding": ""}
    signed = make_signed(CONFIG_TYPE, payload, version=1, expires=expires, kiosk_ids=["k"])
    payload["ui"]["texts"]["padding"] = "x" * (size - len(canonical_bytes(signed)))
    return make_signed(CONFIG_TYPE, payload, version=1, expires=expires, kiosk_ids=["k"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2000)
    rounds = parser.parse_args().rounds
    key = Ed25519PrivateKey.generate()
    expires = datetime.now(UTC) + timedelta(days=1)
    signed = signed_of_size(4096, expires)
    message = canonical_bytes(signed)
    signature = key.sign(message)
    public = key.public_key()
    results = {
        "sign 4 KiB": median_us(lambda: key.sign(message), rounds),
        "verify 4 KiB": median_us(lambda: public.verify(signature, message), rounds),
    }
    document = envelope_file_bytes(sign(signed, [key]))
    trusted = {keyid(public): public}
    results["parse+canonicalise+verify envelope"] = median_us(
        lambda: verify_signatures(parse_envelope(document), trusted, 1), rounds
    )
    with tempfile.TemporaryDirectory() as directory:
        home = KioskHome(Path(directory)).ensure()
        provision_trust_root(home, "k", [public], 1)
        docs = [envelope_file_bytes(sign({**signed, "version": v}, [key])) for v in range(1, min(rounds, 300) + 1)]
        iterator = iter(docs)
        results["apply end to end (3 fsync'd files)"] = median_us(lambda: apply_config(home, next(iterator)), len(docs))
    print(f"payload: {len(message)} canonical bytes; rounds: {rounds}")
    for name, value in results.items():
        reference = REFERENCE_US.get(name)
        note = f"  (reference {reference:.0f} µs)" if reference else ""
        print(f"{name:40s} {value:10.1f} µs{note}")


if __name__ == "__main__":
    main()
