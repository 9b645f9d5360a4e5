"""Site benchmarks: build times, what the Adam page costs a reader, Lighthouse scores.

Prints numbers, asserts nothing (the goals of issue 4 are printed next to them):

1. Build, in a copy of the work tree in a temporary folder (the real _build is left alone):
   a clean build of both editions (goal <= 60 s), a no-op rebuild (goal <= 3 s), and a rebuild
   after editing one paragraph of prose in docs/adam.md, with whether any notebook was
   re-executed (jupyter-cache records; goal: none); then a second clean build in another
   folder, compared file by file with the first (reproducible builds).
2. Page weight of the Adam page of each edition, as Chromium loads it from a loopback server:
   every response's bytes, its gzip size (text types; what a static host sends), requests,
   JavaScript bytes, and whether any JavaScript is there for math (goal: <= 300 KB gzipped in
   total, 0 KB of math JavaScript).
3. Lighthouse 12.2.3 (npm, package-lock.json), mobile and desktop presets, for every page of
   both editions, served gzipped like a static host (GitHub Pages, Read the Docs): per page and
   preset the best of three runs, with its score, FCP, LCP, TBT, CLS, DOM size, bytes and the
   load average (goals of issue 16: mobile >= 95, desktop 100, the other categories 100).

Run with ``make bench-site`` (builds the site first).  Options: --skip-build (no timed builds,
measure the existing _build/html), --skip-lighthouse, --details (every response of a page),
--pages adam.html ko/index.html ... (a page of both editions, or of one) and --preset mobile to
narrow Lighthouse down (all pages, both presets and three runs take about 15 s a run, some 70
minutes; one run of every page and preset about 25 minutes).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from book_editions import LANGS
from site_harness import CHROMIUM_ARGS, chromium_path, launch, serve

SITE = ROOT / "_build" / "html"
PAGE = "adam.html"
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"


# --- 1. builds ----------------------------------------------------------------------------


def copy_work_tree(dest: Path) -> None:
    """Tracked and untracked (not ignored) files; .venv and node_modules linked, not copied."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for raw in filter(None, listed):
        rel = raw.decode()
        if rel.startswith("docs/generated/") or not (ROOT / rel).is_file():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
    for name in (".venv", "node_modules"):
        (dest / name).symlink_to(ROOT / name)


