"""BAC and secure messaging against the ICAO Doc 9303 Part 11 worked example (Appendix D.2-D.4), then
against the simulated chip; a wrong MAC or counter ends the session."""

from __future__ import annotations

import pytest

from devices.permit import apdu, bac, crypto
from devices.permit.apdu import Command
from devices.permit.mrz import AccessKey
from devices.permit.secure_messaging import SecureChannel, SecureMessagingError
from devices.permit.sim.card import make_permit

H = bytes.fromhex
RND_IC, RND_IFD, K_IFD = H("4608F91988702212"), H("781723860C06C226"), H("0B795240CB7049B01C19B33E32804F0B")
CHIP_ANSWER = H("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449")
KS_ENC, KS_MAC, SSC = H("979EC13B1CBFE9DCD01AB0FED307EAE5"), H("F1CB1F1FB5ADF208806B89DC579DC1F8"), 0x887022120C06C226


def icao_keys() -> bac.BacKeys:
    return bac.BacKeys.from_access_key(AccessKey("L898902C", "690806", "940623"))


def test_document_basic_access_keys_of_appendix_d2():
    assert crypto.key_seed(b"L898902C<369080619406236") == H("239AB9CB282DAF66231DC5A4DF6BFBAE")
    keys = icao_keys()
    assert (keys.k_enc, keys.k_mac) == (H("AB94FDECF2674FDFB9B391F85D7F76F2"), H("7962D9ECE03D1ACD4C76089DCE131543"))


def test_external_authenticate_and_session_keys_of_appendix_d3():
    data = bac.external_authenticate_data(icao_keys(), RND_IC, RND_IFD, K_IFD)
    assert data == H("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7")
    channel = bac.open_session(icao_keys(), CHIP_ANSWER, RND_IC, RND_IFD, K_IFD)
    assert (channel.ks_enc, channel.ks_mac, channel.ssc) == (KS_ENC, KS_MAC, SSC)


def test_the_chip_side_gives_the_same_answer_for_k_ic():
    answer, channel = bac.answer_external_authenticate(
        icao_keys(), H("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7"),
        RND_IC, H("0B4F80323EB3191CB04970CB4052790B"))
    assert answer == CHIP_ANSWER and (channel.ks_enc, channel.ssc) == (KS_ENC, SSC)


def test_secure_messaging_of_appendix_d4():
    channel = SecureChannel(KS_ENC, KS_MAC, SSC)
    assert channel.protect(Command(0, 0xA4, 2, 0x0C, H("011E"))) == H("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")
    assert channel.unprotect(H("990290008E08FA855A5D4C50A8ED9000")) == apdu.Response(b"", 0x9000)
    assert channel.protect(Command(0, 0xB0, 0, 0, le=4)) == H("0CB000000D9701048E08ED6705417E96BA5500")
    first = channel.unprotect(H("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"))
    assert first.data == H("60145F01")
    assert channel.protect(Command(0, 0xB0, 0, 4, le=0x12)) == H("0CB000040D9701128E082EA28A70F3C7B53500")
    rest = channel.unprotect(H("871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000"))
    assert rest.data == H("04303130365F36063034303030305C026175") and channel.ssc == 0x887022120C06C22C


@pytest.mark.parametrize("damage", ["mac", "counter", "plain"])
def test_a_wrong_mac_or_counter_ends_the_session(damage):
    channel = SecureChannel(KS_ENC, KS_MAC, SSC)
    channel.protect(Command(0, 0xA4, 2, 0x0C, H("011E")))
    response = {"mac": H("990290008E08FA855A5D4C50A8EE9000"), "plain": H("6988")}.get(damage)
    if damage == "counter":
        channel.ssc += 1  # out of step with the chip
        response = H("990290008E08FA855A5D4C50A8ED9000")
    with pytest.raises(SecureMessagingError):
        channel.unprotect(response)
    assert channel.closed
    with pytest.raises(SecureMessagingError):
        channel.protect(Command(0, 0xB0, 0, 0, le=4))


def test_padding_and_parity():
    assert crypto.pad(H("011E")) == H("011E800000000000") and crypto.unpad(H("011E800000000000")) == H("011E")
    assert crypto.pad(bytes(8)) == bytes(8) + H("8000000000000000")
    assert all(byte.bit_count() % 2 == 1 for byte in crypto.adjust_parity(bytes(range(256))))


def test_a_handshake_with_the_simulated_chip_and_a_protected_read():
    permit = make_permit("zhang_weiming")
    chip, keys = permit.chip, bac.BacKeys.from_access_key(permit.access_key)
    assert chip.process(Command(0, 0xA4, 4, 0x0C, bac.LDS_AID).encode()) == H("9000")
    challenge = apdu.parse_response(chip.process(Command(0, 0x84, 0, 0, le=8).encode()))
    data = bac.external_authenticate_data(keys, challenge.data, RND_IFD, K_IFD)
    answer = apdu.parse_response(chip.process(Command(0, 0x82, 0, 0, data, le=40).encode()))
    channel = bac.open_session(keys, answer.data, challenge.data, RND_IFD, K_IFD)
    assert channel.unprotect(chip.process(channel.protect(Command(0, 0xA4, 2, 0x0C, H("011E"))))).ok
    com = channel.unprotect(chip.process(channel.protect(Command(0, 0xB0, 0, 0, le=4))))
    assert com.data[:1] == b"\x60" and com.ok


def test_the_simulated_chip_refuses_files_before_bac_and_a_wrong_key():
    chip = make_permit("li_xiuying").chip
    chip.process(Command(0, 0xA4, 4, 0x0C, bac.LDS_AID).encode())
    assert chip.process(Command(0, 0xA4, 2, 0x0C, H("0101")).encode()) == H("6982")
    challenge = apdu.parse_response(chip.process(Command(0, 0x84, 0, 0, le=8).encode())).data
    wrong = bac.BacKeys.from_access_key(AccessKey("C71234563", "920719", "310902"))
    data = bac.external_authenticate_data(wrong, challenge, RND_IFD, K_IFD)
    assert chip.process(Command(0, 0x82, 0, 0, data, le=40).encode()) == H("6300")


def test_a_tampered_command_mac_gets_6988_in_plain_and_ends_the_chip_session():
    permit = make_permit("wang_jianguo")
    chip, keys = permit.chip, bac.BacKeys.from_access_key(permit.access_key)
    chip.process(Command(0, 0xA4, 4, 0x0C, bac.LDS_AID).encode())
    challenge = apdu.parse_response(chip.process(Command(0, 0x84, 0, 0, le=8).encode())).data
    answer = apdu.parse_response(chip.process(Command(0, 0x82, 0, 0, bac.external_authenticate_data(
        keys, challenge, RND_IFD, K_IFD), le=40).encode())).data
    channel = bac.open_session(keys, answer, challenge, RND_IFD, K_IFD)
    protected = bytearray(channel.protect(Command(0, 0xA4, 2, 0x0C, H("0101"))))
    protected[-3] ^= 0x01  # inside DO8E
    assert chip.process(bytes(protected)) == H("6988") and chip.channel is None
