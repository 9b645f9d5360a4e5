"""`make system-deps` (scripts/system_deps.py), the system part of `make test`, on fake machines.

Each test runs the script with PATH holding only fakes: `node`, `npm`, `fc-list`, `id`, and
`apt-get`, `sudo`, `dnf` that write their arguments to a log instead of installing (a fake
`apt-get install chromium` drops a fake `chromium` into the fake PATH, `fonts-noto-cjk` makes the
fake `fc-list` list a Korean font). Nothing is installed or removed on the machine running them,
and nothing reaches the network.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "system_deps.py"
INSTALL = "apt-get install -y -qq --no-install-recommends"

FAKES = {
    "node": 'echo "v20.11.1"',
    "npm": "exit 0",
    "id": 'read -r uid < "$FAKE_BIN/.uid"; echo "$uid"',
    "fc-list": '[ -e "$FAKE_BIN/.fonts" ] && echo "Noto Sans CJK KR,Noto Sans CJK KR Regular"',
    "sudo": """
[ "$1" = -n ] || exit 1  # the script must never let sudo ask for a password
shift
[ "$1" = true ] && { read -r rc < "$FAKE_BIN/.sudo_rc"; exit "$rc"; }
[ "$1" = env ] && shift 2  # env DEBIAN_FRONTEND=noninteractive
exec "$@"
""",
    "apt-get": """
[ -e "$FAKE_BIN/.apt_fails" ] && [ "$1" = install ] && { echo "E: no network"; exit 100; }
for arg; do
  case "$arg" in
    chromium) printf '#!/bin/sh\\n' > "$FAKE_BIN/chromium"; /bin/chmod +x "$FAKE_BIN/chromium";;
    fonts-noto-cjk) : > "$FAKE_BIN/.fonts";;
  esac