def make_html(tree: Path) -> float:
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}
    start = time.perf_counter()
    subprocess.run(
        ["make", "--no-print-directory", "html"],
        cwd=tree,
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def cache_records(tree: Path) -> set[tuple[str, int, str]]:
    from jupyter_cache import get_cache  # noqa: PLC0415

    records = set()
    for lang in LANGS:
        path = tree / "_build" / ".jupyter_cache" / lang
        if path.exists():
            for record in get_cache(path).list_cache_records():
                records.add((lang, record.pk, str(record.created)))
    return records


def notebook_times(tree: Path) -> None:
    """Execution time of every notebook in each edition (jupyter-cache's records)."""
    from jupyter_cache import get_cache  # noqa: PLC0415

    times: dict[str, dict[str, float]] = {}
    for lang in LANGS:
        path = tree / "_build" / ".jupyter_cache" / lang
        if path.exists():
            for record in get_cache(path).list_cache_records():
                name = Path(record.uri).stem
                times.setdefault(name, {})[lang] = record.data.get("execution_seconds", 0.0)
    print(f"  notebook execution, s ({' / '.join(LANGS)}; goal <= 20 s each):")
    for name, by_lang in sorted(times.items()):
        cells = " / ".join(f"{by_lang.get(lang, float('nan')):5.1f}" for lang in LANGS)
        print(f"    {name:24s} {cells}")
    total = sum(sum(v.values()) for v in times.values())
    print(f"    {'all notebooks':24s} {total:5.1f} s in all")


def chapter_weights(site: Path) -> None:
    """Each chapter page as a first visit loads it, without the shared theme files: its HTML
    (gzip) and one variant of each figure (the wide light PNG; a phone or dark mode loads
    another variant of about the same size)."""
    import re  # noqa: PLC0415

    print("== Chapter pages: HTML (gzip) + figures, one variant each, KB ==")
    for lang in LANGS:
        root = site / lang
        for html in sorted(root.glob("*.html")):
            text = html.read_text(encoding="utf-8")
            if "_images/" not in text:
                continue
            images = set(re.findall(r'<img[^>]+src="(_images/[^"]+)"', text))
            light = {src for src in images if "-dark" not in src and "-narrow" not in src}
            figure_bytes = sum((root / src).stat().st_size for src in light)
            page = len(gzip.compress(text.encode(), compresslevel=6, mtime=0))
            total = (page + figure_bytes) / 1024
            print(
                f"  {lang} {html.stem:24s} html {page / 1024:6.1f}  figures {figure_bytes / 1024:6.1f}"
                f" ({len(light)})  total {total:6.1f}   goal <= 400"
            )
    print()


def edit_one_paragraph(tree: Path) -> str:
    """Append a sentence to the first plain prose paragraph of docs/adam.md."""
    path = tree / "docs" / "adam.md"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    fence = None
    in_front_matter = lines[0].strip() == "---"
    for i, line in enumerate(lines):
        stripped = line.strip()
        if in_front_matter:
            in_front_matter = not (i > 0 and stripped == "---")
            continue
        if stripped.startswith(("```", ":::", "$$")):
            marker = stripped[:3]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence or not stripped or not stripped[0].isalpha():
            continue
        if i + 1 < len(lines) and not lines[i + 1].strip():
            lines[i] = line.rstrip("\n") + " This sentence was added by the benchmark.\n"
            path.write_text("".join(lines), encoding="utf-8")
            return f"docs/adam.md line {i + 1}"
    msg = "no prose paragraph found in docs/adam.md"
    raise RuntimeError(msg)


def bench_builds(*, reproducible: bool) -> None:
    print("== Build (a copy of the work tree in a temporary folder) ==")
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        tree = Path(tmp)
        copy_work_tree(tree)
        clean = make_html(tree)
        print(f"clean build, both editions (notebooks executed): {clean:6.1f} s   goal <= 240 s")
        notebook_times(tree)
        first = Path(tmp + "-first")
        shutil.copytree(tree / "_build" / "html", first)
        noop = make_html(tree)
        print(f"no-op rebuild:                                   {noop:6.1f} s   goal <= 3 s")
        before = cache_records(tree)
        where = edit_one_paragraph(tree)
        prose = make_html(tree)
        after = cache_records(tree)
        executed = sorted(after - before)
        print(f"rebuild after a prose edit ({where}):  {prose:6.1f} s")
        verdict = "none (jupyter-cache hit)" if not executed else f"{len(executed)}: {executed}"
        print(f"notebooks re-executed by the prose edit: {verdict}   goal: none")
    if reproducible:
        compare_clean_builds(first)
    shutil.rmtree(first, ignore_errors=True)
    print()


def compare_clean_builds(first: Path) -> None:
    """A second clean build, in another folder, compared byte for byte with the first."""
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        tree = Path(tmp)
        copy_work_tree(tree)
        make_html(tree)
        second = tree / "_build" / "html"
        names = {p.relative_to(first) for p in first.rglob("*") if p.is_file()}
        names |= {p.relative_to(second) for p in second.rglob("*") if p.is_file()}
        differ = sorted(
            str(name)
            for name in names
            if not (first / name).is_file()
            or not (second / name).is_file()
            or (first / name).read_bytes() != (second / name).read_bytes()
        )
    # .buildinfo holds a hash of the configuration, whose paths are absolute: two folders.
    other = [name for name in differ if not name.endswith(".buildinfo")]
    figures = sum(1 for name in names if str(name).endswith(".png"))
    verdict = "byte-identical" if not other else f"{len(other)} files differ: {other[:10]}"
    print(
        f"two clean builds (two folders), {len(names)} files incl. {figures} PNGs: {verdict}"
        + (" (.buildinfo aside: config hash of absolute paths)" if len(differ) > len(other) else "")
    )


# --- 2. page weight -------------------------------------------------------------------------


def compressed_size(body: bytes, content_type: str) -> int:
    if content_type.startswith(TEXT_TYPES):
        return len(gzip.compress(body, compresslevel=6, mtime=0))
    return len(body)  # PNG, WOFF2: already compressed, served as they are


def page_weight(browser, base_url: str, lang: str, *, details: bool) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))  # noqa: PLW0108  (playwright wraps the handler: no bound builtins)
    page.goto(f"{base_url}{lang}/{PAGE}", wait_until="load")
    page.wait_for_load_state("networkidle")
    rows = []
    for response in responses:
        body = response.body() if response.status < 300 else b""
        ctype = (response.headers.get("content-type") or "").split(";")[0]
        rows.append(
            {
                "url": response.url.removeprefix(base_url),
                "type": response.request.resource_type,
                "ctype": ctype,
                "raw": len(body),
                "gz": compressed_size(body, ctype),
            }
        )
    context.close()
    total_raw = sum(r["raw"] for r in rows)
    total_gz = sum(r["gz"] for r in rows)
    scripts = [r for r in rows if r["type"] == "script"]
    math_js = [r for r in scripts if "katex" in r["url"].lower() or "mathjax" in r["url"].lower()]
    print(
        f"{lang}/{PAGE}: {len(rows)} requests, {total_raw / 1024:7.1f} KB raw, "
        f"{total_gz / 1024:6.1f} KB gzipped (goal <= 300 KB); JavaScript "
        f"{sum(r['raw'] for r in scripts) / 1024:.1f} KB raw / "
        f"{sum(r['gz'] for r in scripts) / 1024:.1f} KB gzipped in {len(scripts)} files; "
        f"math JavaScript {sum(r['raw'] for r in math_js) / 1024:.1f} KB (goal 0)"
    )
    by_type: dict[str, list[int]] = {}
    for r in rows:
        acc = by_type.setdefault(r["type"], [0, 0, 0])
        acc[0] += 1
        acc[1] += r["raw"]
        acc[2] += r["gz"]
    for kind, (n, raw, gz) in sorted(by_type.items(), key=lambda kv: -kv[1][2]):
        print(
            f"    {kind:<11} {n:3d} requests {raw / 1024:8.1f} KB raw {gz / 1024:7.1f} KB gzipped"
        )
    if details:
        for r in sorted(rows, key=lambda r: -r["gz"]):
            print(f"      {r['gz'] / 1024:7.1f} KB gz {r['raw'] / 1024:8.1f} KB  {r['url']}")
    return {"requests": len(rows), "raw": total_raw, "gz": total_gz}


