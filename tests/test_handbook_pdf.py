"""The printed handbook: the PDFs the build writes, read back as a reader's PDF viewer would."""

import math
import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import pypdf
import pypdfium2  # type: ignore[import-untyped]
import pytest
from bs4 import Tag
from weasyprint import HTML  # type: ignore[import-untyped]

from bcmlib import Plan, clock
from bcmlib.handbook.build import ADMIN_BINDER, BINDER, Handbook, prepare_handbook, print_jobs
from bcmlib.handbook.pages import HandbookPage, page_title
from bcmlib.handbook.printing import relink
from tests.conftest import PLAN_DIR, REPO_URL
from tests.handbook_site import RECOVERY_STEPS, ROOT, build, copy_project, page


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
    for pdf in [
        site / BINDER,
        site / ADMIN_BINDER,
        site / "wallet-card.pdf",
        site / "runbooks/people/wang-jing.pdf",
    ]:
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


@pytest.fixture(scope="module")
def handbook() -> Handbook:
    """The company's handbook as the `site` fixture builds it, for what its binders should hold."""
    return prepare_handbook(PLAN_DIR, clock.today())


def _outline(pdf: Path) -> list[str]:
    """The titles of the PDF's top-level bookmarks: the cover's, then each page's first heading."""
    return [_flat(str(entry.title)) for entry in pypdf.PdfReader(pdf).outline if not isinstance(entry, list)]


def _titles(pages: list[HandbookPage]) -> list[str]:
    return [_flat(page_title(page.markdown)) for page in pages]


def test_the_crisis_binder_holds_the_crisis_pages_then_the_runbooks_then_the_card(
    site: Path, handbook: Handbook
) -> None:
    pages = _text(site / BINDER)
    assert "目录" in pages[0]
    outline = _outline(site / BINDER)
    assert outline[0] == "SOP-19业务连续性管理程序（合订本）"
    crisis = [page for page in handbook.pages if page.part == "crisis" and page.label]
    people = [page for page in handbook.pages if page.runbook and page.path.startswith("runbooks/people/")]
    card = handbook.page("wallet-card.md")
    assert card is not None
    # In menu order; each person's runbook once; the card last, to cut out.
    expected = [*_titles([page for page in crisis if page is not card]), *_titles(people), *_titles([card])]
    assert outline[1:] == expected
    assert len(people) == len(handbook.plan.people)
    for title in _titles(handbook.admin_binder()):
        assert title not in outline
    whole = "".join(pages)
    assert "计划健康检查" not in whole
    assert "风险登记册" not in whole


def test_the_admin_binder_holds_the_coordinator_s_pages_and_the_diagram(
    site: Path, handbook: Handbook, company_plan: Plan
) -> None:
    pages = _text(site / ADMIN_BINDER)
    assert "目录" in pages[0]
    outline = _outline(site / ADMIN_BINDER)
    assert outline[0] == "SOP-19业务连续性管理程序（协调员合订本）"
    assert outline[1:] == _titles(handbook.admin_binder())
    for title in ["管理看板", "计划健康检查", "BCM组织与备援", "事件处置流程", "风险登记册"]:
        assert title in outline
    assert not set(outline[1:]) & set(_titles(handbook.binder()))
    whole = "".join(pages)
    for role in company_plan.roles:
        assert _flat(role.name) in whole
    # The contents give each page's sheet: 事件处置流程 starts on the page the contents name.
    listed = re.search(r"事件处置流程\.*(\d+)", pages[0])
    assert listed is not None
    flow = pages[int(listed.group(1)) - 1]
    assert flow.startswith("事件处置流程")
    assert "确认危机与级别" in flow  # the workflow diagram, drawn as SVG, prints as text on its sheet


def test_the_plan_health_page_links_the_admin_binder(site: Path) -> None:
    links = page(site, "plan-health.html").select("a.bcm-print-link")
    assert [str(link["href"]) for link in links] == [ADMIN_BINDER]
    assert links[0].get_text() == "协调员合订本打印版（PDF）"
    assert (site / ADMIN_BINDER).is_file()


def test_no_table_row_is_cut_across_two_sheets(site: Path, handbook: Handbook) -> None:
    # The binders' print documents again, from the built pages' content, laid out to find each row's sheets.
    contents = {
        generated.path: "".join(str(child) for child in _article(site, generated.path).children)
        for generated in handbook.pages
    }
    binders = [job for job in print_jobs(handbook, contents, site) if job.pdf.name in (BINDER, ADMIN_BINDER)]
    layouts = [HTML(string=binder.html).render() for binder in binders]
    assert len(layouts) == 2
    assert sum(len(layout.pages) for layout in layouts) > 20
    body = {row: value for layout in layouts for row, value in _sheets_of_rows(layout, header=False).items()}
    assert len(body) > 100
    assert [text for text, sheets in body.values() if len(sheets) > 1] == []
    # A header row is repeated on each sheet a long table runs over, on purpose.
    headers = [value for layout in layouts for value in _sheets_of_rows(layout, header=True).values()]
    assert any(len(sheets) > 1 for _, sheets in headers)


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
    assert text.index("BCM总指挥：KC") < text.index("→Charles") < text.index("BCM副指挥：Robert")


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


