"""The handbook's MkDocs hook: the library's, loaded by path from mkdocs.yml's `hooks:`."""

from bcmlib.handbook.mkdocs_hook import *  # noqa: F403
