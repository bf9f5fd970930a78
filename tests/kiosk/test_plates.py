from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.plates import (
    ALNUM,
    DIGITS,
    LETTERS,
    PROVINCES,
    InvalidPlate,
    allowed_at,
    check_partial_plate,
    plate_length,
    validate_plate,
    validate_vin6,
)


@pytest.mark.parametrize(
    ("plate", "plate_type"),
    [("京A12345", "02"), ("粤B8K9X2", "02"), ("沪AD12345", "52"), ("浙AFA1234", "52"), ("苏E12345D", "51")],
)
def test_valid_plates(plate, plate_type):
    assert validate_plate(plate, plate_type) == plate


def test_separator_dot_spaces_and_case_are_normalised():
    assert validate_plate(" 京a·12345 ", "02") == "京A12345"


@pytest.mark.parametrize(
    ("plate", "plate_type", "reason"),
    [
        ("AA12345", "02", "not_province"),  # no province
        ("港A12345", "02", "not_province"),  # Hong Kong plates are not issued by the mainland
        ("京112345", "02", "not_letter"),
        ("京AI2345", "02", "letter_i_o"),
        ("京A1234O", "02", "letter_i_o"),
        ("京A1234", "02", "too_short"),
        ("京A123456", "02", "too_long"),
        ("京AA12345", "52", "new_energy_class"),  # small new-energy starts with D/F
        ("京AD1A345", "52", "digit_expected"),  # last 4 are digits
        ("京A12345A", "51", "new_energy_class"),  # large new-energy ends with D/F
        ("京AD12345", "51", "digit_expected"),
        ("京A12#45", "02", "bad_character"),
    ],
)
def test_invalid_plates_say_why(plate, plate_type, reason):
    with pytest.raises(InvalidPlate) as caught:
        validate_plate(plate, plate_type)
    assert caught.value.reason == reason
    assert str(caught.value)  # a sentence for people, not just the code


def test_partial_plates_are_accepted_while_typing_and_rejected_at_the_first_wrong_character():
    assert check_partial_plate("", "02") == ""
    assert check_partial_plate("京A", "52") == "京A"
    with pytest.raises(InvalidPlate) as caught:
        check_partial_plate("京AA", "52")
    assert caught.value.reason == "new_energy_class"


def test_lengths_follow_the_plate_type():
    assert [plate_length(t) for t in ("01", "02", "51", "52")] == [7, 7, 8, 8]
    assert allowed_at(7, "02") == ""


def test_vin6():
    assert validate_vin6("a1b2c3") == "A1B2C3"
    for bad, reason in (("A1B2C", "vin_length"), ("A1B2CQ", "vin_character"), ("O1B2C3", "vin_character")):
        with pytest.raises(InvalidPlate) as caught:
            validate_vin6(bad)
        assert caught.value.reason == reason


def _chars(alphabet: str, n: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(alphabet), min_size=n, max_size=n).map("".join)


ordinary = st.tuples(st.sampled_from(PROVINCES), st.sampled_from(LETTERS), _chars(ALNUM, 5)).map(
    lambda t: ("".join(t), "02")
)
small_ne = st.tuples(
    st.sampled_from(PROVINCES),
    st.sampled_from(LETTERS),
    st.sampled_from("DF"),
    st.sampled_from(ALNUM),
    _chars(DIGITS, 4),
).map(lambda t: ("".join(t), "52"))
large_ne = st.tuples(
    st.sampled_from(PROVINCES), st.sampled_from(LETTERS), _chars(DIGITS, 5), st.sampled_from("DF")
).map(lambda t: ("".join(t), "51"))


@given(st.one_of(ordinary, small_ne, large_ne))
def test_generated_plates_validate_and_every_prefix_is_accepted_as_typed(case):
    plate, plate_type = case
    assert validate_plate(plate.lower(), plate_type) == plate
    for end in range(len(plate)):
        assert check_partial_plate(plate[:end], plate_type) == plate[:end]
        assert plate[end] in allowed_at(end, plate_type)


@given(st.one_of(ordinary, small_ne, large_ne), st.integers(min_value=1, max_value=7), st.sampled_from("IO"))
def test_i_and_o_are_never_accepted(case, position, letter):
    plate, plate_type = case
    position = min(position, len(plate) - 1)
    with pytest.raises(InvalidPlate):
        validate_plate(plate[:position] + letter + plate[position + 1 :], plate_type)


@given(st.text(max_size=12), st.sampled_from(["01", "02", "51", "52", "99"]))
def test_any_text_gives_a_plate_or_a_typed_error(text, plate_type):
    try:
        plate = validate_plate(text, plate_type)
    except InvalidPlate as error:
        assert error.reason
    else:
        assert len(plate) == plate_length(plate_type) and plate[0] in PROVINCES
