"""import-linter contract types of jitdesk's own.

`stdlib_only`: the source modules may import their own package and the Python standard library,
nothing else. An allowlist (`sys.stdlib_module_names`) rather than a list of forbidden packages, so a
new dependency, or a package that only arrives with another one (pydantic with fastapi), is refused
by default without editing the contract.
"""

from __future__ import annotations

import sys
from typing import Any

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck
from importlinter.domain.helpers import module_expressions_to_modules

_ALWAYS = frozenset({"__future__"})


class StdlibOnlyContract(Contract):
    type_name = "stdlib_only"

    source_modules = fields.SetField(subfield=fields.ModuleExpressionField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        allowed = frozenset(sys.stdlib_module_names) | _ALWAYS
        broken: list[dict[str, Any]] = []
        for source in sorted(module_expressions_to_modules(graph, self.source_modules), key=lambda m: m.name):
            own = source.name.split(".")[0]
            for module in sorted({source.name, *graph.find_descendants(source.name)}):
                for imported in sorted(graph.find_modules_directly_imported_by(module)):
                    top = imported.split(".")[0]
                    if top == own or top in allowed:
                        continue
                    lines = [d["line_number"] for d in graph.get_import_details(importer=module, imported=imported)]
                    broken.append({"importer": module, "imported": imported, "lines": lines})
        return ContractCheck(kept=not broken, warnings=[], metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["broken"]:
            where = ", ".join(f"l.{n}" for n in item["lines"])
            output.print_error(f"{item['importer']} imports {item['imported']} ({where}): not the standard library")
            output.new_line()
