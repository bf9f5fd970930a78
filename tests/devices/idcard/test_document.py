"""The text block: every card type decodes with its code tables, and damaged data never becomes a card."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.idcard.document import CardDataError, encode_text_block, parse_identity
from devices.idcard.sim import load_cards

CARDS = load_cards()


def _parse(card_id: str, **overrides: str):
    card = CARDS[card_id]
    return parse_identity(encode_text_block(card["card_type"], {**card["fields"], **overrides}))


def test_resident_card_applies_sex_and_nation_tables_and_dates():
    doc = _parse("zhang_san")
    assert (doc.card_type, doc.name, doc.sex, doc.nation) == ("resident", "张三", "男", "汉")
    assert doc.birth_date == dt.date(1990, 3, 7)
    assert doc.valid_to == dt.date(2035, 6, 1)
    assert doc.id_number == CARDS["zhang_san"]["fields"]["id_number"]


def test_long_term_card_has_no_expiry_and_a_long_address_survives():
    doc = _parse("li_xiuying")
    assert doc.valid_to is None and not doc.is_expired(dt.date(2099, 1, 1))
    assert doc.nation == "回" and doc.sex == "女"
    assert doc.address == CARDS["li_xiuying"]["fields"]["address"]
    assert doc.to_json()["valid_to"] is None


def test_permit_j_has_pass_number_and_issue_count():
    record = _parse("chen_hk").to_json()
    assert record["card_type"] == "permit_j"
    assert (record["pass_number"], record["issue_count"], record["nation"]) == ("H60123456", "01", "")


def test_foreign_i_card_layout():
    record = _parse("smith_i").to_json()
    assert record["card_type"] == "foreign_i"
    assert (record["name"], record["english_name"], record["nationality"]) == ("史密斯", "SMITH, JOHN ROBERT", "USA")
    assert record["id_number"] == "USA110085060113"
    assert record["birth_date"] == "1985-06-01"


def test_foreign_y_card_layout():
    record = _parse("ivanova_y").to_json()
    assert record["card_type"] == "foreign_y"
    assert (record["english_name"], record["nationality"], record["sex"]) == ("IVANOVA, ANNA SERGEEVNA", "RUS", "女")


@pytest.mark.parametrize(
    "overrides",
    [
        {"birth_date": "19901307"},  # no 13th month
        {"sex": "7"},  # not in GB/T 2261.1
        {"nation": "77"},  # not in GB 3304
        {"id_number": "110105199003070018"},  # check digit off by one
        {"birth_date": "19900308"},  # ID number no longer matches the birth date
        {"valid_to": "20100101"},  # expires before it starts
        {"name": ""},
    ],
)
def test_inconsistent_data_is_refused(overrides):
    with pytest.raises(CardDataError):
        _parse("zhang_san", **overrides)


def test_unknown_type_mark_is_refused():
    block = bytearray(encode_text_block("resident", CARDS["zhang_san"]["fields"]))
    block[248:250] = "Q".encode("utf-16-le")
    with pytest.raises(CardDataError):
        parse_identity(bytes(block))


def test_repr_and_wipe_hide_personal_data():
    card = CARDS["zhang_san"]
    doc = parse_identity(encode_text_block("resident", card["fields"]), photo=b"\x11" * 1024)
    assert "张三" not in repr(doc) and card["fields"]["id_number"] not in str(doc)
    photo = doc.photo_wlt
    doc.wipe()
    assert photo == bytearray(1024)
    assert doc.name == "" and doc.id_number == "" and doc.address == ""


# -- ID numbers and dates on the card are ASCII digits only: any other Unicode digit is a damaged read ---------
UNICODE_DIGITS = st.characters(categories=("Nd", "No", "Nl"), exclude_characters="0123456789")


@given(st.integers(min_value=0, max_value=17), UNICODE_DIGITS)
def test_a_unicode_digit_in_the_cards_id_number_is_a_typed_card_error(position, digit):
    number = CARDS["zhang_san"]["fields"]["id_number"]
    with pytest.raises(CardDataError):
        _parse("zhang_san", id_number=number[:position] + digit + number[position + 1 :])


@given(st.sampled_from(["birth_date", "valid_from", "valid_to"]), st.integers(min_value=0, max_value=7), UNICODE_DIGITS)
def test_a_unicode_digit_in_a_date_is_a_typed_card_error(field, position, digit):
    value = CARDS["zhang_san"]["fields"][field]
    with pytest.raises(CardDataError):
        _parse("zhang_san", **{field: value[:position] + digit + value[position + 1 :]})
