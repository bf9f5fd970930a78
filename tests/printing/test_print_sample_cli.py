from __future__ import annotations

import pytest

from kiosk.cli.main import main
from tests.printing.conftest import flat_text, page_texts


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["certificate"], "无犯罪记录证明"),
        (["temp-id"], "临时居民身份证"),
        (["receipt"], "缴费凭证"),
        (["receipt", "--receipt", "acceptance", "--reprint"], "补打 REPRINT"),
    ],
)
def test_print_sample_writes_the_document(tmp_path, capsys, fonts, argv, expected):
    out = tmp_path / "sample.pdf"
    assert main(["diag", "print-sample", *argv, "--out", str(out)]) == 0
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert expected in flat_text(pdf) or expected in "".join(page_texts(pdf))
    assert str(out) in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["bogus", "--out", "x.pdf"], ["certificate"], ["receipt", "--receipt", "nope"]])
def test_usage_errors_exit_2(argv):
    with pytest.raises(SystemExit) as caught:
        main(["diag", "print-sample", *argv])
    assert caught.value.code == 2


def test_unwritable_output_is_one_line_and_exit_1(tmp_path, capsys, fonts):
    assert main(["diag", "print-sample", "certificate", "--out", str(tmp_path / "missing" / "x.pdf")]) == 1
    assert "cannot write" in capsys.readouterr().err
