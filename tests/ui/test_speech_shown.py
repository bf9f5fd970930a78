"""Every spoken prompt is also on screen (a kiosk without a speech engine loses nothing), in both languages:
prompts, face guidance and the liveness action, error reasons and what to do, "please take…", the idle
warning. The voice here has no engine; it records what it would have said."""

from __future__ import annotations

import pytest

from kiosk.flows.base import StepKind
from tests.ui.fakes import SCRIPTS, failed_view, view_of
from tests.ui.helpers import item, texts, wait_page


def said_parts(window) -> list[str]:
    return [part for part in window.shell.voice.last_text.replace(". ", "。").split("。") if part]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_everything_said_is_shown(qtbot, window, language):
    window.shell.tr.set_language(language)
    views = [view_of(service, step) for service, script in SCRIPTS.items() for step, *_ in script]
    views += [failed_view(failure=name) for name in ("face", "refund", "backend", "recently")]
    views.append(view_of("certificate", StepKind.CAPTURE_FACE, challenge="turn_left", challenge_index=0,
                         challenge_total=2, guidance_key="guidance.too_dark"))  # fmt: skip
    for view in views:
        window.shell.show_view(view)
        wait_page(qtbot, window, str(view.step))
        shown = texts(window)
        parts = said_parts(window)
        assert parts, f"nothing said at {view.step}"
        for part in parts:
            assert any(part in text for text in shown), (view.step, view.data, part, " | ".join(shown))
    window.shell._on_idle_warning(20)  # the idle warning is said once, as it appears
    qtbot.waitUntil(lambda: item(window, "idleOverlay").isVisible())
    assert window.shell.voice.last_text.startswith(window.shell.tr.text("idle.title"))
