"""Every list page at a laptop (1366×768) and a tablet (820×1180) width: the header cells of
each table never overlap, at 1366 px every titled column is visible without scrolling, and at
820 px a table wider than its card scrolls with a visible scrollbar. Screenshots of each page
go to a temporary directory (named in the failure message)."""

from __future__ import annotations

import pytest

from tests.browser.test_shell import _login

pytestmark = pytest.mark.browser

# (who may open it, path) for every list page of the side menu.
PAGES = {
    "buyer": [
        "/requisitions",
        "/approvals",
        "/inbox",
        "/sourcing",
        "/purchase-orders",
        "/rfqs",
        "/suppliers",
        "/items",
        "/projects",
        "/inventory",
    ],
    "storekeeper": ["/receipts", "/storage-locations"],
    "accountant": ["/invoices", "/reports/ap-aging"],
    "admin": ["/admin/users", "/admin/departments", "/audit", "/admin/imports"],
}

# Per table: its box, its scroll area, and each titled header cell's box and clipping.
MEASURE = """
() => [...document.querySelectorAll('.el-table')].filter((t) => t.offsetParent !== null)
  .map((table) => {
    const box = table.getBoundingClientRect()
    const wrap = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap')
      || table.querySelector('.el-table__body-wrapper')
    const bar = table.querySelector('.el-scrollbar__bar.is-horizontal')
    const thumb = bar && bar.querySelector('.el-scrollbar__thumb')
    const cells = [...table.querySelectorAll('.el-table__header-wrapper th.el-table__cell')]
      .filter((th) => th.getBoundingClientRect().width > 0)
      .map((th) => {
        const r = th.getBoundingClientRect()
        const cell = th.querySelector('.cell')
        return {
          text: th.innerText.trim(),
          left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          clipped: cell ? cell.scrollWidth > cell.clientWidth + 1 : false,
        }
      })
    return {
      left: box.left, right: box.right,
      scrolls: wrap ? wrap.scrollWidth > wrap.clientWidth + 1 : false,
      barShown: !!(bar && thumb && getComputedStyle(bar).opacity !== '0'
        && getComputedStyle(bar).display !== 'none' && thumb.getBoundingClientRect().width > 0),
      cells,
    }
  })
"""


def _overlaps(cells: list[dict]) -> list[str]:
    found = []
    for i, a in enumerate(cells):
        for b in cells[i + 1 :]:
            across = min(a["right"], b["right"]) - max(a["left"], b["left"])
            down = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if across > 1 and down > 1:
                found.append(f"{a['text'] or '(blank)'} × {b['text'] or '(blank)'}")
    return found


def _problems(tables: list[dict], width: int) -> list[str]:
    problems = []
    for table in tables:
        problems += [f"overlap {pair}" for pair in _overlaps(table["cells"])]
        titled = [c for c in table["cells"] if c["text"]]
        problems += [f"header '{c['text']}' cut" for c in titled if c["clipped"]]
        if width >= 1366:
            hidden = [c["text"] for c in titled if c["right"] > table["right"] + 1]
            problems += [f"column '{t}' off screen" for t in hidden]
        elif table["scrolls"] and not table["barShown"]:
            problems.append("scrolls sideways with no visible scrollbar")
    return problems


@pytest.mark.parametrize("width,height", [(1366, 768), (820, 1180)])
def test_every_list_page_fits_or_scrolls_visibly(
    browser, live_server, users, tmp_path, width, height
):
    found: dict[str, list[str]] = {}
    measured = 0
    for username, paths in PAGES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        _login(page, live_server, username)
        page.wait_for_selector("[data-test=welcome], [data-test=kpis]")
        for path in paths:
            page.goto(f"{live_server}{path}")
            page.wait_for_selector(".el-table__header-wrapper th", state="attached", timeout=15_000)
            page.wait_for_load_state("networkidle")
            shot = tmp_path / f"{width}{path.replace('/', '-')}.png"
            page.screenshot(path=str(shot), full_page=True)
            tables = page.evaluate(MEASURE)
            measured += len(tables)
            problems = _problems(tables, width)
            if problems:
                found[path] = problems
        context.close()
    assert measured >= sum(len(p) for p in PAGES.values())
    assert found == {}, f"{found}; screenshots in {tmp_path}"
