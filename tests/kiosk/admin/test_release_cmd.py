"""`kiosk-admin release make|upload`: a signed kiosk-software document read from a real package, verified
with the admin's public key, the package uploaded in chunks to a real fleet server and resumed after an
interruption, and the refusals (not the kiosk's package, an unreadable file, a server that is gone)."""

from __future__ import annotations

import json

import pytest
import requests

from kiosk.admin.cli import main as admin
from kiosk.update.release import parse_payload
from server.fleet import BackgroundServer, FleetSettings
from tests.kiosk.update.packages import build_package

TOKEN = "release-cli-admin-token"


@pytest.fixture
def keys(tmp_path, capsys):
    assert admin(["keygen", "--out", str(tmp_path / "keys"), "--name", "a"]) == 0
    capsys.readouterr()
    return tmp_path / "keys"


@pytest.fixture
def package(tmp_path):
    return build_package(tmp_path, "0.2.0", payload_kib=2048)  # several upload chunks


def make_args(keys, package_path, out, *extra: str) -> list[str]:
    return ["release", "make", "--package", str(package_path), "--key", str(keys / "a.key"), "--version", "3",
            "--for", "channel:county", "--expires", "+30d", "--out", str(out), *extra]  # fmt: skip


def test_make_signs_the_packages_identity_and_verify_accepts_it(keys, package, tmp_path, capsys):
    out = tmp_path / "release.json"
    assert admin(make_args(keys, package.path, out, "--min-config-schema", "1", "--notes", "pilot")) == 0
    assert package.sha256 in capsys.readouterr().out
    doc = json.loads(out.read_text())
    assert doc["signed"]["type"] == "kiosk-software" and doc["signed"]["version"] == 3
    payload = parse_payload(doc["signed"]["payload"])
    assert (payload.software_version, payload.package.sha256, payload.package.size) == (
        "0.2.0", package.sha256, package.size)  # fmt: skip
    assert (payload.allow_downgrade, payload.notes) == (False, "pilot")
    assert admin(["verify", str(out), "--trust", str(keys / "a.pub"), "--channel", "county"]) == 0


def test_make_refuses_what_is_not_the_kiosks_package(keys, tmp_path, capsys):
    other = build_package(tmp_path, "0.2.0", name="other-thing")
    assert admin(make_args(keys, other.path, tmp_path / "r.json")) == 2
    assert "not police-kiosk" in capsys.readouterr().err
    assert admin(make_args(keys, tmp_path / "missing.deb", tmp_path / "r.json")) == 2
    assert not (tmp_path / "r.json").exists()


def test_upload_sends_the_package_in_chunks_resumes_and_pushes_the_document(keys, package, tmp_path, capsys):
    settings = FleetSettings(db_url=f"sqlite:///{tmp_path / 'fleet.sqlite3'}", admin_token=TOKEN)
    out = tmp_path / "release.json"
    assert admin(make_args(keys, package.path, out)) == 0
    with BackgroundServer(settings) as server:
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {TOKEN}"
        base = f"{server.url}/api/v1/packages"
        http.post(base, json={"sha256": package.sha256, "size": package.size, "filename": package.path.name},
                  timeout=10)  # fmt: skip
        http.put(f"{base}/{package.sha256}/content", params={"offset": 0}, timeout=10,
                 data=package.path.read_bytes()[:100_000])  # an earlier upload that broke off
        capsys.readouterr()
        argv = ["release", "upload", "--server", server.url, "--token", TOKEN, "--package", str(package.path),
                "--document", str(out)]  # fmt: skip
        assert admin(argv) == 0
        printed = capsys.readouterr().out
        assert "release document 1" in printed
        state = http.get(f"{base}/{package.sha256}", timeout=10).json()
        assert (state["complete"], state["received"]) == (True, package.size)
        documents = http.get(f"{server.url}/api/v1/documents", timeout=10).json()["items"]
        assert [(d["type"], d["version"]) for d in documents] == [("kiosk-software", 3)]
        assert admin([*argv[:-2]]) == 0  # uploading again is harmless: the server has it
        http.close()
    assert admin(["release", "upload", "--server", server.url, "--token", TOKEN, "--package", str(package.path)]) == 1
