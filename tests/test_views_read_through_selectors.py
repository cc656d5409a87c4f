"""Views do not build querysets: every read a page shows lives once, in its room's selectors (issue 16).

The rule, checked on the syntax tree of every views module (``<app>/views.py``, ``<app>/views/*.py``,
``core/notification_views.py``, ``hamdeli/views.py``):

- no model manager: an attribute named ``objects`` (``Order.objects``, ``self.model.objects``) is a finding;
- no queryset-building call: a call of a method named filter, exclude, annotate, aggregate, select_related,
  prefetch_related, order_by, values, values_list, only or defer, on anything (a manager, a related manager such as
  ``user.provinces``, a queryset a selector returned) is a finding.

One exception, by the call's shape rather than by file: ``.values()`` with no argument is the dict method
(``groups.values()``, ``form.errors.values()``); a queryset's ``.values()`` without fields would only repeat its
rows as dicts, which no page needs, so a view never has a reason to call it.

Passing a selector's queryset to ``get_object_or_404`` or to a paginator, or calling ``.get``/``.first``/
``.count``/``.exists`` on it, is reading, not building, and stays allowed. Writes belong to services, which are
not views modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
APPS = ["core", "workshops", "orders", "production", "fulfilment", "donors", "payouts", "reports", "hamdeli"]
QUERYSET_BUILDERS = frozenset(
    {
        "filter",
        "exclude",
        "annotate",
        "aggregate",
        "select_related",
        "prefetch_related",
        "order_by",
        "values",
        "values_list",
        "only",
        "defer",
    }
)


def views_modules() -> list[Path]:
    paths: set[Path] = set()
    for app in APPS:
        paths.update((PROJECT / app).glob("views.py"))
        paths.update((PROJECT / app / "views").glob("*.py"))
    paths.add(PROJECT / "core" / "notification_views.py")
    return sorted(path for path in paths if path.exists())


def findings(path: Path, root: Path = PROJECT) -> list[str]:
    where = path.relative_to(root).as_posix()
    found = []
    nodes = sorted(ast.walk(ast.parse(path.read_text(encoding="utf-8"))), key=lambda node: getattr(node, "lineno", 0))
    for node in nodes:
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"{where}:{node.lineno}: {ast.unparse(node)} (a model manager)")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method not in QUERYSET_BUILDERS:
                continue
            if method == "values" and not node.args and not node.keywords:
                continue  # dict.values(), see the module docstring
            found.append(f"{where}:{node.lineno}: .{method}() on {ast.unparse(node.func.value)} (builds a queryset)")
    return found


def test_the_scan_covers_every_views_module():
    names = {path.relative_to(PROJECT).as_posix() for path in views_modules()}
    assert {"core/views.py", "core/notification_views.py", "hamdeli/views.py", "orders/views.py"} <= names
    assert {"donors/views/coordinator.py", "fulfilment/views/sheets.py", "production/views/allocation.py"} <= names
    assert len(names) >= 20


def test_the_rule_catches_what_it_names(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text(
        "def view(request, groups):\n"
        "    a = Order.objects.get(pk=1)\n"
        "    b = request.user.provinces.values_list('code', flat=True)\n"
        "    c = selector(request.user).annotate(n=Count('x')).order_by('n')\n"
        "    d = list(groups.values())\n",
        encoding="utf-8",
    )
    found = findings(sample, root=tmp_path)
    assert [line.split(":")[1] for line in found] == ["2", "3", "4", "4"], found


def test_views_read_through_selectors():
    found = [finding for path in views_modules() for finding in findings(path)]
    assert not found, "Views build querysets; move each read into the room's selectors:\n" + "\n".join(found)
