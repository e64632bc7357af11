"""How a resolution looks in Word: styles, italic opening words, spacing of replaced words, the cover page.

Owns the typography of ``docx_out`` and the cover page resdiff adds before the
resolution (no revisions, no comments here): the
paragraph styles a UN resolution is set in (Times New Roman 12, the title
bold, preambular and operative paragraphs indented on the first line), which
opening words are set in italics, and where a replaced word's space goes so
that deleted and inserted words do not print glued together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .diff import Op

COVER_STYLE = "Resdiff Note"
"""Text of the cover page resdiff adds (not part of the resolution)."""

STYLE_OF_SECTION = {
    "title": "Resolution Title",
    "heading": "Resolution Heading",
    "chapeau": "Resolution Chapeau",
    "preamble": "Resolution Preamble",
    "operative": "Resolution Operative",
    "footer": "Resolution Closing",
    "text": "Resolution Text",
}
"""The paragraph style of each section; every resolution paragraph has one of these."""

FONT = "Times New Roman"
INDENT = Cm(1.27)

# Preambular openings: "Recalling", "Recognizing also", "Deeply concerned", "Taking note",
# "Bearing in mind", "Noting with appreciation", "Having considered".
_ADVERB = r"(?:Also|Further|Furthermore|Deeply|Gravely|Seriously|Strongly|Firmly|Fully|Again|Once again)\s+"
_TAIL = (r"(?:\s+(?:also|further|furthermore|moreover|again|in\s+mind|into\s+account|note"
         r"|with\s+(?:deep\s+|grave\s+|great\s+)?(?:appreciation|satisfaction|concern|interest|regret)"
         r"|considered|examined|reviewed|heard|received))*")
_PREAMBLE = re.compile(rf"(?:{_ADVERB})*[A-Za-z][\w-]*{_TAIL}")
# Operative verbs: "Welcomes", "Also welcomes", "Calls upon", "Takes note with appreciation" (not the "of" after it).
_OPERATIVE = re.compile(
    r"(?:(?i:also|further|furthermore|again|once again|strongly|firmly|deeply|urgently|emphatically)\s+)*"
    r"[A-Za-z][a-z]*s"
    r"(?:\s+(?:note(?:\s+with\s+(?:deep\s+)?(?:appreciation|satisfaction|concern|interest))?|upon|on))?\b")


def italic_span(section: str, text: str) -> int:
    """How many leading characters of a paragraph the UN sets in italics.

    The preambular opening words, the operative verb with its modifiers, the
    chapeau's organ ("The Commission on Human Rights"); nothing elsewhere.
    """
    if section == "chapeau":
        return len(text.rstrip(" ,:"))
    pattern = {"preamble": _PREAMBLE, "operative": _OPERATIVE}.get(section)
    m = pattern.match(text) if pattern else None
    return m.end() if m else 0


def spaced(ops: Sequence[Op]) -> tuple[Op, ...]:
    """The same operations with a replacement widened to the space before (or after) it.

    "the [-eleventh-]{+twelfth+} Workshop" prints "eleventhtwelfth" in Word, and
    "([-E/1-]{+E/2+})" prints "(E/1E/2)". Moving the equal text from the last
    space before the replacement into both the deletion and the insertion
    prints "the eleventh twelfth Workshop" and "(E/1 (E/2)"; both texts stay exact.
    """
    out = [list(op) for op in ops]
    k = 0
    while k < len(out):
        end = k
        while end < len(out) and out[end][0] != 0:
            end += 1
        if end > k:
            _widen(out, k, end)
        k = end + 1
    return tuple((op, text) for op, text in out if text)


def _widen(out: list[list[Any]], k: int, end: int) -> None:
    dels = [o for o in out[k:end] if o[0] == -1]
    inss = [o for o in out[k:end] if o[0] == 1]
    if not dels or not inss or dels[-1][1][-1:].isspace() or inss[0][1][:1].isspace():
        return
    before = out[k - 1] if k else None
    after = out[end] if end < len(out) else None
    at = before[1].rfind(" ") if before else -1
    if at >= 0:
        moved, before[1] = before[1][at:], before[1][:at]
        dels[0][1], inss[0][1] = moved + dels[0][1], moved + inss[0][1]
        return
    at = after[1].find(" ") if after else -1
    if at >= 0:
        moved, after[1] = after[1][:at + 1], after[1][at + 1:]
        dels[-1][1], inss[-1][1] = dels[-1][1] + moved, inss[-1][1] + moved


# The script fonts Word uses for the resolution text, by language: Times New Roman has Arabic and
# Cyrillic; Chinese is set in SimSun (Word's own fallback on every system).
_EAST_ASIAN = {"zh": ("SimSun", "zh-CN")}
_BIDI = {"ar": "ar-SA"}


def add_styles(doc: DocxDocument, *, lang: str = "en") -> None:
    """Times New Roman 12 throughout, and one paragraph style per resolution section.

    An Arabic resolution's styles are right to left (``w:bidi``, the complex-script
    font and size); a Chinese one's East Asian font is SimSun. The cover page stays English."""
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    for name in STYLE_OF_SECTION.values():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        fmt = style.paragraph_format
        fmt.space_after = Pt(8)
        fmt.widow_control = True
        if name in ("Resolution Preamble", "Resolution Operative", "Resolution Chapeau", "Resolution Text"):
            fmt.first_line_indent = INDENT
            fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name in STYLE_OF_SECTION.values():
        _script(doc.styles[name].element, lang)
    doc.styles["Resolution Title"].font.bold = True
    for name in ("Resolution Title", "Resolution Heading", "Resolution Chapeau"):
        doc.styles[name].paragraph_format.keep_with_next = True
    doc.styles["Resolution Heading"].paragraph_format.space_after = Pt(14)
    doc.styles["Resolution Operative"].paragraph_format.tab_stops.add_tab_stop(Cm(2.2))
    doc.styles["Resolution Closing"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.styles["Resolution Closing"].paragraph_format.space_after = Pt(0)
    # python-docx's comments refer to these two styles, which its template lacks.
    reference = doc.styles.add_style("Comment Reference", WD_STYLE_TYPE.CHARACTER)
    reference.font.size = Pt(8)
    comment = doc.styles.add_style("Comment Text", WD_STYLE_TYPE.PARAGRAPH)
    comment.base_style = normal
    comment.font.size = Pt(10)
    note = doc.styles.add_style(COVER_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(10)
    note.paragraph_format.space_after = Pt(6)


def _script(style: Any, lang: str) -> None:
    """Right-to-left paragraphs for Arabic, an East Asian font for Chinese, in a paragraph style's XML
    (elements placed where the OOXML schema orders them)."""
    rpr = style.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:cs"), FONT)
    language = None
    if lang in _EAST_ASIAN:
        font, tag = _EAST_ASIAN[lang]
        fonts.set(qn("w:eastAsia"), font)
        language = OxmlElement("w:lang")
        language.set(qn("w:eastAsia"), tag)
    if lang in _BIDI:
        _insert(style.get_or_add_pPr(), OxmlElement("w:bidi"), _AFTER_BIDI)
        size = OxmlElement("w:szCs")
        size.set(qn("w:val"), "24")
        _insert(rpr, size, _AFTER_SZCS)
        # (No w:rtl in the style: validators reject it there; Word sets Arabic runs right to left by their script.)
        language = OxmlElement("w:lang")
        language.set(qn("w:bidi"), _BIDI[lang])
    if language is not None:
        _insert(rpr, language, ("eastAsianLayout", "specVanish", "oMath"))


_AFTER_BIDI = ("adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
               "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
               "sectPr", "pPrChange")
_AFTER_SZCS = ("highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
               "eastAsianLayout", "specVanish", "oMath")


def _insert(parent: Any, element: Any, successors: Sequence[str]) -> None:
    """Put ``element`` before the first child named in ``successors`` (their schema order), else last."""
    names = {qn(f"w:{name}") for name in successors}
    for child in parent:
        if child.tag in names:
            child.addprevious(element)
            return
    parent.append(element)


def write_cover(doc: DocxDocument, ctx: dict[str, Any], author: str, when: str | None, *,
                safe: Callable[[str], str]) -> None:
    """The page resdiff adds before the resolution: versions, counts, warnings, legend, generator.

    ``safe`` makes a text fit for XML (render's view model is not).
    """
    def _say(doc: DocxDocument, text: str) -> None:
        doc.add_paragraph(safe(text), style=COVER_STYLE)

    old, new = ctx["old"], ctx["new"]
    doc.add_paragraph("About this redline — not part of the resolution", style="Heading 1")
    _say(doc, f"{new.name} compared with {old.name}. This page is added by resdiff; the resolution "
              "starts on the next page. Delete this page before circulating the text.")
    drafted = old.stage or new.stage  # a stored draft is dated by its stage, not adopted
    rows = [("Given as", "name"), *([("Stage", "stage")] if drafted else []), ("Symbol", "symbol"), ("Adopted by", "body"),
            ("Dated" if drafted else "Adopted on", "date"), ("Meeting", "meeting")]
    _table(doc, safe, ["", "Old version", "New version"],
           [[label, getattr(old, key) or "—", getattr(new, key) or "—"] for label, key in rows])
    doc.add_paragraph("Summary", style="Heading 2")
    n = ctx["counts"]
    rows = [[s.capitalize(), str(n[s])] for s in [*ctx["statuses"], "moved", "renumbered"]]
    rows.append(["Routine only", str(n.get("routine", 0))])
    rows.append(["Words", f"+{n['words_inserted']} −{n['words_deleted']}"])
    if "bracketed" in n:
        rows.append(["Still bracketed", str(n["bracketed"])])
    _table(doc, safe, ["Paragraphs", "Count"], rows)
    if ctx["warnings"]:
        doc.add_paragraph("Warnings", style="Heading 2")
        for warning in ctx["warnings"]:
            _say(doc, warning)
    doc.add_paragraph("How to read it", style="Heading 2")
    _say(doc, _legend(author, when))
    _say(doc, ctx["generator"]["line"])


def _legend(author: str, when: str | None) -> str:
    dated = f", dated {when[:10]}" if when else ""
    moves = ("A paragraph that moved is a Word move, shown at its old and its new place; words edited "
             "in it are insertions and deletions inside the move." if when else
             "Moved paragraphs are marked in their comment (Word moves need a date, and none is known).")
    return (f"Every difference is a Word tracked change by “{author}”{dated}: Accept All gives the new "
            "text, Reject All the old one. resdiff's remarks on a paragraph are Word comments: its number "
            "in the old version → in the new one (“—” where there is none) and what changed. PP: preambular "
            "paragraphs, counted in order; OP: operative paragraphs, numbered as printed. Routine: only "
            f"numbers, dates, ordinals or document symbols changed (the yearly update). {moves}")


def _table(doc: DocxDocument, safe: Callable[[str], str], header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = safe(text)


def number_pages(section: Any) -> None:
    """A centred page number (Word's PAGE field) in ``section``'s own footer, counting from 1 there:
    the resolution's pages are numbered, the cover page before it is not."""
    section.footer.is_linked_to_previous = False
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"  # shown until Word or LibreOffice updates the field
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    start = OxmlElement("w:pgNumType")
    start.set(qn("w:start"), "1")
    # The schema's order of a section's properties: pgNumType comes before these.
    section._sectPr.insert_element_before(start, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                                          "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings",
                                          "w:sectPrChange")
