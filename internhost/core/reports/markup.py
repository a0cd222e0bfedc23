"""THE escaping helper for user text going into a ReportLab ``Paragraph``.

``Paragraph`` text is markup, not text. Unescaped user strings go wrong quietly
(TOOLING.md): ``x<y and y>z`` renders as ``xz``, ``AT&T`` as ``AT&T;``,
``<link href=…>`` adds a link, ``<img src="/local/file"/>`` embeds a local file
into the PDF, and ``<para>`` raises mid-build. Every user string therefore goes
through :func:`esc`; markup our own code writes around it stays possible::

    Paragraph("<b>Name:</b> " + esc(intern.name), style)
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from internhost.core.reports.fonts import FALLBACK, font_runs

# C0 controls except \t and \n, DEL, C1 controls: invisible in a report, drawn as
# "missing glyph" boxes or rejected by the parser. Lone surrogates cannot be encoded.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_ENTITIES = {'"': "&quot;", "'": "&#39;"}


def clean(text: object) -> str:
    """User value → plain text fit to draw: None is "", line ends are \\n, controls go."""
    if text is None:
        return ""
    plain = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _SURROGATES.sub("\ufffd", _CONTROLS.sub("", plain))


def esc(text: object, bold: bool = False) -> str:
    """Escape a user value for ``Paragraph`` markup, switching to the CJK font per run.

    ``bold`` wraps the result in ``<b>`` and picks glyph coverage from the bold face.
    Newlines become ``<br/>``.
    """
    parts = [_run_markup(font, chars) for font, chars in font_runs(clean(text), bold)]
    body = "".join(parts)
    return f"<b>{body}</b>" if bold and body else body


def _run_markup(font: str, chars: str) -> str:
    body = escape(chars, _ENTITIES).replace("\n", "<br/>")
    return f'<font name="{FALLBACK}">{body}</font>' if font == FALLBACK else body
