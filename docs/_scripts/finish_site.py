"""Finish the two-edition site: the root pages that sit above en/ and ko/.

Usage: python docs/_scripts/finish_site.py _build/html

Writes, next to the en/ and ko/ editions that Sphinx built:

* index.html  sends the reader to an edition: a tiny inline script picks Korean when the
              browser prefers it, and a meta refresh (no JavaScript needed) falls back
              to English; the page also links both editions.
* 404.html    for hosts that serve a root 404 page: links to both editions.
* sitemap.xml a sitemap index over en/sitemap.xml and ko/sitemap.xml.

The editions, their names and titles come from docs/_ext/book_editions.py (the table conf.py
reads too). The output depends only on SITE_URL, so two builds of one commit are byte-identical.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
from book_editions import (
    EDITIONS,
    ROOT_DESCRIPTION,
    ROOT_TITLE,
    published_site_url,
)

STYLE = """\
  <style>
    body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto;
           padding: 0 1rem; line-height: 1.6; color: #222; background: #fff; }
    a { color: #0a5ea8; }
    @media (prefers-color-scheme: dark) {
      body { color: #ddd; background: #14181e; } a { color: #7cb7f0; }
    }
  </style>"""

INDEX = """\
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <meta name="description" content="{description}">
  <link rel="icon" href="en/_static/favicon.svg" type="image/svg+xml">
{alternates}
  <script>
    (function () {{
      var lang = (navigator.languages && navigator.languages[0]) || navigator.language || "";
      location.replace(/^ko\\b/i.test(lang) ? "ko/index.html" : "en/index.html");
    }})();
  </script>
  <meta http-equiv="refresh" content="0; url=en/index.html">
{style}
</head>
<body>
  <main>
  <h1>{title}</h1>
  <ul>
{links}
  </ul>
  </main>
</body>
</html>
"""

NOT_FOUND = """\
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Page not found · 페이지를 찾을 수 없습니다</title>
  <link rel="icon" href="{root}en/_static/favicon.svg" type="image/svg+xml">
{style}
</head>
<body>
  <main>
  <h1>Page not found</h1>
  <p lang="ko">페이지를 찾을 수 없습니다.</p>
  <ul>
{links}
  </ul>
  </main>
</body>
</html>
"""

SITEMAP_INDEX = """\
<?xml version="1.0" encoding="utf-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{entries}
</sitemapindex>
"""


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    out = Path(argv[1])
    missing = [lang for lang in EDITIONS if not (out / lang / "index.html").is_file()]
    if missing:
        print(f"finish_site: no edition built for {missing} in {out}", file=sys.stderr)
        return 1

    url = published_site_url()
    root = urlsplit(url).path or "/"  # the 404 page is served at any depth: root-relative
    alternates = "\n".join(
        [
            f'  <link rel="alternate" hreflang="{lang}" href="{url}{lang}/index.html">'
            for lang in EDITIONS
        ]
        + [f'  <link rel="alternate" hreflang="x-default" href="{url}">']
    )

    def links(prefix: str) -> str:
        return "\n".join(
            f'    <li><a href="{prefix}{lang}/index.html" hreflang="{lang}" lang="{lang}">'
            f"{edition.name}</a></li>"
            for lang, edition in EDITIONS.items()
        )

    (out / "index.html").write_text(
        INDEX.format(
            title=ROOT_TITLE,
            description=ROOT_DESCRIPTION,
            alternates=alternates,
            style=STYLE,
            links=links(""),
        ),
        encoding="utf-8",
    )
    (out / "404.html").write_text(
        NOT_FOUND.format(style=STYLE, links=links(root), root=root), encoding="utf-8"
    )
    entries = "\n".join(
        f"  <sitemap><loc>{url}{lang}/sitemap.xml</loc></sitemap>"
        for lang in EDITIONS
        if (out / lang / "sitemap.xml").is_file()
    )
    (out / "sitemap.xml").write_text(SITEMAP_INDEX.format(entries=entries), encoding="utf-8")
    print(f"finish_site: wrote index.html, 404.html and sitemap.xml in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