def bench_weight(site: Path, *, details: bool) -> None:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    print("== Page weight (Chromium, loopback server, empty cache) ==")
    with serve(site) as base_url, sync_playwright() as playwright:
        browser = launch(playwright)
        for lang in LANGS:
            page_weight(browser, base_url, lang, details=details)
        browser.close()
    print()


# --- 3. Lighthouse ---------------------------------------------------------------------------

PRESETS = ("mobile", "desktop")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Lighthouse's mobile preset is its default configuration (simulated slow 4G, 4x CPU slowdown,
# a 412 px wide phone); the desktop preset is --preset=desktop.
PRESET_FLAGS = {"mobile": [], "desktop": ["--preset=desktop"]}


def chapter_pages(site: Path) -> list[str]:
    """The book's pages in an edition (every top-level page except the index and search)."""
    skip = {"genindex.html", "search.html", "404.html"}
    return sorted(p.name for p in (site / LANGS[0]).glob("*.html") if p.name not in skip)


def lighthouse_once(url: str, report: Path, preset: str) -> dict:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    env = {**os.environ, "CHROME_PATH": chromium_path() or "/usr/bin/chromium"}
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            *PRESET_FLAGS[preset],
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={flags}",
            "--quiet",
        ],
        check=True,
        env=env,
    )
    return json.loads(report.read_text())


def lighthouse_row(data: dict) -> dict:
    audits = data["audits"]
    row = {key: round(100 * (data["categories"][key]["score"] or 0)) for key in CATEGORIES}
    for name, audit in (
        ("fcp", "first-contentful-paint"),
        ("lcp", "largest-contentful-paint"),
        ("tbt", "total-blocking-time"),
        ("cls", "cumulative-layout-shift"),
        ("dom", "dom-size"),
        ("bytes", "total-byte-weight"),
    ):
        row[name] = audits[audit]["numericValue"]
    row["flagged"] = {
        f"{category['id']}: {audits[ref['id']]['id']}"
        for category in data["categories"].values()
        if category["id"] != "performance"
        for ref in category["auditRefs"]
        if ref.get("weight", 0) > 0 and audits[ref["id"]]["score"] not in (None, 1)
    }
    return row


