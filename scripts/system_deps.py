#!/usr/bin/env python3
"""What `make test` needs from the system: found, installed on Debian/Ubuntu, or named.

Run by `make system-deps` (a prerequisite of `make test`, and so of `.ci/run`), on the system
Python before `.venv` exists: standard library only. It checks, in this order:

- Node.js >= 20 with npm (a prerequisite in the README: never installed here);
- Python's `venv` (Debian ships `ensurepip` apart, in `python3.X-venv`);
- a Chromium for the browser tests: $CHROMIUM_PATH, else the first of CHROMIUM_NAMES on PATH
  (tools/site_harness.py imports `chromium_path` from here, so both look in one place);
- a font that draws Korean (`fc-list :lang=ko`), which Chromium needs for the Korean edition.

When everything is there it prints one line and installs nothing (no `apt-get update` either).
When something is missing and `apt-get` is on PATH, it runs `apt-get update` and
`apt-get install` for what is missing: directly as root, else through `sudo -n` (passwordless
sudo only: it never asks for a password). Otherwise, or when that fails, it exits 1 with one
line naming the command for this system (apt-get, dnf, brew, or CHROMIUM_PATH).
"""

from __future__ import annotations

import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Where `brew install --cask google-chrome` (or chromium) puts the browser: not on PATH.
MACOS_APPS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
NODE_MAJOR = 20
PREFIX = "system-deps:"


def chromium_path() -> str | None:
    """The Chromium to drive: $CHROMIUM_PATH (only it, when set), else the first one found."""
    env = os.environ.get("CHROMIUM_PATH")
    if env:
        return env if Path(env).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((app for app in MACOS_APPS if Path(app).is_file()), None)


def korean_font() -> str | None:
    """A font family that covers Hangul, as fontconfig (and so Chromium on Linux) sees it."""
    if platform.system() == "Darwin":
        return "Apple SD Gothic Neo"  # part of macOS; Chrome there draws through Core Text
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    out = subprocess.run(
        [fc_list, ":lang=ko", "family"], capture_output=True, text=True, check=False
    ).stdout
    families = sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})
    # Prefer the Korean cut of the family the README names, for a stable report line.
    families.sort(key=lambda f: ("Noto Sans CJK KR" not in f, "Noto Sans CJK" not in f, f))
    return families[0] if families else None


def node_version() -> tuple[str | None, str | None]:
    """``node --version``, and why Node.js >= 20 with npm is not usable (None when it is)."""
    node = shutil.which("node")
    if node is None:
        return None, "no `node` on PATH"
    out = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    version = out.stdout.strip()
    match = re.fullmatch(r"v(\d+)\..*", version)
    if match is None or int(match.group(1)) < NODE_MAJOR:
        return version, f"`node --version` prints {version or 'nothing'}"
    if shutil.which("npm") is None:
        return version, "no `npm` on PATH"
    return version, None


def missing() -> dict[str, list[str]]:
    """What the tests lack from the system, each with the Debian packages that provide it."""
    lacking = {}
    if importlib.util.find_spec("ensurepip") is None:  # Debian: `python3 -m venv` fails
        lacking["Python's venv (ensurepip)"] = [f"python3.{sys.version_info.minor}-venv"]
    if chromium_path() is None:
        lacking["Chromium"] = ["chromium"]
    if korean_font() is None:
        lacking["a font for Korean"] = ["fonts-noto-cjk", "fontconfig"]
    return lacking


def is_root() -> bool:
    """Whether installing needs no sudo (asks `id -u`, so a test can answer in its place)."""
    id_ = shutil.which("id")
    if id_ is None:
        return os.geteuid() == 0
    out = subprocess.run([id_, "-u"], capture_output=True, text=True, check=False)
    return out.stdout.strip() == "0"


def how_to_install(lacking: dict[str, list[str]]) -> str:
    """What installs ``lacking`` on this system: one command where there is one."""
    if shutil.which("apt-get"):  # Debian, Ubuntu
        packages = " ".join(p for pkgs in lacking.values() for p in pkgs)
        return f"run `{'' if is_root() else 'sudo '}apt-get install {packages}`"
    if shutil.which("dnf") and "Python's venv (ensurepip)" not in lacking:  # Fedora
        fedora = {"Chromium": "chromium", "a font for Korean": "google-noto-sans-cjk-fonts"}
        return f"run `sudo dnf install {' '.join(fedora[k] for k in lacking)}`"
    if platform.system() == "Darwin" and list(lacking) == ["Chromium"]:
        return "run `brew install --cask google-chrome`"
    steps = []
    if "Python's venv (ensurepip)" in lacking:
        steps.append("use a Python whose `python3 -m venv` works")
    if "Chromium" in lacking:
        steps.append("install Chromium or Chrome and set CHROMIUM_PATH=/path/to/chromium")
    if "a font for Korean" in lacking:
        steps.append("install a font that covers Hangul (e.g. Noto Sans CJK)")
    return " and ".join(steps)


def apt_install(packages: list[str]) -> bool:
    """``apt-get update`` and ``install`` as root, else through ``sudo -n``; False if neither."""
    apt_get = shutil.which("apt-get")
    sudo = shutil.which("sudo")
    if is_root():
        prefix = []
    elif (
        sudo
        and subprocess.run([sudo, "-n", "true"], check=False, capture_output=True).returncode == 0
    ):
        prefix = [sudo, "-n", "env", "DEBIAN_FRONTEND=noninteractive"]
    else:
        return False  # not root, and no sudo that works without a password
    print(f"{PREFIX} installing {' '.join(packages)} with apt-get", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for args in (
        ["update", "-qq"],
        ["install", "-y", "-qq", "--no-install-recommends", *packages],
    ):
        done = subprocess.run(
            [*prefix, apt_get, *args], check=False, env=env, capture_output=True, text=True
        )
        if done.returncode != 0:  # show apt's own reason above the one-line message
            print((done.stdout + done.stderr).strip(), file=sys.stderr)
            return False
    return True


def fail(message: str) -> int:
    print(f"{PREFIX} {message}", file=sys.stderr)
    return 1


def main() -> int:
    version, problem = node_version()
    if problem:
        return fail(
            f"make test needs Node.js >= {NODE_MAJOR} with npm ({problem}): install it, "
            "then run make test again"
        )
    env_path = os.environ.get("CHROMIUM_PATH")
    if env_path and not Path(env_path).is_file():
        return fail(
            f"CHROMIUM_PATH={env_path} is not a file: point it at a Chromium or Chrome binary, "
            "or unset it"
        )
    lacking = missing()
    if lacking and shutil.which("apt-get"):
        apt_install([p for pkgs in lacking.values() for p in pkgs])
        lacking = missing()
    if lacking:
        return fail(
            f"missing {', '.join(lacking)}: {how_to_install(lacking)}, then make test again"
        )
    print(f"{PREFIX} Chromium {chromium_path()}, {korean_font()}, Node.js {version}: all there")
    return 0


if __name__ == "__main__":
    sys.exit(main())
