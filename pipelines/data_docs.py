"""Great Expectations' Data Docs, readable offline.

GX's pages load Bootstrap, jQuery, bootstrap-table, Font Awesome and Vega
from CDNs, and a script from a CDN builds the index's list of validation
results, so without a network the pages are unstyled and that list is empty.
The same files, pinned in ``pipelines/data_docs_assets/package.json`` and installed
by ``make install`` (npm), are copied into the site and every page is pointed
at them. An address a page loads by itself (a script, style, image or CSS
``url()``) that is not in the maps fails the build loudly, so a Great
Expectations upgrade that adds one is seen.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from nba_warehouse.project import project_root

PACKAGES = Path("pipelines") / "data_docs_assets" / "node_modules"
VENDOR = Path("static") / "vendor"
# What Great Expectations 1.24's templates load, and the same file in the pinned npm packages.
CDN = {
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/build/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite/build/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed/build/vega-embed.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "@fortawesome/fontawesome-free/css/all.min.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js/dist/umd/popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/dist/js/bootstrap.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table/dist/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table/dist/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
    # GX asks for the filter-control styles of 1.19.0 beside the 1.19.1 scripts; the pinned 1.19.1 styles serve both.
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "@forevolve/bootstrap-dark/dist/css/bootstrap-prefers-dark.css",
}  # fmt: skip
# Font Awesome's stylesheet loads its fonts from ../webfonts.
FOLDERS = ("@fortawesome/fontawesome-free/webfonts",)
# GX's logo, fetched from its web-assets bucket with the data context's id in the query: the copy GX writes into the site
# serves instead (the dark-mode logo has no local copy; the light one stands in).
GX_IMAGES = {
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png": "static/images/logo-long.png",
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png": "static/images/logo-long.png",
}
# Resources a page loads by itself: scripts, styles, images and CSS url()s; plain links to other sites stay.
_RESOURCE = re.compile(r"""(<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*"|url\(')(https?://[^"']+)(["'])""", re.IGNORECASE)
_SUBRESOURCE = re.compile(r'\s(?:integrity|crossorigin)="[^"]*"')


class AssetsMissing(FileNotFoundError):
    """The pinned npm packages are not installed."""


class UnknownAsset(ValueError):
    """A page loads an address this module does not serve locally."""


def docs_index(root: Path) -> Path:
    """The Data Docs index of the Great Expectations project under the warehouse folder ``root``."""
    return root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def packages() -> Path:
    found = project_root() / PACKAGES
    if not found.is_dir():
        raise AssetsMissing(f"{found} is missing: run `make install` (it installs the Data Docs assets with npm)")
    return found


def _copy_assets(site: Path, source: Path) -> None:
    """Copied on every build (a few MB), so a site follows the pinned versions when they change."""
    vendor = site / VENDOR
    for relative in CDN.values():
        (vendor / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, vendor / relative)
    for relative in FOLDERS:
        shutil.copytree(source / relative, vendor / relative, dirs_exist_ok=True)


def _site_path(address: str) -> str | None:
    """Where the site keeps a copy of ``address``, relative to the site; None when it keeps none."""
    if address in CDN:
        return (VENDOR / CDN[address]).as_posix()
    return GX_IMAGES.get(address.split("?")[0])


def _offline(html: str, page: Path, site: Path) -> str:
    def local(match: re.Match[str]) -> str:
        opening, address, closing = match.groups()
        path = _site_path(address)
        if path is None:
            raise UnknownAsset(f"{page}: loads {address}, which pipelines/data_docs.py does not serve offline: add it to CDN")
        return f"{opening}{os.path.relpath(site / path, page.parent)}{closing}"

    html = _RESOURCE.sub(local, html)
    return re.sub(r"<(?:script|link)\b[^>]*>", lambda tag: _SUBRESOURCE.sub("", tag[0]), html)


def localise(site: Path) -> int:
    """Point every page of the Data Docs site at local copies of its assets; returns the pages changed."""
    _copy_assets(site, packages())
    changed = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "://" not in html:
            continue
        local = _offline(html, page, site)
        if local != html:
            page.write_text(local, encoding="utf-8")
            changed += 1
    return changed