def _links(pdf: Path) -> tuple[list[str], list[str], set[str]]:
    """The PDF's link addresses, its links' destinations within it, and the destinations it has."""
    reader = pypdf.PdfReader(pdf)
    addresses, jumps = [], []
    for sheet in reader.pages:
        for annotation in sheet.get("/Annots") or []:
            link = annotation.get_object()
            if "/Dest" in link:
                jumps.append(str(link["/Dest"]))
            else:
                addresses.append(str(link["/A"]["/URI"]))
    return addresses, jumps, set(reader.named_destinations)


@pytest.mark.parametrize("built", ["site", "stepped_site"])
def test_no_pdf_link_points_at_the_build_machine(request: pytest.FixtureRequest, built: str) -> None:
    site: Path = request.getfixturevalue(built)
    pdfs = sorted(site.rglob("*.pdf"))
    assert len(pdfs) > 2
    relative = 0
    for pdf in pdfs:
        addresses, jumps, destinations = _links(pdf)
        for address in addresses:
            assert not address.startswith("file:"), (pdf, address)
            assert str(site) not in address, (pdf, address)
            assert str(ROOT) not in address, (pdf, address)
            # Out of a PDF only to a phone, a mailbox or the repository's edit pages.
            leaves = urlsplit(address).scheme not in ("", "tel", "mailto")
            assert not leaves or address.startswith(REPO_URL), (pdf, address)
            if not urlsplit(address).scheme:
                # Relative to the PDF, to a page of the site beside it.
                relative += 1
                assert (pdf.parent / unquote(urlsplit(address).path)).is_file(), (pdf, address)
        assert set(jumps) <= destinations, pdf
    assert relative > 50


def test_a_binder_links_its_own_pages_within_itself(site: Path, handbook: Handbook) -> None:
    for name, pages in [(BINDER, handbook.binder()), (ADMIN_BINDER, handbook.admin_binder())]:
        addresses, jumps, _ = _links(site / name)
        inside = {PurePosixPath(page.path).with_suffix(".html").as_posix() for page in pages}
        assert [address for address in addresses if urlsplit(address).path in inside] == [], name
        # More than the contents' one link to each page: the pages' links to each other.
        assert len(jumps) > len(pages), name
    # A runbook's own PDF links its roles' runbooks beside it, as its page does.
    addresses, _, _ = _links(site / "runbooks/people/kc.pdf")
    assert "../roles/bcm-commander.html" in addresses


def test_relink_sends_a_binder_s_pages_within_it_and_the_others_beside_it() -> None:
    body = (
        '<a href="../../processes.html#x">p</a> <a class="y" href="../roles/a%20b.html?q=1#f">r</a> '
        '<a href="mailto:kc@example.com">m</a> <a href="#top">t</a> <svg><use xlink:href="#m1"/></svg>'
    )
    linked = relink(body, "runbooks/people/kc.html", "handbook.pdf", {"processes.html": "page-3"})
    assert linked == (
        '<a href="#page-3">p</a> <a class="y" href="runbooks/roles/a%20b.html?q=1#f">r</a> '
        '<a href="mailto:kc@example.com">m</a> <a href="#top">t</a> <svg><use xlink:href="#m1"/></svg>'
    )
    alone = relink(body, "runbooks/people/kc.html", "runbooks/people/kc.pdf", {})
    assert '<a href="../../processes.html#x">' in alone
    assert '<a class="y" href="../roles/a%20b.html?q=1#f">' in alone


def _font_sizes(pdf: Path) -> list[tuple[float, str]]:
    """Each run of text the PDF draws, with its size in points on the sheet."""
    runs: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            runs.append((size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]), text))

    for sheet in pypdf.PdfReader(pdf).pages:
        sheet.extract_text(visitor_text=visit)
    return runs


def _assert_one_card(pdf: Path) -> None:
    """A7, one sheet (both sides), and no text under 8 pt."""
    reader = pypdf.PdfReader(pdf)
    assert 1 <= len(reader.pages) <= 2, len(reader.pages)
    for sheet in reader.pages:
        width, height = (float(value) * 25.4 / 72 for value in sheet.mediabox[2:])
        assert (round(width), round(height)) == (74, 105)
    runs = _font_sizes(pdf)
    assert len(runs) > 10
    assert [(round(size, 2), text) for size, text in runs if size < 7.99] == []


def test_the_wallet_card_is_one_a7_sheet_in_8_pt_or_more(site: Path) -> None:
    _assert_one_card(site / "wallet-card.pdf")


def _many_numbers(files: dict[str, dict[str, Any]]) -> None:
    """Give everyone two mobiles, a landline and a mailbox (invented), as a filled-in SOP-28 list would."""
    for number, person in enumerate(files["people.yaml"]["people"]):
        person["contacts"] = [
            {"channel": "mobile", "value": f"+86 138 0013 {number:04d}", "personal": True},
            {"channel": "mobile", "value": f"+86 139 0013 {number:04d}", "personal": True},
            {"channel": "landline", "value": f"+86 21 6088 {number:04d}", "personal": False},
            {"channel": "email", "value": f"{person['id']}@example.com", "personal": False},
        ]


def test_the_wallet_card_still_fits_one_sheet_with_every_number(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", _many_numbers)
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    card = tmp_path / "site" / "wallet-card.pdf"
    assert "+8613800130000" in "".join(_text(card))
    _assert_one_card(card)
