"""Views do not build querysets: every read a page shows lives once, in its room's selectors (issue 16).

The rule, checked on the syntax tree of every views module (``<app>/views.py``, ``<app>/views/*.py``,
``core/notification_views.py``, ``hamdeli/views.py``):

- no model manager: an attribute named ``objects``, ``_default_manager`` or ``_base_manager`` (``Order.objects``,
  ``self.model.objects``) is a finding;
- no queryset-building call: a call of a method named filter, exclude, annotate, alias, aggregate, select_related,
  prefetch_related, order_by, distinct, values, values_list, only, defer, none, raw, extra or select_for_update, on
  anything (a manager, a related manager such as ``user.provinces``, a queryset a selector returned) is a finding;
- no model class handed to ``get_object_or_404`` / ``get_list_or_404`` (a capitalised name as the first argument):
  that is the manager by another name, with the view's own filters as keywords.

Two exceptions, by the call's shape rather than by file:

- ``.values()`` with no argument is the dict method (``groups.values()``, ``form.errors.values()``); a queryset's
  ``.values()`` without fields would only repeat its rows as dicts, which no page needs;
- ``.all()`` is not in the list: on a related manager of a row a selector loaded (``workshop.capacities.all()``) it
  is how the rows the selector prefetched are read, and it filters nothing.

Passing a selector's queryset to ``get_object_or_404`` or to a paginator, or calling ``.get``/``.first``/
``.count``/``.exists`` on it, is reading, not building, and stays allowed. Writes belong to services, which are
not views modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
APPS = ["core", "workshops", "orders", "production", "fulfilment", "donors", "payouts", "reports", "hamdeli"]
NOT_APPS = ["tests", "bench"]  # packages at the top level that are not apps: their views (bench's) are tooling
QUERYSET_BUILDERS = frozenset(
    {
        "filter",
        "exclude",
        "annotate",
        "alias",
        "aggregate",
        "select_related",
        "prefetch_related",
        "order_by",
        "distinct",
        "values",
        "values_list",
        "only",
        "defer",
        "none",
        "raw",
        "extra",
        "select_for_update",
    }
)
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})


def views_modules() -> list[Path]:
    """The named apps' views, and those of any app added since (a top-level package with views)."""
    folders = {PROJECT / app for app in APPS} | {path.parent for path in PROJECT.glob("*/__init__.py")}
    folders -= {PROJECT / name for name in NOT_APPS}
    paths: set[Path] = {PROJECT / "core" / "notification_views.py"}
    for folder in folders:
        paths.update(folder.glob("views.py"))
        paths.update((folder / "views").glob("*.py"))
    return sorted(path for path in paths if path.exists())


def findings(path: Path, root: Path = PROJECT) -> list[str]:
    where = path.relative_to(root).as_posix()
    found = []
    nodes = sorted(ast.walk(ast.parse(path.read_text(encoding="utf-8"))), key=lambda node: getattr(node, "lineno", 0))
    for node in nodes:
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            found.append(f"{where}:{node.lineno}: {ast.unparse(node)} (a model manager)")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SHORTCUTS:
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Name) and first.id[:1].isupper():
                found.append(f"{where}:{node.lineno}: {node.func.id}({first.id}, ...) (a model class, not a selector)")
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
        "    d = list(groups.values())\n"
        "    e = get_object_or_404(Order, pk=1, created_by=request.user)\n"
        "    f = get_object_or_404(orders_for(request.user), pk=1)\n"
        "    g = list(order.lines.all())\n",
        encoding="utf-8",
    )
    found = findings(sample, root=tmp_path)
    assert [line.split(":")[1] for line in found] == ["2", "3", "4", "4", "6"], found


def test_views_read_through_selectors():
    found = [finding for path in views_modules() for finding in findings(path)]
    assert not found, "Views build querysets; move each read into the room's selectors:\n" + "\n".join(found)
