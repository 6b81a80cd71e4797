"""Node packages the tests run (the graphql-http audit, the OpenID provider): installed once per
run with ``npm ci`` from a folder's pinned lock file, only when node_modules differs from it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest


def tool(name: str, purpose: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not on the PATH: {purpose} needs node and npm")
    return path


def installed_matches_lock(folder: Path, packages: tuple[str, ...]) -> bool:
    lock = json.loads((folder / "package-lock.json").read_text())
    for package in packages:
        manifest = folder / "node_modules" / package / "package.json"
        if not manifest.is_file():
            return False
        wanted = lock["packages"][f"node_modules/{package}"]["version"]
        if json.loads(manifest.read_text())["version"] != wanted:
            return False
    return True


def ensure_node_packages(folder: Path, packages: tuple[str, ...], purpose: str) -> str:
    """``node``, with ``folder``'s locked packages installed (skips without node and npm)."""
    node, npm = tool("node", purpose), tool("npm", purpose)
    if not installed_matches_lock(folder, packages):
        done = subprocess.run([npm, "ci", "--prefix", str(folder), "--no-audit", "--no-fund",
                               "--ignore-scripts"], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"npm ci failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        assert installed_matches_lock(folder, packages), "npm ci did not install the locked versions"
    return node
