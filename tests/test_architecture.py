"""The shape of the house, checked on every run: no import circle between modules (TYPE_CHECKING imports
count), and a kiosk-only install (no FastAPI, uvicorn or Starlette) starts and runs its diagnostics."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("contracts", "kiosk", "devices", "printing", "server", "ui")


def strongly_connected(graph: grimp.ImportGraph) -> list[list[str]]:
    """Tarjan's algorithm over module-level imports; components of more than one module are circles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(start: str) -> None:  # iterative, so deep chains cannot hit the recursion limit
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next((c for c in children if c in graph.modules), None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return circles


def test_no_import_circle_between_modules():
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=False)
    assert strongly_connected(graph) == []


def test_the_circle_finder_finds_a_circle(tmp_path, monkeypatch):
    package = tmp_path / "knot"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from knot import b\n")
    (package / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from knot import a\n")
    (package / "c.py").write_text("from knot import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("knot", exclude_type_checking_imports=False, cache_dir=None)
    assert strongly_connected(graph) == [["knot.a", "knot.b"]]


BLOCK_SERVERS = textwrap.dedent("""
    import importlib.abc, sys
    class NoServers(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("fastapi", "uvicorn", "starlette"):
                raise ImportError(f"{name} is not installed on a kiosk")
            return None
    sys.meta_path.insert(0, NoServers())
""")


def run_without_servers(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(BLOCK_SERVERS)
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{ROOT}", "KIOSK_HOME": str(tmp_path / "home")}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)


def test_a_kiosk_only_install_needs_no_web_server(tmp_path):
    check = run_without_servers(tmp_path, "-c", "import fastapi")
    assert check.returncode != 0 and "not installed on a kiosk" in check.stderr  # the blocker works
    diag = run_without_servers(tmp_path, "-m", "kiosk", "diag", "devices", "--json")
    assert diag.returncode in (0, 4), diag.stderr
    assert '"idcard"' in diag.stdout and "fastapi" not in diag.stderr.lower()
    core = run_without_servers(tmp_path, "-c", textwrap.dedent("""
        from kiosk.home import KioskHome
        from kiosk.runtime import KioskRuntime
        import kiosk.services.temp_id.flow, kiosk.services.certificate.flow, kiosk.services.traffic.flow
        runtime = KioskRuntime(KioskHome.resolve(None)).open()
        print(sorted(runtime.service_availability()))
        runtime.close()
    """))
    assert core.returncode == 0, core.stderr
    assert "certificate" in core.stdout and "traffic" in core.stdout
