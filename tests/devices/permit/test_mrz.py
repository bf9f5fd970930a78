"""TD1 MRZ: check digits (ICAO 9303 Part 3 examples), compose/parse round trip, access keys, any text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.permit.mrz import AccessKey, MrzError, check_digit, compose_td1, parse_td1

# ICAO Doc 9303 Part 5 TD1 specimen (Utopia, ANNA MARIA ERIKSSON)
SPECIMEN = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"


@pytest.mark.parametrize(("field", "digit"), [("D23145890", "7"), ("740812", "2"), ("120415", "9"),
                                              ("L898902C<", "3"), ("690806", "1"), ("940623", "6")])
def test_check_digits_of_the_icao_examples(field, digit):
    assert check_digit(field) == digit


def test_the_icao_td1_specimen_parses_with_its_composite_digit():
    parsed = parse_td1(SPECIMEN)
    assert (parsed.document_number, parsed.birth_date, parsed.sex, parsed.expiry_date) == ("D23145890", "740812", "F", "120415")
    assert (parsed.surname, parsed.given_names, parsed.nationality) == ("ERIKSSON", "ANNA MARIA", "UTO")


def test_compose_gives_the_specimen_back():
    assert compose_td1(document_code="I", issuing_state="UTO", document_number="D23145890", birth_date="740812",
                       sex="F", expiry_date="120415", nationality="UTO", surname="ERIKSSON",
                       given_names="ANNA MARIA") == SPECIMEN


def test_a_permit_mrz_round_trips():
    mrz = compose_td1(document_number="C60123458", birth_date="850312", sex="M", expiry_date="330615",
                      surname="ZHANG", given_names="WEIMING")
    line1, line2, line3 = mrz.split("\n")
    assert line1 == "CSCHNC601234589<<<<<<<<<<<<<<<" and line3 == "ZHANG<<WEIMING<<<<<<<<<<<<<<<<"
    assert line2[:18] == "8503127M3306150CHN"  # check digits worked out by hand
    assert parse_td1(mrz.replace("\n", "")).name_latin == "ZHANG WEIMING"


@pytest.mark.parametrize("position", [14, 36, 44, 59])
def test_any_wrong_check_digit_is_refused(position):
    flat = bytearray(SPECIMEN.replace("\n", ""), "ascii")
    flat[position] = ord("0") + (flat[position] - ord("0") + 1) % 10
    with pytest.raises(MrzError):
        parse_td1(flat.decode())


def test_access_key_gives_the_icao_mrz_information():
    assert AccessKey("L898902C", "690806", "940623").mrz_information() == b"L898902C<369080619406236"
    assert AccessKey.from_mrz(SPECIMEN).mrz_information() == b"D23145890774081221204159"
    assert "D2314" not in repr(AccessKey.from_mrz(SPECIMEN))


@pytest.mark.parametrize(("number", "birth", "expiry"), [("", "850312", "330615"), ("C6012345", "851312", "330615"),
                                                         ("C60-12345", "850312", "330615"), ("C6012345", "8503", "330615"),
                                                         ("C601234581", "850312", "330615")])
def test_bad_typed_keys_are_mrz_errors(number, birth, expiry):
    with pytest.raises(MrzError):
        AccessKey(number, birth, expiry)


@given(st.text(alphabet="0123456789ABCDEFXYZ<\n", max_size=100))
def test_any_text_parses_or_is_an_mrz_error(text):
    try:
        parse_td1(text)
    except MrzError:
        pass


@given(st.text(max_size=95))
def test_any_unicode_is_only_an_mrz_error(text):
    try:
        AccessKey.from_mrz(text)
    except MrzError:
        pass
