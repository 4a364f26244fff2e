#!/usr/bin/env python3
"""Offline checks of the Terraform configuration, for `make lint` (no terraform binary needed).

1. Every .tf file parses as HCL2 with the `hcl2` module on the path: python-hcl2 (the
   `.venv/python-hcl2` target, PYTHONPATH) or checkov's own fork bc-python-hcl2 (checkov skips a
   file it cannot parse with a mere warning, so this makes that a failure).
2. What `terraform validate` would catch without providers or modules: every `var.X`, `local.X`,
   `module.X`, `data.T.N` and `aws_*/random_*/tls_*` resource reference is declared; every variable
   has a description and a type; every output a description; registry modules are pinned to an
   exact version; the `terraform` block pins its version and its providers and keeps the `cloud`
   block (HCP Terraform state).

Usage: lint_hcl.py [DIRECTORY]   (default: the directory of this file)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import hcl2

REGISTRY_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
REFERENCE_PATTERNS = {
    "variable": re.compile(r"\bvar\.([A-Za-z_][\w-]*)"),
    "local": re.compile(r"\blocal\.([A-Za-z_][\w-]*)"),
    "module": re.compile(r"\bmodule\.([A-Za-z_][\w-]*)"),
    "data": re.compile(r"\bdata\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)"),
    "resource": re.compile(r"(?<![\w.])((?:aws|random|tls)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)"),
}


def unquote(value):
    """The two parsers spell values differently: python-hcl2 8 keeps string quotes and block
    labels quoted, bc-python-hcl2 wraps single values in lists. Normalise both."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value


def blocks(parsed: dict, kind: str):
    """(label, body) of each block of a kind with one label (variable, output, module)."""
    for entry in parsed.get(kind, []):
        for label, body in entry.items():
            yield unquote(label), body


def labelled_pairs(parsed: dict, kind: str):
    """(type, name) of each resource or data block."""
    for entry in parsed.get(kind, []):
        for type_, named in entry.items():
            for name in named:
                yield unquote(type_), unquote(name)


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    files = sorted(p for p in root.rglob("*.tf") if ".terraform" not in p.parts)
    if not files:
        print(f"hcl: no .tf files under {root}", file=sys.stderr)
        return 1

    problems: list[str] = []
    parsed_files: dict[Path, dict] = {}
    for path in files:
        try:
            with path.open(encoding="utf-8") as f:
                parsed_files[path] = hcl2.load(f)
        except Exception as e:  # the parsers raise lark errors of several kinds
            problems.append(f"{path}: does not parse: {e}")

    declared: dict[str, set] = {kind: set() for kind in REFERENCE_PATTERNS}
    terraform_blocks = []
    for path, parsed in parsed_files.items():
        for name, body in blocks(parsed, "variable"):
            declared["variable"].add(name)
            for field in ("description", "type"):
                if field not in body:
                    problems.append(f"{path}: variable {name!r} has no {field}")
        for name, body in blocks(parsed, "output"):
            if "description" not in body:
                problems.append(f"{path}: output {name!r} has no description")
        for name, body in blocks(parsed, "module"):
            declared["module"].add(name)
            source = str(unquote(body.get("source", "")))
            local_or_git = source.startswith((".", "git::", "github.com/", "https://"))
            version = str(unquote(body.get("version", "")))
            if not local_or_git and not REGISTRY_VERSION.match(version):
                problems.append(
                    f"{path}: module {name!r} ({source}) is not pinned to an exact version: {version!r}"
                )
        for entry in parsed.get("locals", []):
            declared["local"].update(unquote(key) for key in entry if not key.startswith("__"))
        declared["data"].update(labelled_pairs(parsed, "data"))
        declared["resource"].update(labelled_pairs(parsed, "resource"))
        terraform_blocks.extend(parsed.get("terraform", []))

    for path, parsed in parsed_files.items():
        text = json.dumps(parsed)
        for kind, pattern in REFERENCE_PATTERNS.items():
            for match in pattern.finditer(text):
                ref = match.groups() if kind in ("data", "resource") else match.group(1)
                if ref not in declared[kind]:
                    shown = ".".join(ref) if isinstance(ref, tuple) else ref
                    problems.append(f"{path}: reference to an undeclared {kind}: {shown}")

    if not terraform_blocks:
        problems.append(f"{root}: no terraform block")
    for block in terraform_blocks:
        if "required_version" not in block:
            problems.append(f"{root}: the terraform block does not pin required_version")
        if "cloud" not in block:
            problems.append(f"{root}: the terraform block has no cloud block (HCP Terraform state)")
        for providers in block.get("required_providers", []):
            for name, spec in providers.items():
                spec = unquote(spec)
                if name.startswith("__"):
                    continue  # the parsers' own bookkeeping (__is_block__, __start_line__)
                if not isinstance(spec, dict) or "version" not in spec:
                    problems.append(f"{root}: provider {name} has no version constraint")

    for problem in sorted(set(problems)):
        print(f"hcl: {problem}", file=sys.stderr)
    version = getattr(hcl2, "__version__", "?")
    counts = ", ".join(f"{len(names)} {kind}s" for kind, names in declared.items())
    status = "FAILED" if problems else "ok"
    print(f"hcl: {len(files)} files parsed with hcl2 {version} ({counts}): {status}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
