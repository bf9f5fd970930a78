"""Basic Access Control (ICAO Doc 9303 Part 11 section 4.3), both ends, as pure functions.

Terminal: `BacKeys.from_access_key(key)`, then `external_authenticate_data(keys, rnd_ic, rnd_ifd, k_ifd)` for
the EXTERNAL AUTHENTICATE command, then `open_session(keys, response, rnd_ic, rnd_ifd, k_ifd)` -> the
SecureChannel. Chip: `answer_external_authenticate(keys, data, rnd_ic, k_ic)` -> (response, SecureChannel).
Random numbers are parameters so the worked example of the standard is a test.
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.errors import ProtocolError
from devices.permit import crypto
from devices.permit.mrz import AccessKey
from devices.permit.secure_messaging import SecureChannel

LDS_AID = bytes.fromhex("A0000002471001")
CHALLENGE_LENGTH = 8
AUTH_DATA_LENGTH = 40  # E (32) || M (8)


class AuthenticationFailed(ProtocolError):
    """The other side's cryptogram does not verify: the access key (MRZ) is wrong."""

    code = "bac_failed"


@dataclass(frozen=True)
class BacKeys:
    """The document basic access keys K_enc and K_mac derived from the MRZ."""

    k_enc: bytes
    k_mac: bytes

    def __repr__(self) -> str:
        return "BacKeys(<redacted>)"

    @classmethod
    def from_seed(cls, seed: bytes) -> BacKeys:
        return cls(crypto.derive_key(seed, crypto.ENC_COUNTER), crypto.derive_key(seed, crypto.MAC_COUNTER))

    @classmethod
    def from_access_key(cls, key: AccessKey) -> BacKeys:
        return cls.from_seed(crypto.key_seed(key.mrz_information()))


def _cryptogram(keys: BacKeys, plain: bytes) -> bytes:
    encrypted = crypto.tdes_encrypt(keys.k_enc, plain)
    return encrypted + crypto.retail_mac(keys.k_mac, crypto.pad(encrypted))


def _verified_plain(keys: BacKeys, data: bytes) -> bytes:
    if len(data) != AUTH_DATA_LENGTH:
        raise AuthenticationFailed(f"authentication data must be {AUTH_DATA_LENGTH} bytes, got {len(data)}")
    encrypted, mac = data[:32], data[32:]
    if crypto.retail_mac(keys.k_mac, crypto.pad(encrypted)) != mac:
        raise AuthenticationFailed("the authentication cryptogram's MAC does not match")
    return crypto.tdes_decrypt(keys.k_enc, encrypted)


def session_channel(k_ifd: bytes, k_ic: bytes, rnd_ic: bytes, rnd_ifd: bytes) -> SecureChannel:
    seed = crypto.xor(k_ifd, k_ic)
    ssc = int.from_bytes(rnd_ic[-4:] + rnd_ifd[-4:], "big")
    return SecureChannel(
        crypto.derive_key(seed, crypto.ENC_COUNTER), crypto.derive_key(seed, crypto.MAC_COUNTER), ssc
    )


def external_authenticate_data(keys: BacKeys, rnd_ic: bytes, rnd_ifd: bytes, k_ifd: bytes) -> bytes:
    """E_IFD || M_IFD, the data of EXTERNAL AUTHENTICATE."""
    if len(rnd_ic) != 8 or len(rnd_ifd) != 8 or len(k_ifd) != 16:
        raise ValueError("RND.IC and RND.IFD are 8 bytes, K.IFD 16")
    return _cryptogram(keys, rnd_ifd + rnd_ic + k_ifd)


def open_session(keys: BacKeys, response: bytes, rnd_ic: bytes, rnd_ifd: bytes, k_ifd: bytes) -> SecureChannel:
    """Check the chip's answer (E_IC || M_IC) and derive the session keys and counter."""
    plain = _verified_plain(keys, response)
    if plain[:8] != rnd_ic or plain[8:16] != rnd_ifd:
        raise AuthenticationFailed("the chip did not return our challenge")
    return session_channel(k_ifd, plain[16:32], rnd_ic, rnd_ifd)


def answer_external_authenticate(
    keys: BacKeys, data: bytes, rnd_ic: bytes, k_ic: bytes
) -> tuple[bytes, SecureChannel]:
    """The chip's side: verify the terminal's cryptogram against RND.IC, answer E_IC || M_IC."""
    plain = _verified_plain(keys, data)
    rnd_ifd, k_ifd = plain[:8], plain[16:32]
    if plain[8:16] != rnd_ic:
        raise AuthenticationFailed("the terminal answered a different challenge")
    response = _cryptogram(keys, rnd_ic + rnd_ifd + k_ic)
    return response, session_channel(k_ifd, k_ic, rnd_ic, rnd_ifd)
