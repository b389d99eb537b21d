"""Charts where python-pptx has no API: alt text on the graphic frame, positive axis ids, no
chart-area fill, the value axis of a top-to-bottom bar chart, a point without its label,
scatter charts' labels, a reproducible workbook, and the x values of a scatter chart read
back."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from lxml import etree
from pptx.oxml.ns import nsdecls

from ....colors import digits
from .base import Element, qn
from .shapes import set_alt_text

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
FIRST_AXIS_ID = 500000001  # python-pptx writes negative ids, which the schema forbids


def finish(graphic: Any, alt: str, when: dt.datetime) -> None:
    """What every chart needs after python-pptx has drawn it."""
    set_alt_text(graphic, alt)
    space = graphic.chart._chartSpace
    _positive_axis_ids(space)
    _no_fill(space)
    _date_workbook(graphic.chart, when)


def _positive_axis_ids(space: Element) -> None:
    """`c:axId` is an xsd:unsignedInt: renumber python-pptx's negative ids, consistently."""
    ids: dict[str, str] = {}
    for el in space.iter(qn("c:axId"), qn("c:crossAx")):
        old = el.get("val")
        ids.setdefault(old, str(FIRST_AXIS_ID + len(ids)))
        el.set("val", ids[old])


def _no_fill(space: Element) -> None:
    """No fill and no outline on the chart and plot areas: the slide's background shows
    through, so a dark theme's chart is dark too."""
    chart = space.find(qn("c:chart"))
    chart.addnext(_empty_shape_properties())
    plot_area = chart.find(qn("c:plotArea"))
    ext = plot_area.find(qn("c:extLst"))
    shape = _empty_shape_properties()
    if ext is not None:
        ext.addprevious(shape)
    else:
        plot_area.append(shape)


def _empty_shape_properties() -> Element:
    sp_pr = etree.Element(qn("c:spPr"))
    etree.SubElement(sp_pr, qn("a:noFill"))
    line = etree.SubElement(sp_pr, qn("a:ln"))
    etree.SubElement(line, qn("a:noFill"))
    return sp_pr


def value_axis_at_bottom(chart: Any) -> None:
    """A bar chart read top to bottom reverses its category axis, which moves the value
    axis to the top; it crosses at the last category instead, which is now the bottom."""
    for crosses in chart._chartSpace.iter(qn("c:valAx")):
        el = crosses.find(qn("c:crosses"))
        if el is not None:
            el.set("val", "max")


def hide_label(series: Any, point: int) -> None:
    """No data label on one point of a series whose other points have one."""
    labels = series._element.find(qn("c:dLbls"))
    label = etree.Element(qn("c:dLbl"))
    etree.SubElement(label, qn("c:idx"), val=str(point))
    etree.SubElement(label, qn("c:delete"), val="1")
    labels.insert(0, label)  # dLbl elements come first in c:dLbls


def scatter_labels(series: Any, number_format: str, size: float, color: str) -> None:
    """Values beside a scatter series' points: python-pptx has data labels for category
    charts only."""
    labels: Element = etree.fromstring(
        f'<c:dLbls {nsdecls("c", "a")}><c:numFmt formatCode="" sourceLinked="0"/>'
        "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr><c:txPr><a:bodyPr/>"
        f'<a:lstStyle/><a:p><a:pPr><a:defRPr sz="{round(size * 100)}"><a:solidFill>'
        f'<a:srgbClr val="{digits(color)}"/></a:solidFill></a:defRPr></a:pPr>'
        '<a:endParaRPr lang="en-US"/></a:p></c:txPr><c:dLblPos val="r"/>'
        '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
        '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
        "</c:dLbls>"
    )
    labels.find(qn("c:numFmt")).set("formatCode", number_format)
    ser = series._element
    following = next(
        (ser.find(qn(f"c:{n}")) for n in ("trendline", "errBars", "xVal", "yVal")
         if ser.find(qn(f"c:{n}")) is not None),
        None,
    )  # fmt: skip
    if following is not None:
        following.addprevious(labels)
    else:
        ser.append(labels)


def _date_workbook(chart: Any, when: dt.datetime) -> None:
    """XlsxWriter dates the embedded workbook with the wall clock: date it `when`, and zip
    it with fixed entry times, so two builds give the same bytes."""
    workbook = chart.part.chart_workbook
    blob = workbook.xlsx_part.blob
    workbook.update_from_xlsx_blob(normalized_workbook(blob, when))


def normalized_workbook(blob: bytes, when: dt.datetime) -> bytes:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":
                data = _DATES.sub(lambda m: m.group(1) + stamp + m.group(3), data)
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, data)
    return out.getvalue()


def x_values(series: Any) -> list[float | None]:
    """A scatter series' x values as stored in the chart part (python-pptx reads only y)."""
    points: dict[int, float] = {}
    count = 0
    for x_val in series._element.iter(qn("c:xVal")):
        for pt_count in x_val.iter(qn("c:ptCount")):
            count = int(pt_count.get("val"))
        for pt in x_val.iter(qn("c:pt")):
            points[int(pt.get("idx"))] = float(pt.findtext(qn("c:v")))
    return [points.get(i) for i in range(count)]
