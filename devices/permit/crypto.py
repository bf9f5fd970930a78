"""The symmetric cryptography of BAC and secure messaging (ICAO Doc 9303 Part 11, 3DES variant).

2-key 3DES in CBC mode with a zero IV, ISO/IEC 9797-1 padding method 2 and the retail MAC (MAC algorithm
3: single-DES CBC under K1, then decrypt with K2 and encrypt with K1). Single DES is 3DES with one 8-byte
key. TripleDES lives in cryptography's `decrepit` module from version 43 on; older versions have it in
`algorithms`.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives.ciphers import Cipher, modes

try:
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:  # cryptography < 43
    from cryptography.hazmat.primitives.ciphers.algorithms import TripleDES  # type: ignore[no-redef]

from devices.errors import ProtocolError

BLOCK = 8
ZERO_IV = bytes(BLOCK)
ENC_COUNTER = 1
MAC_COUNTER = 2


class PaddingError(ProtocolError):
    """Decrypted data does not end in ISO 9797-1 method 2 padding."""

    code = "sm_padding_invalid"


def pad(data: bytes) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 0x80 then zeros up to a whole block."""
    padded = data + b"\x80"
    return padded + bytes(-len(padded) % BLOCK)


def unpad(data: bytes) -> bytes:
    end = data.rstrip(b"\x00")
    if not end or end[-1] != 0x80 or len(data) % BLOCK or len(data) - len(end) >= BLOCK:
        raise PaddingError("decrypted data is not padded with method 2")
    return end[:-1]


def adjust_parity(key: bytes) -> bytes:
    """Set each byte's lowest bit so the byte has odd parity (DES key parity)."""
    return bytes((b & 0xFE) | ((b >> 1).bit_count() + 1) % 2 for b in key)


def derive_key(seed: bytes, counter: int) -> bytes:
    """K_enc (counter 1) or K_mac (counter 2): the first 16 bytes of SHA-1(seed || counter), parity adjusted."""
    digest = hashlib.sha1(seed + counter.to_bytes(4, "big")).digest()
    return adjust_parity(digest[:16])


def key_seed(mrz_information: bytes) -> bytes:
    return hashlib.sha1(mrz_information).digest()[:16]


def _cipher(key: bytes, iv: bytes | None) -> Cipher:
    """2-key (16 bytes) and single (8 bytes) DES keys expanded to 24 bytes, as cryptography wants them."""
    full = key * 3 if len(key) == 8 else key + key[:8] if len(key) == 16 else key
    mode = modes.CBC(iv) if iv is not None else modes.ECB()
    return Cipher(TripleDES(full), mode)


def tdes_encrypt(key: bytes, data: bytes, iv: bytes = ZERO_IV) -> bytes:
    """3DES-CBC of whole blocks (the caller pads)."""
    if len(data) % BLOCK:
        raise ValueError("3DES input must be whole 8-byte blocks")
    encryptor = _cipher(key, iv).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def tdes_decrypt(key: bytes, data: bytes, iv: bytes = ZERO_IV) -> bytes:
    if len(data) % BLOCK or not data:
        raise ProtocolError("3DES ciphertext must be whole 8-byte blocks")
    decryptor = _cipher(key, iv).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def _des_ecb(key8: bytes, block: bytes, *, decrypt: bool = False) -> bytes:
    cipher = _cipher(key8, None)
    operation = cipher.decryptor() if decrypt else cipher.encryptor()
    return operation.update(block) + operation.finalize()


def retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 over already padded data, with a 16-byte key K1 || K2."""
    if len(data) % BLOCK or not data:
        raise ValueError("the MAC input must be padded to whole blocks")
    k1, k2 = key[:8], key[8:16]
    chained = tdes_encrypt(k1, data)[-BLOCK:]  # single-DES CBC under K1
    return _des_ecb(k1, _des_ecb(k2, chained, decrypt=True))


def xor(left: bytes, right: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(left, right, strict=True))
