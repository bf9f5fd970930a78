"""Spoken prompts on a real engine: Qt's speechd plugin, a private speech-dispatcher (espeak-ng, audio to
libao's null driver) on a socket under tmp_path. Skipped where no engine is installed; the text mirror is
tested for every machine in test_accessibility.py."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.flows.base import StepKind
from tests.ui.fakes import view_of
from tests.ui.helpers import texts
from ui.voice import Voice, available_engines

SYSTEM_CONFIG = Path("/etc/speech-dispatcher")
PACKAGES = "speech-dispatcher speech-dispatcher-espeak-ng espeak-ng libspeechd2 libpulse0"


@pytest.fixture
def speech_dispatcher(tmp_path, monkeypatch):
    binary = shutil.which("speech-dispatcher")
    if binary is None or not SYSTEM_CONFIG.is_dir() or "speechd" not in available_engines():
        pytest.skip(f"no speech engine here (apt-get install {PACKAGES})")
    config = tmp_path / "conf"
    shutil.copytree(SYSTEM_CONFIG, config)
    settings = config / "speechd.conf"
    text = re.sub(r"(?m)^#?\s*AudioOutputMethod.*$", "", settings.read_text(encoding="utf-8"))
    settings.write_text(text + '\nAudioOutputMethod "libao"\n', encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    (home / ".libao").write_text("default_driver=null\n", encoding="utf-8")  # no sound card needed
    socket = tmp_path / "speechd.sock"
    command = [binary, "-s", "-C", str(config), "-c", "unix_socket", "-S", str(socket), "-t", "60"]
    process = subprocess.Popen(
        command, env={**os.environ, "HOME": str(home)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{socket}")
    yield socket
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def test_prompts_are_spoken_in_mandarin_and_english(qtbot, speech_dispatcher):
    qtbot.waitUntil(speech_dispatcher.exists, timeout=10000)
    voice = Voice(True, engine="speechd")
    try:
        assert voice.wait_ready(30), "the speechd engine did not connect"
        voice.say("请将身份证放在读卡区", "zh")
        qtbot.waitUntil(lambda: voice.finished >= 1, timeout=15000)
        voice.say("Place your ID card on the reader", "en")
        qtbot.waitUntil(lambda: voice.finished >= 2, timeout=15000)
        [(zh, zh_voice), (en, en_voice)] = voice.spoken
        assert (zh, en) == ("zh", "en")
        assert "Mandarin" in zh_voice or "Chinese" in zh_voice  # not the engine's default voice
        assert "English" in en_voice
    finally:
        voice.shutdown(3)


def test_the_window_speaks_the_prompt_it_shows(qtbot, speech_dispatcher, make_window, runtime):
    qtbot.waitUntil(speech_dispatcher.exists, timeout=10000)
    window = make_window(runtime, voice=Voice(True, engine="speechd"))
    voice = window.shell.voice
    try:
        assert voice.wait_ready(30)
        window.shell.show_view(view_of("certificate", StepKind.READ_CARD))
        qtbot.waitUntil(lambda: voice.finished >= 1, timeout=15000)
        assert voice.last_text == "请将身份证放在读卡区"
        assert voice.last_text in texts(window)
        assert [language for language, _name in voice.spoken] == ["zh"]
    finally:
        voice.shutdown(3)
