"""The printed handbook: the PDFs the build writes, read back as a reader's PDF viewer would."""

import re
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2  # type: ignore[import-untyped]
import pytest
from bs4 import Tag
from weasyprint import HTML  # type: ignore[import-untyped]

from bcmlib import Plan, clock
from bcmlib.handbook.build import BINDER, prepare_handbook, print_jobs
from tests.conftest import PLAN_DIR
from tests.handbook_site import RECOVERY_STEPS, ROOT, page


def _text(pdf: Path) -> list[str]:
    """Each page's text, with the line breaks and spaces of the layout taken out.

    The font draws · and • with one glyph, so the text read back may give either.
    """
    return ["".join(sheet.extract_text().split()).replace("•", "·") for sheet in pypdf.PdfReader(pdf).pages]


def _flat(text: str) -> str:
    return "".join(text.split())


def test_each_role_pdf_holds_its_duties_and_backups(site: Path, company_plan: Plan) -> None:
    for role in company_plan.roles:
        text = "".join(_text(site / "runbooks" / "roles" / f"{role.id}.pdf"))
        assert _flat(role.name) in text
        for duty in role.duties:
            assert _flat(duty) in text, (role.id, duty)
        for person in company_plan.holders(role):
            assert _flat(company_plan.person(person).name) in text, (role.id, person)


def test_each_person_pdf_fits_one_or_two_pages(site: Path, company_plan: Plan) -> None:
    for person in company_plan.people:
        pages = _text(site / "runbooks" / "people" / f"{person.id}.pdf")
        assert 1 <= len(pages) <= 2, person.id
        assert _flat(f"我是{person.name}：出事时我做什么") in pages[0]
    for role in company_plan.roles:
        assert 1 <= len(_text(site / "runbooks" / "roles" / f"{role.id}.pdf")) <= 2, role.id


def test_every_printed_page_has_version_approval_and_page_n_of_m(site: Path) -> None:
    for pdf in [site / BINDER, site / "wallet-card.pdf", site / "runbooks/people/wang-jing.pdf"]:
        pages = _text(pdf)
        for number, text in enumerate(pages, start=1):
            assert "SOP-19业务连续性管理程序·版本v2（2026-04-29）·审批未签核" in text, (pdf, number)
            assert f"第{number}页/共{len(pages)}页" in text, (pdf, number)


def test_chinese_is_set_in_an_embedded_cjk_font(site: Path) -> None:
    reader = pypdf.PdfReader(site / "runbooks/people/wang-jing.pdf")
    fonts = {
        str(font.get_object()["/BaseFont"])
        for sheet in reader.pages
        for font in sheet["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert any("Noto-Sans-CJK-SC" in font for font in fonts), fonts
    assert "财务付款" in reader.pages[0].extract_text()  # real text, not outlines or Kangxi radicals


def test_a_printed_page_is_not_blank(site: Path) -> None:
    bitmap = pypdfium2.PdfDocument(site / "runbooks/people/wang-jing.pdf")[0].render(scale=1)
    image = bitmap.to_pil().convert("L")
    dark = sum(count for value, count in enumerate(image.histogram()) if value < 128)
    assert dark > 0.005 * image.width * image.height  # text covers at least half a percent of the sheet


def test_the_binder_has_contents_every_page_and_the_diagram(site: Path, company_plan: Plan) -> None:
    pages = _text(site / BINDER)
    assert "目录" in pages[0]
    whole = "".join(pages)
    for title in [
        "BCM组织与备援",
        "危机分级与上报",
        "关键业务与恢复顺序",
        "事件处置流程",
        "风险登记册",
        "计划健康检查",
    ]:
        assert title in whole
    for role in company_plan.roles:
        assert _flat(role.name) in whole
    # The contents give each page's sheet: 事件处置流程 starts on the page the contents name.
    listed = re.search(r"事件处置流程\.*(\d+)", pages[0])
    assert listed is not None
    flow = pages[int(listed.group(1)) - 1]
    assert flow.startswith("事件处置流程")
    assert "确认危机与级别" in flow  # the workflow diagram, drawn as SVG, prints as text on its sheet


def test_no_table_row_is_cut_across_two_sheets(site: Path) -> None:
    # The binder's print document again, from the built pages' content, laid out to find each row's sheets.
    handbook = prepare_handbook(PLAN_DIR, clock.today())
    contents = {
        generated.path: "".join(str(child) for child in _article(site, generated.path).children)
        for generated in handbook.pages
    }
    binder = next(job for job in print_jobs(handbook, contents, site) if job.pdf.name == BINDER)
    layout = HTML(string=binder.html, base_url=str(site) + "/").render()
    assert len(layout.pages) > 20
    body = _sheets_of_rows(layout, header=False)
    assert len(body) > 100
    assert [text for text, sheets in body.values() if len(sheets) > 1] == []
    # A header row is repeated on each sheet a long table runs over, on purpose.
    assert any(len(sheets) > 1 for _, sheets in _sheets_of_rows(layout, header=True).values())


def _sheets_of_rows(layout: Any, header: bool) -> dict[int, tuple[str, set[int]]]:
    """Each table row's text and the sheets it is laid out on, for header rows or for body rows."""
    rows: dict[int, tuple[str, set[int]]] = {}
    for number, sheet in enumerate(layout.pages):
        for group in sheet._page_box.descendants():
            if group.element_tag in ("thead", "tbody") and (group.element_tag == "thead") == header:
                for row in group.children:
                    text = " ".join("".join(row.element.itertext()).split())
                    rows.setdefault(id(row.element), (text, set()))[1].add(number)
    return rows


def _article(site: Path, path: str) -> Tag:
    article = page(site, path.removesuffix(".md") + ".html").select_one("article")
    assert article is not None
    return article


def test_each_runbook_links_its_printed_copy(site: Path) -> None:
    link = page(site, "runbooks/people/wang-jing.html").select_one("a.bcm-print-link")
    assert link is not None
    assert link.get_text() == "打印版（PDF）"
    assert (site / "runbooks/people" / str(link["href"])).is_file()
    home = page(site, "index.html").select("a.bcm-print-link")
    assert [(site / str(a["href"])).is_file() for a in home] == [True, True]


@pytest.mark.parametrize("name", ["wallet-card.pdf"])
def test_the_wallet_card_is_small_with_the_call_order(site: Path, name: str) -> None:
    reader = pypdf.PdfReader(site / name)
    width, height = (float(value) * 25.4 / 72 for value in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (74, 105)
    text = _text(site / name)[0]
    assert text.index("BCM总指挥") < text.index("KC：") < text.index("Charles：") < text.index("BCM副指挥")


def test_the_owner_s_runbook_pdfs_and_the_binder_hold_the_recovery_steps(stepped_site: Path) -> None:
    for name in ["runbooks/roles/business-warehouse.pdf", "runbooks/people/sheng-zhuanhong.pdf", BINDER]:
        text = "".join(_text(stepped_site / name))
        for steps in RECOVERY_STEPS.values():
            for step in steps:
                assert _flat(step["action"]) in text, (name, step)
        assert "业务/仓储（现由盛转红担任）" in text, name


def test_no_pdf_names_the_folders_it_was_built_in(site: Path) -> None:
    machine = [_flat(str(ROOT)), _flat(str(site))]
    pdfs = sorted(site.rglob("*.pdf"))
    assert len(pdfs) > 2
    assert [pdf for pdf in pdfs if any(name in "".join(_text(pdf)) for name in machine)] == []
