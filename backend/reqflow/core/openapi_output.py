"""What the document promises about answers, from the same marshmallow schemas:

- a schema that only ever describes answers (reached from a response, never from a request
  body, query or form) lists every property as ``required``: marshmallow dumps every declared
  field of the objects the resources hand it, so a generated client need not treat them as
  optional. A schema dumped from something that may lack a key says so with
  ``class Meta: openapi_partial = True``.
- a nullable nested object is ``null`` or the object (apispec's ``{"type": "object",
  "nullable": true}`` alternative would read as "any object" to a generated client).
"""

from __future__ import annotations

from typing import Any

REF = "#/components/schemas/"


def _refs(node: Any) -> set[str]:
    """Names of the component schemas referenced anywhere under ``node``."""
    if isinstance(node, dict):
        found = {node["$ref"][len(REF) :]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node)) if node else set()
    return set()


def _closure(names: set[str], schemas: dict[str, Any]) -> set[str]:
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo.extend(_refs(schemas[name]))
    return seen


def _null_or_object(node: Any) -> None:
    if isinstance(node, dict):
        for alternative in node.get("anyOf", []):
            if alternative == {"nullable": True, "type": "object"}:
                alternative["enum"] = [None]
        for value in node.values():
            _null_or_object(value)
    elif isinstance(node, list):
        for value in node:
            _null_or_object(value)


def tighten_outputs(document: dict[str, Any], partial: set[str]) -> None:
    """Apply the rules above to a built document in place (``partial``: schema names exempt)."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    inputs: set[str] = set()
    outputs: set[str] = set()
    for ops in document.get("paths", {}).values():
        for op in ops.values():
            inputs |= _refs(op.get("requestBody")) | _refs(op.get("parameters"))
            outputs |= _refs(op.get("responses"))
    answer_only = _closure(outputs, schemas) - _closure(inputs, schemas) - partial
    for name in answer_only - {"Error", "Pagination"}:
        properties = schemas[name].get("properties")
        if properties:
            schemas[name]["required"] = sorted(properties)
    _null_or_object(schemas)
    _null_or_object(document.get("paths", {}))