done
""",
    "dnf": "exit 0",
    "chromium": "exit 0",
}


class Machine:
    """A fake PATH in a temporary directory; every fake call is logged as `name args`."""

    def __init__(self, tmp: Path):
        self.bin = tmp / "bin"
        self.bin.mkdir()
        self.log = tmp / "calls.log"
        self.log.touch()
        for name in FAKES:
            self.add(name)
        self.uid(1000)
        self.sudo_works(False)
        (self.bin / ".fonts").touch()

    def add(self, name: str, body: str | None = None) -> None:
        path = self.bin / name
        body = FAKES[name] if body is None else body
        path.write_text(f'#!/bin/sh\necho "{name} $*" >> "$FAKE_LOG"\n{body}\n')
        path.chmod(0o755)

    def remove(self, *names: str) -> None:
        for name in names:
            (self.bin / name).unlink()

    def uid(self, uid: int) -> None:
        (self.bin / ".uid").write_text(str(uid))

    def sudo_works(self, works: bool) -> None:
        (self.bin / ".sudo_rc").write_text("0" if works else "1")

    def installs(self) -> list[str]:
        """The logged calls that would change the machine (not `id`, `node`, `fc-list`...)."""
        lines = self.log.read_text().splitlines()
        return [line for line in lines if line.split()[0] in {"apt-get", "sudo", "dnf"}]

    def run(self, *command: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            command or [sys.executable, str(SCRIPT)],
            cwd=ROOT,
            env={"PATH": str(self.bin), "FAKE_BIN": str(self.bin), "FAKE_LOG": str(self.log)} | env,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    """Debian with everything present, not root, no passwordless sudo; tests take pieces away."""
    return Machine(tmp_path)


def test_everything_present_installs_nothing(machine: Machine):
    done = machine.run()
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"system-deps: Chromium {machine.bin / 'chromium'}, Noto Sans CJK KR, "
        "Node.js v20.11.1: all there\n"
    )
    assert done.stderr == ""
    assert machine.installs() == []


def test_make_target_runs_the_script(machine: Machine):
    make = shutil.which("make")
    for tool in ("git", "find"):  # the Makefile's $(shell ...) lines
        (machine.bin / tool).symlink_to(shutil.which(tool))
    done = machine.run(
        make, "-s", "--no-print-directory", "system-deps", f"PYTHON={sys.executable}"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("Node.js v20.11.1: all there\n")
    assert machine.installs() == []


def test_as_root_installs_chromium_and_fonts_with_apt_get(machine: Machine):
    machine.remove("chromium")
    (machine.bin / ".fonts").unlink()
    machine.uid(0)
    done = machine.run()
    assert done.returncode == 0, done.stderr
    assert machine.installs() == [
        "apt-get update -qq",
        f"{INSTALL} chromium fonts-noto-cjk fontconfig",
    ]
    assert done.stdout.splitlines() == [
        "system-deps: installing chromium fonts-noto-cjk fontconfig with apt-get",
        (
            f"system-deps: Chromium {machine.bin / 'chromium'}, Noto Sans CJK KR, "
            "Node.js v20.11.1: all there"
        ),
    ]


def test_only_what_is_missing_is_installed(machine: Machine):
    (machine.bin / ".fonts").unlink()
    machine.uid(0)
    done = machine.run()
    assert done.returncode == 0, done.stderr
    assert machine.installs() == ["apt-get update -qq", f"{INSTALL} fonts-noto-cjk fontconfig"]


def test_not_root_goes_through_passwordless_sudo(machine: Machine):
    machine.remove("chromium")
    machine.sudo_works(True)
    done = machine.run()
    assert done.returncode == 0, done.stderr
    apt_get = machine.bin / "apt-get"
    assert machine.installs() == [
        "sudo -n true",
        f"sudo -n env DEBIAN_FRONTEND=noninteractive {apt_get} update -qq",
        "apt-get update -qq",
        f"sudo -n env DEBIAN_FRONTEND=noninteractive {apt_get} {INSTALL[8:]} chromium",
        f"{INSTALL} chromium",
    ]


def test_without_rights_one_line_names_the_sudo_command(machine: Machine):
    machine.remove("chromium")
    (machine.bin / ".fonts").unlink()
    done = machine.run()
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "system-deps: missing Chromium, a font for Korean: run "
        "`sudo apt-get install chromium fonts-noto-cjk fontconfig`, then make test again\n"
    )
    assert machine.installs() == ["sudo -n true"]  # asked whether sudo needs a password; no


def test_failed_install_shows_apt_and_names_the_command(machine: Machine):
    machine.remove("chromium")
    machine.uid(0)
    (machine.bin / ".apt_fails").touch()
    done = machine.run()
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "E: no network",
        "system-deps: missing Chromium: run `apt-get install chromium`, then make test again",
    ]


@pytest.mark.parametrize(
    ("tools", "advice"),
    [
        (["dnf"], "run `sudo dnf install chromium google-noto-sans-cjk-fonts`"),
        (
            [],
            (
                "install Chromium or Chrome and set CHROMIUM_PATH=/path/to/chromium and "
                "install a font that covers Hangul (e.g. Noto Sans CJK)"
            ),
        ),
    ],
    ids=["fedora", "elsewhere"],
)
def test_without_apt_get_one_line_names_the_command(machine: Machine, tools, advice):
    machine.remove("apt-get", "chromium", *({"dnf"} - set(tools)))
    (machine.bin / ".fonts").unlink()
    machine.uid(0)
    done = machine.run()
    assert done.returncode == 1
    assert done.stderr == (
        f"system-deps: missing Chromium, a font for Korean: {advice}, then make test again\n"
    )
    assert machine.installs() == []


def test_chromium_path_is_used_and_a_wrong_one_is_named(machine: Machine, tmp_path: Path):
    machine.remove("chromium")
    chrome = tmp_path / "chrome"
    chrome.write_text("#!/bin/sh\n")
    done = machine.run(CHROMIUM_PATH=str(chrome))
    assert (done.returncode, machine.installs()) == (0, [])
    assert done.stdout.startswith(f"system-deps: Chromium {chrome}, ")

    machine.uid(0)  # could install, but a chromium on PATH would not be the one asked for
    done = machine.run(CHROMIUM_PATH=str(tmp_path / "nowhere"))
    assert done.returncode == 1
    assert done.stderr == (
        f"system-deps: CHROMIUM_PATH={tmp_path / 'nowhere'} is not a file: point it at a "
        "Chromium or Chrome binary, or unset it\n"
    )
    assert machine.installs() == []


@pytest.mark.parametrize(
    ("node", "problem"),
    [(None, "no `node` on PATH"), ('echo "v18.19.0"', "`node --version` prints v18.19.0")],
)
def test_node_missing_or_old_is_named_not_installed(machine: Machine, node, problem):
    machine.remove("node")
    if node:
        machine.add("node", node)
    machine.uid(0)
    done = machine.run()
    assert done.returncode == 1
    assert done.stderr == (
        f"system-deps: make test needs Node.js >= 20 with npm ({problem}): install it, "
        "then run make test again\n"
    )
    assert machine.installs() == []


def test_debian_python_without_venv_gets_python3_venv(monkeypatch: pytest.MonkeyPatch):
    """Debian's python3 lacks ensurepip (so `python3 -m venv`) until python3.X-venv is in."""
    spec = importlib.util.spec_from_file_location("system_deps", SCRIPT)
    system_deps = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(system_deps)
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "ensurepip" else find_spec(name)
    )
    lacking = system_deps.missing()
    assert lacking["Python's venv (ensurepip)"] == [f"python3.{sys.version_info.minor}-venv"]
