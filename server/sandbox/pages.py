"""The public pages a phone opens from the paper: verification result, the number + code form, and the
acceptance lookup. Plain server-rendered HTML (no script), every value escaped."""

from __future__ import annotations

import datetime as dt
from html import escape

from contracts import AcceptanceStatus, CertificateVerification

STATUS_TEXT = {
    "valid": ("有效", "本证明真实有效，请核对下列信息与纸质证明一致。", "#1a7f37"),
    "expired": ("已过期", "本证明由签发机关出具，但已超过有效期。", "#9a6700"),
    "revoked": ("已撤销", "本证明已被签发机关撤销，不再有效。", "#cf222e"),
    "unknown": ("无法核验", "未找到与所给信息一致的证明：请核对编号和验证码，或向签发机关核实。", "#cf222e"),
}
_STYLE = ("body{font-family:sans-serif;margin:1.2em;max-width:36em}h1{font-size:1.3em}"
          "table{border-collapse:collapse}td{padding:.3em .8em .3em 0;vertical-align:top}"
          "input{font-size:1.1em;padding:.3em;margin:.2em 0 .6em;width:100%}button{font-size:1.1em}")  # fmt: skip


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>{body}</body></html>")  # fmt: skip


def _date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month:02d}月{day.day:02d}日" if day else ""


def _rows(pairs: list[tuple[str, str | None]]) -> str:
    cells = "".join(f"<tr><td>{escape(label)}</td><td>{escape(value)}</td></tr>" for label, value in pairs if value)
    return f"<table>{cells}</table>"


def verification_page(answer: CertificateVerification, *, full_name: str | None = None) -> str:
    """The result; `full_name` only when the caller showed the signed payload that holds it."""
    label, sentence, colour = STATUS_TEXT[answer.status]
    rows = _rows([
        ("证明编号", answer.certificate_number), ("姓名", full_name or answer.name_masked),
        ("用途", answer.purpose), ("截至日期", _date(answer.checked_until)), ("出具单位", answer.issuing_unit),
        ("出具日期", _date(answer.issue_date)), ("有效期至", _date(answer.expiry_date)),
        ("剩余核验次数", None if answer.verifications_left is None else str(answer.verifications_left)),
    ])  # fmt: skip
    heading = f'<h1>无犯罪记录证明核验：<span style="color:{colour}">{label}</span></h1>'
    return _page("无犯罪记录证明核验", f"{heading}<p>{escape(sentence)}</p>{rows}")


def lookup_form(number: str = "", message: str = "") -> str:
    note = f"<p>{escape(message)}</p>" if message else ""
    form = ('<form method="get" action="verify"><label>证明编号<input name="number" inputmode="numeric" '
            f'value="{escape(number)}" maxlength="32"></label><label>验证码<input name="code" maxlength="16" '
            'autocapitalize="characters"></label><button type="submit">核验</button></form>')  # fmt: skip
    return _page("无犯罪记录证明核验", f"<h1>无犯罪记录证明核验</h1><p>请输入证明上的编号和验证码。</p>{note}{form}")


def limit_page() -> str:
    return _page("无犯罪记录证明核验", "<h1>核验次数已用完</h1><p>本证明的在线核验次数已达上限，请向出具单位核实。</p>")


def acceptance_page(answer: AcceptanceStatus) -> str:
    texts = {"pending": f"正在办理，预计{_date(answer.settle_by)}前办结。",
             "settled": "已办结。请本人携带身份证件到公安机关户籍窗口或自助机领取结果。",
             "unknown": "未找到该受理编号，请核对后重试。"}  # fmt: skip
    rows = _rows([("受理编号", answer.acceptance_number), ("办理状态", texts[answer.status])])
    return _page("办理进度查询", f"<h1>无犯罪记录证明 办理进度</h1>{rows}")
