"""What an official document says, independent of its file format.

The content builders (``documents.content``) produce an ``OfficialDocument``: the
letterhead, the type and subject, a list of blocks (headings, paragraphs, tables, charts),
the signature blocks and the recipients. The renderers turn it into a PDF (WeasyPrint,
from ``templates/documents/``) or a DOCX (python-docx) with the same structure.

Everything here is plain data: ``fingerprint()`` hashes it, and that hash is the "data
version" of the document (asking again for unchanged data returns the same job).
The number and the date of issue are not part of it: they belong to the issue (``Issue``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field


@dataclass
class Letterhead:
    superior_body: str  # in capitals, e.g. HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH
    issuing_body: str  # in capitals, e.g. CỤM THI ĐUA SỐ 4
    party: bool  # Party heading (ĐẢNG CỘNG SẢN VIỆT NAM) instead of the state heading
    place: str  # the place of the date line
    symbol: str  # the issuing body's symbol in numbers, e.g. CTĐ4
    type_code: str  # e.g. BB, TTr, BC


@dataclass
class Heading:
    text: str
    kind: str = field(default="heading", init=False)


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    align: str = "justify"  # justify, center, left, right
    indent: bool = True  # first-line indent of body text
    kind: str = field(default="paragraph", init=False)


@dataclass
class Column:
    label: str
    align: str = "left"  # left, center, right
    width: int = 0  # percent of the table width; 0 shares what is left


@dataclass
class Row:
    cells: list[str]
    bold: bool = False


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row]
    caption: str = ""
    note: str = ""
    kind: str = field(default="table", init=False)


@dataclass
class Series:
    name: str
    values: list[float | None]


@dataclass
class Chart:
    """A line or bar chart over categories (years). ``invert`` puts 1 at the top (ranks)."""

    title: str
    chart_type: str  # line, bar
    categories: list[str]
    series: list[Series]
    y_label: str = ""
    invert: bool = False
    integer_axis: bool = False
    kind: str = field(default="chart", init=False)


@dataclass
class PageBreak:
    kind: str = field(default="page_break", init=False)


Block = Heading | Paragraph | Table | Chart | PageBreak


@dataclass
class Signature:
    """A signature block: the capacity lines (bold capitals), room to sign, the name."""

    lines: list[str]
    name: str = ""
    note: str = ""


@dataclass
class OfficialDocument:
    letterhead: Letterhead
    title: str  # the type in capitals: BIÊN BẢN, TỜ TRÌNH, BÁO CÁO…
    subject: list[str]  # the subject line(s), bold
    file_title: str  # for the file name: "Biên bản kiểm phiếu 2026"
    blocks: list[Block] = field(default_factory=list)
    addressee: str = ""  # "Kính gửi: …" (submissions)
    stamp: str = ""  # e.g. KẾT QUẢ TẠM THỜI, printed under the subject
    signatures: list[Signature] = field(default_factory=list)
    signatures_per_row: int = 2
    recipients: list[str] = field(default_factory=list)

    def fingerprint(self) -> str:
        """sha256 of everything the document prints except its number and date."""
        payload = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def signature_rows(self) -> list[list[Signature]]:
        size = max(self.signatures_per_row, 1)
        return [self.signatures[i : i + size] for i in range(0, len(self.signatures), size)]

    @property
    def single_signature(self) -> bool:
        """One signature: it sits right, level with "Nơi nhận" on the left (Decree 30)."""
        return len(self.signatures) == 1


@dataclass
class Issue:
    """The registration of one document: its number and symbol, and its date line."""

    number_label: str  # 01/BB-CTĐ4 (or 01-BB/CTĐ4 for the Party heading)
    date_line: str  # Hưng Yên, ngày 05 tháng 01 năm 2026

    def number_line(self, party: bool) -> str:
        return f"Số {self.number_label}" if party else f"Số: {self.number_label}"