def _editions(pages: list[str]) -> list[tuple[str, str]]:
    """(edition, page) pairs: ``adam.html`` in both editions, ``ko/adam.html`` in one.

    >>> _editions(["adam.html", "ko/index.html"])
    [('en', 'adam.html'), ('ko', 'adam.html'), ('ko', 'index.html')]
    """
    wanted = []  # (the one edition asked for, or None for both; the page)
    for page in pages:
        lang, _, rest = page.partition("/")
        wanted.append((lang, rest) if lang in LANGS and rest else (None, page))
    return [(lang, page) for lang in LANGS for only, page in wanted if only in (None, lang)]


def bench_lighthouse(site: Path, runs: int, pages: list[str], presets: tuple[str, ...]) -> None:
    """Every page of both editions, each preset: the best of ``runs`` runs by performance score.

    Lighthouse simulates a slow phone from what it measures on this machine (its CPU tasks are
    scaled, not replayed): a busy machine gives lower scores, so the load average is printed
    with each row, and the best run is the one least disturbed.
    """
    print(
        f"== Lighthouse 12.2.3, best of {runs} runs per page and preset, served gzipped like a "
        "static host =="
    )
    if not LIGHTHOUSE.exists():
        print("lighthouse is not installed: run `npm ci`")
        return
    print(
        "goals: mobile performance >= 95, desktop 100; accessibility, best practices, SEO 100;"
        " Adam chapter on mobile: LCP <= 2.5 s, TBT <= 200 ms, CLS <= 0.1"
    )
    header = (
        f"{'page':32s} {'preset':7s} {'perf':>4s} {'runs':>9s} {'FCP s':>6s} {'LCP s':>6s}"
        f" {'TBT ms':>6s} {'CLS':>5s} {'DOM':>6s} {'KB':>6s}  a11y/bp/seo  load"
    )
    print(header)
    with serve(site, compress=True) as base_url, tempfile.TemporaryDirectory() as tmp:
        for lang, page in _editions(pages):
            for preset in presets:
                rows = []
                for run in range(runs):
                    load = os.getloadavg()[0]
                    report = Path(tmp) / f"{lang}-{preset}-{run}.json"
                    data = lighthouse_once(f"{base_url}{lang}/{page}", report, preset)
                    rows.append({**lighthouse_row(data), "load": load})
                best = max(rows, key=lambda r: (r["performance"], -r["tbt"]))
                scores = "/".join(str(r["performance"]) for r in rows)
                others = "/".join(str(min(r[key] for r in rows)) for key in CATEGORIES[1:])
                print(
                    f"{lang + '/' + page:32s} {preset:7s} {best['performance']:4d} {scores:>9s}"
                    f" {best['fcp'] / 1000:6.2f} {best['lcp'] / 1000:6.2f} {best['tbt']:6.0f}"
                    f" {best['cls']:5.3f} {best['dom']:6.0f} {best['bytes'] / 1024:6.0f}"
                    f"  {others:11s}  {best['load']:.1f}",
                    flush=True,
                )
                for line in sorted(set().union(*(r["flagged"] for r in rows))):
                    print(f"    below 1 in some run: {line}")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-build", action="store_true", help="no timed builds")
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument(
        "--skip-reproducible", action="store_true", help="no second clean build to compare"
    )
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="best of N per page")
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="PAGE",
        help="pages for Lighthouse: adam.html (both editions) or ko/adam.html (default: all)",
    )
    parser.add_argument(
        "--preset", choices=PRESETS, action="append", help="mobile, desktop (default: both)"
    )
    parser.add_argument("--details", action="store_true", help="list every response")
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (_build/html)")
    args = parser.parse_args()
    if chromium_path() is None:
        print("No Chromium: `make system-deps` installs one, or names the command for this system")
        return 1
    if not args.skip_build:
        bench_builds(reproducible=not args.skip_reproducible)
    chapter_weights(args.site)
    bench_weight(args.site, details=args.details)
    if not args.skip_lighthouse:
        pages = args.pages or chapter_pages(args.site)
        presets = tuple(args.preset or PRESETS)
        bench_lighthouse(args.site, args.lighthouse_runs, pages, presets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
