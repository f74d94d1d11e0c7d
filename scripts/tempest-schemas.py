#!/usr/bin/python3
"""Dumps Tempest's compute response schemas to one JSON file for the conformance tests.

Run with /usr/bin/python3 (Debian's tempest; the python3 first on PATH may not import it):
    /usr/bin/python3 scripts/tempest-schemas.py OUT.json

OUT.json is
  {"tempest": VERSION,
   "schemas": {"v2_1.servers": {"get_server": {"status_code": [...], "response_body": {...},
                                               "response_header": {...}}, ...}, ...},
   "clients": {"servers": {"versions": [{"min": null, "max": "2.2", "module": "v2_1.servers"}, ...],
                           "uses": {"get_server": ["versioned"], "delete_server": ["v2_1.servers"]}},
               ...}}
`versions` is the client's schema_versions_info (what BaseComputeClient.get_schema picks from
by microversion). `uses` says, for each schema name a client's code refers to, whether it comes
from the module picked by microversion ("versioned": a local set from self.get_schema()) or from
one fixed module (an import alias, e.g. servers_client's delete_server is always v2_1's).
Only dicts that carry a status_code count as schemas.
"""
import ast
import importlib
import json
import os
import pkgutil
import sys

import tempest
import tempest.lib.api_schema.response.compute as compute_schemas
import tempest.lib.services.compute as compute_clients

SCHEMA_PREFIX = compute_schemas.__name__ + '.'


def short(module_name):
    return module_name[len(SCHEMA_PREFIX):] if module_name.startswith(SCHEMA_PREFIX) else module_name


def dump_schemas():
    out = {}
    for info in pkgutil.walk_packages(compute_schemas.__path__, SCHEMA_PREFIX):
        if info.ispkg:
            continue
        mod = importlib.import_module(info.name)
        found = {}
        for name, value in sorted(vars(mod).items()):
            if name.startswith('_') or not isinstance(value, dict) or 'status_code' not in value:
                continue
            found[name] = {k: value[k] for k in ('status_code', 'response_body', 'response_header') if k in value}
        if found:
            out[short(info.name)] = found
    return out


def import_aliases(tree):
    """alias -> schema module (short name) for `from ...compute.v2_X import servers as schemav2X`."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(SCHEMA_PREFIX[:-1]):
            for a in node.names:
                aliases[a.asname or a.name] = short(node.module + '.' + a.name)
    return aliases


def is_get_schema(value):
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
            and value.func.attr == 'get_schema')


def schema_uses(source):
    """{schema name: sorted sources} for every `X.name` where X is a schema module or a get_schema() result."""
    tree = ast.parse(source)
    aliases = import_aliases(tree)
    uses = {}

    def note(name, origin):
        uses.setdefault(name, set()).add(origin)

    def visit(scope_node, versioned_locals):
        for node in ast.walk(scope_node):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                var = node.value.id
                if var in versioned_locals:
                    note(node.attr, 'versioned')
                elif var in aliases:
                    note(node.attr, aliases[var])

    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for fn in functions:
        local = set()
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign) and is_get_schema(node.value):
                local.update(t.id for t in node.targets if isinstance(t, ast.Name))
        # default arguments are evaluated where the module aliases are in scope, so visiting the
        # whole function (defaults included) with the local set is right: a local that
        # shadows an alias only exists in the body, and the defaults never use get_schema().
        visit(fn, local)
    return {k: sorted(v) for k, v in sorted(uses.items())}


def dump_clients():
    out = {}
    for info in pkgutil.iter_modules(compute_clients.__path__):
        if not info.name.endswith('_client') or info.name == 'base_compute_client':
            continue
        mod = importlib.import_module(compute_clients.__name__ + '.' + info.name)
        versions = []
        for obj in vars(mod).values():
            table = getattr(obj, 'schema_versions_info', None) if isinstance(obj, type) else None
            if table and obj.__module__ == mod.__name__:
                versions = [{'min': e['min'], 'max': e['max'], 'module': short(e['schema'].__name__)} for e in table]
        with open(mod.__file__, encoding='utf-8') as f:
            uses = schema_uses(f.read())
        out[info.name[:-len('_client')]] = {'versions': versions, 'uses': uses}
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: tempest-schemas.py OUT.json')
    doc = {
        'tempest': getattr(tempest, '__version__', None) or _package_version(),
        'schemas': dump_schemas(),
        'clients': dump_clients(),
    }
    tmp = sys.argv[1] + '.%d.tmp' % os.getpid()
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    os.replace(tmp, sys.argv[1])


def _package_version():
    try:
        from importlib import metadata
        return metadata.version('tempest')
    except Exception:  # noqa: BLE001 - the version is informative only
        return None


if __name__ == '__main__':
    main()
