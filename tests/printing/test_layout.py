from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from printing.layout import TextDoesNotFitError, add_months, fit_text, wrap_text

CJK_TEXT = st.text(alphabet="北京市朝阳区路号院楼单元室，。（）、ABCxyz0123456789 -", max_size=120)


@settings(max_examples=60, deadline=None)
@given(text=CJK_TEXT, width=st.floats(min_value=30, max_value=400))
def test_wrapped_lines_fit_and_keep_every_character(fonts, text, width):
    lines = wrap_text(text, fonts.regular, 10, width)
    assert all(stringWidth(line, fonts.regular, 10) <= width + 1e-6 for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_no_line_starts_with_closing_punctuation(fonts):
    text = "经查询，截至2024年05月06日，未发现张三（男、居民身份证、11010519491231002X）有犯罪记录。" * 3
    for width in range(60, 400, 7):
        for line in wrap_text(text, fonts.regular, 12, width)[1:]:
            assert line[0] not in "，。、）"


def test_id_number_is_not_split_when_it_fits_on_a_line(fonts):
    text = "未发现张三（男、居民身份证、11010519491231002X）有犯罪记录。"
    for width in range(150, 400, 5):
        assert any("11010519491231002X" in line for line in wrap_text(text, fonts.regular, 12, width))


def test_first_line_indent_narrows_only_the_first_line(fonts):
    text = "字" * 40
    lines = wrap_text(text, fonts.regular, 10, 100, first_indent=20)
    assert len(lines[0]) == 8 and len(lines[1]) == 10


def test_fit_text_shrinks_then_gives_up(fonts):
    fitted = fit_text("字" * 36, fonts.regular, 100, max_lines=3, start_size=10, min_size=6)
    assert fitted.size < 10 and len(fitted.lines) <= 3
    with pytest.raises(TextDoesNotFitError):
        fit_text("字" * 300, fonts.regular, 100, max_lines=3, start_size=10, min_size=6)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 5, 6), 3, date(2024, 8, 6)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 10, 31), 6, date(2025, 4, 30)),
    ],
)
def test_add_months_clamps_to_the_end_of_month(start, months, expected):
    assert add_months(start, months) == expected
