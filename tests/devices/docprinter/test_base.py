"""The shared interface's guards: job names carry no personal data, page counting."""

from __future__ import annotations

import pytest

from devices.docprinter.base import check_copies, check_job_name, count_pdf_pages
from devices.docprinter.errors import InvalidJobName


@pytest.mark.parametrize("name", ["order-20240101-0001", "T1.cert_2", "testpage-20260101-120000", "a"])
def test_order_ids_are_accepted(name):
    assert check_job_name(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "张三",  # a name
        "order-110101199003071234",  # an ID number inside
        "11010119900307123X",
        "John Smith",  # spaces: free text
        "",
        "x" * 65,
        "../etc/passwd",
        "-rf",
    ],
)
def test_anything_like_personal_data_is_refused(name):
    with pytest.raises(InvalidJobName):
        check_job_name(name)


def test_copies_are_bounded():
    assert check_copies(1) == 1
    for bad in (0, -1, 100):
        with pytest.raises(ValueError):
            check_copies(bad)


def test_count_pages_of_real_pdfs(pdf_factory):
    assert [count_pdf_pages(pdf_factory(n)) for n in (1, 2, 7)] == [1, 2, 7]
    with pytest.raises(ValueError):
        count_pdf_pages(b"not a pdf")
