"""axe-core in the page: the WCAG 2.2 AA rules, run on whatever the page shows now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
GRAVE = {"critical", "serious"}


def axe_violations(page) -> list[dict[str, Any]]:
    """The critical and serious violations on the page, each with a few of its nodes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' '"
        " + n.html.slice(0, 160) + ' :: ' + n.failureSummary)})))",
        TAGS,
    )
    return [v for v in found if v["impact"] in GRAVE]


def summary(found: dict[str, list[dict[str, Any]]]) -> str:
    """One line per page and rule, with the nodes that break it: readable in a failure."""
    lines = []
    for path, violations in found.items():
        for v in violations:
            lines.append(f"{path} {v['impact']} {v['id']}: {v['help']}")
            lines.extend(f"    {node}" for node in v["nodes"])
    return "\n".join(lines)
