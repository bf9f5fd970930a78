"""Every citizen screen in every variant (zh/en x portrait/landscape x normal/大字/high contrast, and portrait
low reach): the layout lint (tests/ui/layout_lint.py) finds nothing, the picture matches the approved golden
one (tests/ui/golden/, re-approve with `scripts/screenshots.py --approve` after looking at the new pictures),
and no text key was missing on the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui import golden, layout_lint
from tests.ui.scenes import MODES, SCENES, SIZES, make_window, show, variant_name

VARIANTS = [(o, lang, mode) for o in SIZES for lang in ("zh", "en") for mode in MODES] + [("portrait", "zh", "reach")]


@pytest.fixture(scope="module")
def windows(qapp):
    made: dict[str, object] = {}
    yield lambda orientation: made.get(orientation) or made.setdefault(orientation, make_window(orientation))
    for window in made.values():
        window.dispose()


@pytest.mark.parametrize(("orientation", "language", "mode"), VARIANTS)
def test_every_screen_is_laid_out_right_and_looks_as_approved(windows, orientation, language, mode, tmp_path):
    window = windows(orientation)
    low_reach = mode == "reach"
    problems: list[str] = []
    for scene in SCENES:
        show(window, scene, language, "normal" if low_reach else mode, low_reach)
        name = variant_name(orientation, language, mode, scene)
        findings = layout_lint.check(window, busy=scene.busy, forward=scene.forward, out=scene.out,
                                     low_reach=low_reach)  # fmt: skip
        assert findings.texts > 3 and (findings.targets > 0 or not scene.out), f"{name}: the lint saw nothing"
        problems += [f"{name}: {problem}" for problem in findings.problems]
        problems += compare_with_golden(name, window.grab(), tmp_path)
    assert window.shell.tr.missing == set(), "texts missing from the catalogue"
    assert not problems, "\n".join(problems)


def compare_with_golden(name: str, image, tmp_path: Path) -> list[str]:
    approved = golden.GOLDEN_DIR / f"{name}.png"
    if not approved.exists():
        return [f"{name}: no approved picture (scripts/screenshots.py --approve)"]
    new, old = golden.grey_levels(image), golden.load(approved)
    if golden.matches(new, old):
        return []
    changed, mean = golden.difference(new, old) if new.shape == old.shape else (1.0, 99.0)
    diff = tmp_path / f"{name}-diff.png"
    golden.side_by_side(new, old, diff)
    return [f"{name}: differs from the approved picture ({changed:.1%} of pixels, mean {mean:.2f}); see {diff}"]


def test_the_golden_set_is_small():
    sizes = [path.stat().st_size for path in golden.GOLDEN_DIR.glob("*.png")]
    assert len(sizes) == len(VARIANTS) * len(SCENES)
    assert sum(sizes) < 1_500_000
