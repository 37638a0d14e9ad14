"""DOCX with python-docx, the same structure as the PDF: A4, margins 20/20/30/15 mm, Times
New Roman (East-Asian and complex-script font attributes set too, so Word never falls back
to another font for Vietnamese), the two-column heading table, the blocks, the signature
blocks and "Nơi nhận". Secretariats edit this version before signing."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_UNDERLINE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..charts import to_png
from ..layout import Chart, Heading, Issue, OfficialDocument, PageBreak, Paragraph, Table

FONT = "Times New Roman"
CONTENT_WIDTH_MM = 210 - 30 - 15
PPR_AFTER_BORDER = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _set_fonts(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), "vi-VN")


def _setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    # Page numbers top centre, not on the first page (Decree 30, appendix I).
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    header._p.append(field)


def _paragraph(
    container,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: str = "center",
    space_after: float = 0,
    space_before: float = 0,
    indent: bool = False,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(space_before)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        run.italic = italic
        if underline:
            run.underline = WD_UNDERLINE.SINGLE
        if size:
            run.font.size = Pt(size)
    return paragraph


def _rule(container, width_mm: float, column_mm: float, space_after: float = 4) -> None:
    """A short centred horizontal line: an empty paragraph with a top border, indented."""
    paragraph = container.add_paragraph()
    side = max((column_mm - width_mm) / 2, 0)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    # The schema orders pPr's children: the border goes before spacing, indents, alignment.
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *PPR_AFTER_BORDER)


def _first_paragraph(cell):
    """A cell starts with one empty paragraph: use it, then add the next ones."""
    paragraph = cell.paragraphs[0]
    paragraph._p.getparent().remove(paragraph._p)
    return cell


def _widths(table, widths_mm: list[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            cell.width = Mm(widths_mm[index])


def _letterhead(doc, document: OfficialDocument, issue: Issue) -> None:
    head = document.letterhead
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left_mm, right_mm = CONTENT_WIDTH_MM * 0.4, CONTENT_WIDTH_MM * 0.6
    _widths(table, [left_mm, right_mm])
    left, right = (_first_paragraph(cell) for cell in table.rows[0].cells)
    if head.superior_body:
        _paragraph(left, head.superior_body, size=12.5)
    _paragraph(left, head.issuing_body, size=12.5, bold=True)
    if head.party:
        _paragraph(left, "*", space_after=2)
    else:
        _rule(left, left_mm * 0.35, left_mm - 4)
    _paragraph(left, issue.number_line(head.party), size=13)
    if head.party:
        _paragraph(right, "ĐẢNG CỘNG SẢN VIỆT NAM", size=14, bold=True, underline=True)
    else:
        _paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
        _paragraph(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, underline=True)
    _paragraph(right, issue.date_line, size=13, italic=True, space_before=8)


def _heading(doc, document: OfficialDocument) -> None:
    _paragraph(doc, document.title, size=14, bold=True, space_before=12)
    for line in document.subject:
        _paragraph(doc, line, size=14, bold=True)
    _rule(doc, CONTENT_WIDTH_MM * 0.3, CONTENT_WIDTH_MM, space_after=8)
    if document.stamp:
        _paragraph(doc, document.stamp, size=12, bold=True, italic=True, space_after=8)
    if document.addressee:
        _paragraph(doc, document.addressee, size=14, space_after=10)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _no_split(row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def _column_widths(block: Table) -> list[float]:
    fixed = sum(c.width for c in block.columns)
    free = [c for c in block.columns if not c.width]
    rest = max(100 - fixed, 0) / len(free) if free else 0
    percents = [c.width or rest for c in block.columns]
    total = sum(percents) or 1
    return [CONTENT_WIDTH_MM * p / total for p in percents]


def _cell_text(cell, text: str, *, align: str, bold: bool = False, size: float = 11.5) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = ALIGN.get(align, WD_ALIGN_PARAGRAPH.LEFT)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _table(doc, block: Table) -> None:
    if block.caption:
        _paragraph(doc, block.caption, size=12, italic=True, align="left", space_before=4)
    table = doc.add_table(rows=1 + max(len(block.rows), 1), cols=len(block.columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, _column_widths(block))
    header = table.rows[0]
    _repeat_header(header)
    for cell, column in zip(header.cells, block.columns, strict=True):
        _cell_text(cell, column.label, align="center", bold=True)
    if not block.rows:
        merged = table.rows[1].cells[0].merge(table.rows[1].cells[-1])
        _cell_text(merged, "—", align="center")
    for row, data in zip(table.rows[1:], block.rows, strict=False):
        _no_split(row)
        for index, cell in enumerate(row.cells):
            text = data.cells[index] if index < len(data.cells) else ""
            _cell_text(cell, text, align=block.columns[index].align, bold=data.bold)
    _paragraph(doc, "", space_after=4)
    if block.note:
        _paragraph(doc, block.note, size=11, italic=True, align="left", space_after=6)


def _chart(doc, block: Chart) -> None:
    doc.add_picture(io.BytesIO(to_png(block)), width=Mm(CONTENT_WIDTH_MM - 5))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(doc, f"Biểu đồ: {block.title}", size=12, italic=True, space_after=8)


def _blocks(doc, document: OfficialDocument) -> None:
    for block in document.blocks:
        if isinstance(block, Heading):
            paragraph = _paragraph(
                doc, block.text, bold=True, align="left", space_before=8, space_after=6
            )
            paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            _paragraph(
                doc,
                block.text,
                bold=block.bold,
                italic=block.italic,
                align=block.align,
                indent=block.indent,
                space_after=6,
            )
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Chart):
            _chart(doc, block)
        elif isinstance(block, PageBreak):
            doc.add_page_break()


def _signature(cell, signature) -> None:
    for line in signature.lines:
        _paragraph(cell, line, size=13, bold=True)
    _paragraph(cell, "", space_after=60)
    if signature.name:
        _paragraph(cell, signature.name, size=13, bold=True)
    if signature.note:
        _paragraph(cell, signature.note, size=12)


def _recipients(container, lines: list[str]) -> None:
    _paragraph(container, "Nơi nhận:", size=12, bold=True, italic=True, align="left")
    for line in lines:
        _paragraph(container, line, size=11, align="left")


def _footer(doc, document: OfficialDocument) -> None:
    _paragraph(doc, "", space_after=6)
    if document.single_signature:
        table = doc.add_table(rows=1, cols=2)
        _widths(table, [CONTENT_WIDTH_MM * 0.45, CONTENT_WIDTH_MM * 0.55])
        left, right = (_first_paragraph(cell) for cell in table.rows[0].cells)
        if document.recipients:
            _recipients(left, document.recipients)
        else:
            _paragraph(left, "")
        _signature(right, document.signatures[0])
        _no_split(table.rows[0])
        return
    per_row = max(document.signatures_per_row, 1)
    for signatures in document.signature_rows:
        table = doc.add_table(rows=1, cols=per_row)
        _widths(table, [CONTENT_WIDTH_MM / per_row] * per_row)
        _no_split(table.rows[0])
        for cell, signature in zip(table.rows[0].cells, signatures, strict=False):
            _signature(_first_paragraph(cell), signature)
        for cell in table.rows[0].cells[len(signatures) :]:
            if not cell.paragraphs:
                cell.add_paragraph()
        _paragraph(doc, "", space_after=6)
    if document.recipients:
        _recipients(doc, document.recipients)


def render_docx(*, document: OfficialDocument, issue: Issue) -> bytes:
    doc = Document()
    _setup(doc)
    doc.core_properties.title = document.file_title
    doc.core_properties.author = document.letterhead.issuing_body
    doc.core_properties.language = "vi-VN"
    _letterhead(doc, document, issue)
    _heading(doc, document)
    _blocks(doc, document)
    _footer(doc, document)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
