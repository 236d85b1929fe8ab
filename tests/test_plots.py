"""The KPI trend plots: SVG of numbers only, a gap where a year has no value, the target dashed."""

from __future__ import annotations

import re
import subprocess
import sys
from xml.etree import ElementTree

from bcmlib.handbook.plots import trend_svg

SVG = "{http://www.w3.org/2000/svg}"


def _drawing(points: list[tuple[int, float | None]], target: float) -> ElementTree.Element:
    return ElementTree.fromstring(str(trend_svg(points, target)))


def _ticks(svg: ElementTree.Element) -> dict[str, float]:
    """The height of each percentage on the axis, by its label, read from the drawing's tick marks."""
    labels = [t.text or "" for t in svg.iter(f"{SVG}text") if (t.text or "").endswith("%")]
    marks = [
        float(line.get("y1", ""))
        for line in svg.iter(f"{SVG}line")
        if line.get("y1") == line.get("y2") and not line.get("stroke-dasharray")
    ]
    return dict(zip(labels, marks, strict=True))


def test_a_year_without_a_value_is_a_gap_in_the_line() -> None:
    svg = _drawing([(2023, 50.0), (2024, None), (2025, 60.0), (2026, 70.0), (2027, None)], 90)
    lines = [line.get("points", "").split() for line in svg.iter(f"{SVG}polyline")]
    assert [len(points) for points in lines] == [2]  # 2025–2026; 2023 stands alone, as a dot
    assert len(list(svg.iter(f"{SVG}circle"))) == 3
    years = [t.text for t in svg.iter(f"{SVG}text") if not (t.text or "").endswith("%")]
    assert years == ["2023", "2024", "2025", "2026", "2027"]


def test_the_target_is_dashed_at_its_height() -> None:
    for target, label in ((100, "100%"), (40, "40%"), (0, "0%")):
        svg = _drawing([(2025, 10.0), (2026, 20.0)], target)
        (dashed,) = [line for line in svg.iter(f"{SVG}line") if line.get("stroke-dasharray")]
        assert float(dashed.get("y1", "")) == float(dashed.get("y2", "")) == _ticks(svg)[label]


def test_a_value_is_drawn_at_its_height() -> None:
    svg = _drawing([(2026, 80.0)], 90)
    (dot,) = svg.iter(f"{SVG}circle")
    assert float(dot.get("cy", "")) == _ticks(svg)["80%"]


def test_the_plot_holds_numbers_and_shapes_only() -> None:
    svg = _drawing([(2024, 0.0), (2025, None), (2026, 100.0)], 95)
    texts = [t.text or "" for t in svg.iter(f"{SVG}text")]
    assert texts
    assert all(re.fullmatch(r"\d+%?", text) for text in texts)
    tags = {element.tag.removeprefix(SVG) for element in svg.iter()}
    assert tags <= {"svg", "g", "path", "line", "polyline", "circle", "text"}
    assert not [name for element in svg.iter() for name in element.attrib if name.startswith("on")]
    assert not [value for element in svg.iter() for value in element.attrib.values() if "url(" in value]


def test_drawing_a_plot_imports_no_plotting_library() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from bcmlib.handbook.plots import trend_svg; trend_svg([(2026, 50.0)], 90);"
            " print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'numpy', 'PIL'}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"
