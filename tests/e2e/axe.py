"""axe-core in the browser tests: run it on the page shown, fail on critical or serious violations.

axe-core comes from the npm registry at the version package-lock.json pins (``make test-tools``,
``npm ci``; node_modules/ is not committed). The app's Content-Security-Policy allows no inline
script, so axe is not added as a <script> element: its source is evaluated through the DevTools
protocol (``page.evaluate``), which the policy does not govern, and the page is checked as served.
"""

from pathlib import Path

import pytest

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("critical", "serious")

_RUN_AXE = """async () => {
  const results = await window.axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}"""


def axe_violations(page):
    """The critical and serious axe violations on ``page`` now, as dicts (id, impact, help, targets)."""
    if not AXE_SOURCE.exists():
        pytest.fail(f"axe-core is not installed ({AXE_SOURCE}): run `make test-tools` (npm ci)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {AXE_SOURCE.read_text(encoding='utf-8')}\n}}")
        # axe.min.js defines window.axe when it finds no module system.
    return [violation for violation in page.evaluate(_RUN_AXE) if violation["impact"] in FAILING_IMPACTS]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} — {len(violation['targets'])}×")
        lines += [f"    {target}" for target in violation["targets"][:8]]
        if len(violation["targets"]) > 8:
            lines.append(f"    … and {len(violation['targets']) - 8} more")
    return "\n".join(lines)


def assert_accessible(page, where=""):
    """Fail when axe finds a critical or serious violation on ``page``, listing each with its elements."""
    violations = axe_violations(page)
    count = sum(len(violation["targets"]) for violation in violations)
    assert not violations, f"axe: {count} critical/serious element(s) on {where or page.url}:\n{describe(violations)}"
