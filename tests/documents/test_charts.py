"""The small chart builder: Vietnamese figures, ranks upside down, escaped SVG, a PNG."""

from __future__ import annotations

from documents.charts import Dot, Label, primitives, to_png, to_svg
from documents.layout import Chart, Series


def _bar() -> Chart:
    return Chart(
        title="Số lượt học viên",
        chart_type="bar",
        categories=["2024", "2025"],
        series=[Series("Cụm", [1200.5, 3400.0])],
    )


def test_chart_labels_use_vietnamese_figures():
    texts = {item.text for item in primitives(_bar()) if isinstance(item, Label)}
    assert {"1.200,5", "3.400", "2024", "2025"} <= texts


def test_rank_chart_puts_rank_one_on_top():
    chart = Chart(
        title="Thứ hạng",
        chart_type="line",
        categories=["2024", "2025"],
        series=[Series("SCA", [1.0, 3.0])],
        invert=True,
        integer_axis=True,
    )
    first, second = [item for item in primitives(chart) if isinstance(item, Dot)][:2]
    assert first.y < second.y  # rank 1 drawn above rank 3


def test_svg_escapes_names():
    chart = Chart(
        title='A "title" <b>',
        chart_type="line",
        categories=["2024"],
        series=[Series("<script>", [1.0])],
    )
    svg = to_svg(chart)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_png_is_an_image():
    assert to_png(_bar(), scale=1).startswith(b"\x89PNG")
