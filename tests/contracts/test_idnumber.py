from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.idnumber import InvalidIdNumber, facts_of, mask_id_number, upgrade_15_to_18, validate_id_number

VALID = ["11010519491231002X", "440524188001010014", "440308199901101512", "810000199408230021", "830000199201300022"]


@pytest.mark.parametrize("number", VALID)
def test_reference_vectors_are_valid(number):
    assert validate_id_number(number) == number


def test_lowercase_x_and_spaces_are_normalised():
    assert validate_id_number(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("440308199901101513", "bad_check_digit"),
        ("4403081999011015", "bad_length"),
        ("44030819990110151A", "bad_format"),
        ("440308199902301512", "bad_birth_date"),  # 30 February
        ("440308209901101512", "bad_birth_date"),  # in the future
    ],
)
def test_invalid_numbers_say_why(number, reason):
    with pytest.raises(InvalidIdNumber) as caught:
        validate_id_number(number, today=dt.date(2026, 11, 23))
    assert caught.value.reason == reason


def test_15_digit_upgrade_matches_the_reference():
    assert upgrade_15_to_18("610104620927690") == "610104196209276908"
    assert validate_id_number("610104620927690") == "610104196209276908"


def test_facts_and_masking():
    facts = facts_of("11010519491231002X")
    assert (facts.birth_date, facts.sex, facts.region_code) == (dt.date(1949, 12, 31), "女", "110105")
    assert mask_id_number("11010519491231002X") == "110***********002X"


@given(st.text(max_size=25))
def test_any_text_is_either_valid_or_a_clear_error(text):
    try:
        assert len(validate_id_number(text)) == 18
    except InvalidIdNumber as error:
        assert error.reason in {"bad_length", "bad_format", "bad_birth_date", "bad_check_digit"}


# -- only ASCII 0-9 and X, everywhere an ID number enters (issue: '²' and other Unicode digits) -------------------
NON_ASCII_DIGITS = st.characters(categories=("Nd", "No", "Nl"), exclude_characters="0123456789")
SAMPLE = "110105198503121234"


@given(st.integers(min_value=0, max_value=17), NON_ASCII_DIGITS)
def test_a_unicode_digit_anywhere_is_refused_with_a_reason(position, digit):
    if "\uff10" <= digit <= "\uff19":  # full-width digits are normalised on purpose (typed by an input method)
        return
    number = SAMPLE[:position] + digit + SAMPLE[position + 1 :]
    with pytest.raises(InvalidIdNumber) as refused:
        validate_id_number(number)
    assert refused.value.reason in ("bad_format", "bad_length", "bad_birth_date", "bad_check_digit")


@given(st.text(max_size=80))
def test_any_text_is_either_a_valid_ascii_number_or_a_typed_refusal(text):
    try:
        number = validate_id_number(text)
    except InvalidIdNumber:
        return
    assert len(number) == 18 and all(ch in "0123456789" for ch in number[:17]) and number[17] in "0123456789X"


def test_full_width_digits_are_normalised_to_ascii():
    full_width = "".join(chr(0xFF10 + int(ch)) for ch in SAMPLE[:17]) + "４"
    assert validate_id_number(full_width) == SAMPLE


@pytest.mark.parametrize("number", ["\u00b210105198503121234", "1101051985031212\u06634", "1101051985031212\u096a4"])
def test_the_reported_numbers_are_refused_not_crashed(number):
    with pytest.raises(InvalidIdNumber):
        validate_id_number(number)


def test_the_backend_contract_refuses_unicode_digits():
    from pydantic import ValidationError

    from contracts import PersonQuery

    assert PersonQuery(id_number=SAMPLE).id_number == SAMPLE
    with pytest.raises(ValidationError):
        PersonQuery(id_number="1101051985031212\u06634")
