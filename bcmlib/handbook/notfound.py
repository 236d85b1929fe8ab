"""The 404 page as it opens from a share: MkDocs renders it with every link from the server's root.

The 404 page is a template, not a page, so MkDocs gives it the root (`/`) as its base: from a NAS share
(file://) or a versioned folder (`/latest/`) every link and script of it then points at nothing. It sits
at the site's top, beside index.html, so links relative to its own folder work wherever the site is.
"""

from __future__ import annotations

import re

__all__ = ["relative_404"]

_ROOTED = re.compile(r'(\b(?:href|src)=")/(?!/)')
"""An attribute that starts at the server's root, and not a protocol-relative `//host` address."""
_CONFIG = re.compile(r'(?P<key>"(?:base|search)":\s*")/(?!/)')
"""The theme's configuration of the page: the site's base, and the search worker's address. MkDocs
writes JSON with spaces after colons, Zensical without."""


def relative_404(html: str) -> str:
    """The 404 page's links, scripts and Material's configuration made relative to the page."""
    html = _ROOTED.sub(r"\1./", html)
    return _CONFIG.sub(lambda found: found["key"] + ("." if found["key"].startswith('"base"') else ""), html)
