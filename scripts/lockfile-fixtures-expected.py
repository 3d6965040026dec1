#!/usr/bin/env python3
"""Derive fixtures/lockfiles/<case>/expected.json straight from the lockfile.

Maintainer helper for scripts/make-lockfile-fixtures.sh; it is deliberately
independent of ai-chain-audit's own parsers (it is the ground truth they are
tested against).  Needs python3 + PyYAML.

  lockfile-fixtures-expected.py FIXTURE_DIR [--bun-text bun.lock]

Model: every lockfile is turned into a graph of locked packages.  The importers
(root package.json + workspace package.jsons) contribute the root edges, typed
prod / dev / optional.  Then, per locked package:
  direct   = target of an edge of some importer (alias resolved)
  dev      = not reachable from any non-dev importer edge
  optional = every path from the importers goes through an optional edge
             (optionalDependencies, optional peers)
Entries are merged per name@version (AND for dev/optional, OR for direct).
Importers, workspace packages and file: directory links are not packages.
"""
import glob
import json
import os
import re
import sys

import yaml


def die(msg):
    sys.exit(f"lockfile-fixtures-expected: {msg}")


def read_json(path):
    with open(path) as f:
        return json.load(f)


# ------------------------------------------------------------------ importers
DEP_FIELDS = (
    ("dependencies", "prod"),
    ("devDependencies", "dev"),
    ("optionalDependencies", "optional"),
    ("peerDependencies", "peer"),
)


def importers(fixture):
    """[(importer_path, package.json dict)] root first."""
    root = read_json(os.path.join(fixture, "package.json"))
    out = [(".", root)]
    patterns = root.get("workspaces") or []
    if isinstance(patterns, dict):
        patterns = patterns.get("packages", [])
    ws_yaml = os.path.join(fixture, "pnpm-workspace.yaml")
    if os.path.exists(ws_yaml):
        patterns = (yaml.safe_load(open(ws_yaml)) or {}).get("packages", [])
    found = set()
    for pat in patterns:
        for d in sorted(glob.glob(os.path.join(fixture, pat))):
            if os.path.exists(os.path.join(d, "package.json")):
                found.add(os.path.relpath(d, fixture))
    for rel in sorted(found):
        out.append((rel, read_json(os.path.join(fixture, rel, "package.json"))))
    return out


def importer_edges(pj):
    """[(name, spec, type)]; a name in optionalDependencies wins over dependencies (npm semantics)."""
    edges, seen = [], set()
    opt = pj.get("optionalDependencies") or {}
    for field, typ in DEP_FIELDS:
        for name, spec in (pj.get(field) or {}).items():
            if field == "dependencies" and name in opt:
                continue
            if field == "peerDependencies":
                if (name, "prod") in seen or (name, "dev") in seen:
                    continue
                meta = (pj.get("peerDependenciesMeta") or {}).get(name) or {}
                typ = "optional" if meta.get("optional") else "prod"
            edges.append((name, spec, typ))
            seen.add((name, typ))
    return edges


# ------------------------------------------------------------------ graph
class Graph:
    def __init__(self):
        self.pkgs = {}  # id -> (name, version)
        self.edges = {}  # id -> [(id, 'prod'|'optional')]  (packages and dirs)
        self.roots = []  # (importer, id, 'prod'|'dev'|'optional')
        self.flags = {}  # id -> {'dev':bool,'optional':bool} as recorded by the manager (optional)

    def add_pkg(self, pid, name, version):
        self.pkgs[pid] = (name, version)
        self.edges.setdefault(pid, [])

    def add_edge(self, a, b, typ):
        if b is None:
            return
        self.edges.setdefault(a, []).append((b, typ))

    def reach(self, root_types, edge_types):
        seen = set()
        stack = [t for (_, t, typ) in self.roots if typ in root_types and t is not None]
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            for (m, typ) in self.edges.get(n, []):
                if typ in edge_types and m not in seen:
                    stack.append(m)
        return seen

    def result(self):
        nondev = self.reach({"prod", "optional"}, {"prod", "optional"})
        strong = self.reach({"prod", "dev"}, {"prod"})
        direct = {t for (_, t, _) in self.roots}
        merged = {}
        for pid, (name, version) in self.pkgs.items():
            rec = {"dev": pid not in nondev, "optional": pid not in strong, "direct": pid in direct}
            fl = self.flags.get(pid)
            if fl is not None and (fl["dev"], fl["optional"]) != (rec["dev"], rec["optional"]):
                print(f"  note: {pid}: manager flags {fl} vs graph {rec}", file=sys.stderr)
            key = (name, version)
            if key in merged:
                m = merged[key]
                m["dev"] = m["dev"] and rec["dev"]
                m["optional"] = m["optional"] and rec["optional"]
                m["direct"] = m["direct"] or rec["direct"]
            else:
                merged[key] = rec
        out = [
            {"name": n, "version": v, "direct": r["direct"], "dev": r["dev"], "optional": r["optional"]}
            for (n, v), r in merged.items()
        ]
        out.sort(key=lambda p: (p["name"], version_key(p["version"])))
        return out


def version_key(v):
    core, _, pre = v.partition("-")
    nums = []
    for x in core.split("."):
        nums.append((0, int(x), "") if x.isdigit() else (1, 0, x))
    return (nums, pre == "", pre)


def split_name(ident):
    """'@s/n@1.2.3' -> ('@s/n', '1.2.3')"""
    i = ident.index("@", 1)
    return ident[:i], ident[i + 1:]


# ------------------------------------------------------------------ npm
def npm_graph(fixture, lock, imps):
    g = Graph()
    if lock.get("lockfileVersion", 1) >= 2 and "packages" in lock:
        pk = lock["packages"]
        dirs = {k for k, e in pk.items() if "node_modules/" not in "/" + k and not e.get("link")}

        def resolve(frm, name):
            parts = frm.split("/") if frm else []
            while True:
                base = "/".join(parts)
                cand = (base + "/" if base else "") + "node_modules/" + name
                if cand in pk:
                    e = pk[cand]
                    return e["resolved"] if e.get("link") else cand
                if not parts:
                    return None
                parts.pop()

        for key, e in pk.items():
            if key in dirs or e.get("link"):
                continue
            name = e.get("name") or key.rsplit("node_modules/", 1)[1]
            g.add_pkg(key, name, e["version"])
            g.flags[key] = {"dev": bool(e.get("dev")), "optional": bool(e.get("optional"))}
        for key, e in pk.items():
            if e.get("link"):
                continue
            fields = [("dependencies", "prod"), ("optionalDependencies", "optional"), ("peerDependencies", "peer")]
            for field, typ in fields:
                for name in e.get(field) or {}:
                    if typ == "peer":
                        meta = (e.get("peerDependenciesMeta") or {}).get(name) or {}
                        typ2 = "optional" if meta.get("optional") else "prod"
                    else:
                        typ2 = typ
                    g.add_edge(key, resolve(key, name), typ2)
        for imp, pj in imps:
            frm = "" if imp == "." else imp
            for name, spec, typ in importer_edges(pj):
                g.roots.append((imp, resolve(frm, name), typ))
        # the root entry "" itself is an importer, not a package: its lockfile edges are
        # replaced by the package.json edges above
        g.edges.pop("", None)
        return g

    # lockfile v1: nested "dependencies" tree
    tree = lock.get("dependencies") or {}

    def walk(deps, path):
        for name, e in deps.items():
            p = path + (name,)
            pid = "/".join(p)
            ver = e["version"]
            real = name
            if ver.startswith("npm:"):
                real, ver = split_name(ver[4:])
            g.add_pkg(pid, real, ver)
            g.flags[pid] = {"dev": bool(e.get("dev")), "optional": bool(e.get("optional"))}
            walk(e.get("dependencies") or {}, p)

    def lookup(path):
        d = {"dependencies": tree}
        for n in path:
            d = (d.get("dependencies") or {}).get(n)
            if d is None:
                return None
        return d

    def resolve(path, name):
        path = list(path)
        while True:
            node = lookup(path)
            if node is not None and name in (node.get("dependencies") or {}):
                return "/".join(path + [name])
            if not path:
                return None
            path.pop()

    walk(tree, ())
    for pid in list(g.pkgs):
        path = _v1_path(tree, pid)  # scoped names contain a '/'

        e = lookup(path)
        for name in e.get("requires") or {}:
            g.add_edge(pid, resolve(path, name), "prod")
    for imp, pj in imps:
        for name, spec, typ in importer_edges(pj):
            g.roots.append((imp, resolve([], name), typ))
    return g


def _v1_path(tree, pid):
    """split an id 'a/@s/b/c' back into tree names."""
    segs, out, i = pid.split("/"), [], 0
    while i < len(segs):
        if segs[i].startswith("@"):
            out.append(segs[i] + "/" + segs[i + 1])
            i += 2
        else:
            out.append(segs[i])
            i += 1
    return out


# ------------------------------------------------------------------ pnpm
def pnpm_graph(fixture, lock, imps):
    g = Graph()
    ver = str(lock["lockfileVersion"])
    major = int(float(ver))
    if major >= 9:
        snaps = lock.get("snapshots") or {}

        def sid(name, v, imp_dir=None):
            if v.startswith("link:"):
                return "importer:" + os.path.normpath(os.path.join(imp_dir or ".", v[5:]))
            if re.match(r"^\d", v):
                return f"{name}@{v}"
            return v  # alias: realname@version(peers)

        for key, e in snaps.items():
            name, rest = split_name(key)
            g.add_pkg(key, name, rest.split("(")[0])
        for key, e in snaps.items():
            for field, typ in (("dependencies", "prod"), ("optionalDependencies", "optional")):
                for n, v in (e.get(field) or {}).items():
                    g.add_edge(key, sid(n, v), typ)
        imp_map = lock.get("importers") or {}
    else:
        pk = lock.get("packages") or {}

        def sid(name, v, imp_dir=None):
            if v.startswith("link:"):
                return "importer:" + os.path.normpath(os.path.join(imp_dir or ".", v[5:]))
            if v.startswith("/"):
                return v
            return f"/{name}@{v}" if major >= 6 else f"/{name}/{v}"

        for key, e in pk.items():
            k = key[1:]
            if major >= 6:
                name, rest = split_name(k)
                version = rest.split("(")[0]
            else:
                name, rest = k.rsplit("/", 1)
                version = rest.split("_")[0]
            g.add_pkg(key, name, version)
            g.flags[key] = {"dev": e.get("dev") is True, "optional": bool(e.get("optional"))}
        for key, e in pk.items():
            for field, typ in (("dependencies", "prod"), ("optionalDependencies", "optional")):
                for n, v in (e.get(field) or {}).items():
                    g.add_edge(key, sid(n, v), typ)
        if "importers" in lock:
            imp_map = lock["importers"]
        else:
            imp_map = {".": {f: lock.get(f) for f in ("dependencies", "devDependencies", "optionalDependencies")}}
    type_of = {"dependencies": "prod", "devDependencies": "dev", "optionalDependencies": "optional"}
    for imp, pj in imps:
        e = imp_map.get(imp) or {}
        nid = "importer:" + imp
        for field, typ in type_of.items():
            for n, v in (e.get(field) or {}).items():
                if isinstance(v, dict):
                    v = v["version"]
                t = sid(n, v, imp)
                g.roots.append((imp, t, typ))
                if typ != "dev":
                    g.add_edge(nid, t, typ)
    return g


# ------------------------------------------------------------------ yarn classic
def parse_yarn1(text):
    entries, cur, sub = {}, None, None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        s = line.strip()
        if indent == 0:
            keys = [k.strip().strip('"') for k in s.rstrip(":").split(", ")]
            cur = {"_keys": keys}
            for k in keys:
                entries[k] = cur
            sub = None
        elif indent == 2:
            if s.endswith(":"):
                sub = s[:-1]
                cur[sub] = {}
            else:
                k, v = s.split(" ", 1)
                cur[k] = v.strip('"')
                sub = None
        else:
            k, v = s.split(" ", 1)
            cur[sub][k.strip('"')] = v.strip('"')
    return entries


def yarn1_graph(fixture, text, imps):
    g = Graph()
    entries = parse_yarn1(text)
    for desc, e in entries.items():
        pid = id(e)
        name, rng = split_name(desc)
        if rng.startswith("npm:"):
            name, _ = split_name(rng[4:])
        g.add_pkg(pid, name, e["version"])
    seen = set()
    for e in entries.values():
        if id(e) in seen:
            continue
        seen.add(id(e))
        for field, typ in (("dependencies", "prod"), ("optionalDependencies", "optional")):
            for n, r in (e.get(field) or {}).items():
                t = entries.get(f"{n}@{r}")
                if t is None and typ == "prod":
                    die(f"yarn.lock: unresolved {n}@{r}")
                g.add_edge(id(e), id(t) if t else None, typ)
    for imp, pj in imps:
        for n, spec, typ in importer_edges(pj):
            t = entries.get(f"{n}@{spec}")
            g.roots.append((imp, id(t) if t else None, typ))
    return g


# ------------------------------------------------------------------ yarn berry
def berry_graph(fixture, lock, imps):
    g = Graph()
    desc_map = {}
    for key, e in lock.items():
        if key == "__metadata":
            continue
        for d in key.split(", "):
            desc_map[d.strip()] = key
    for key, e in lock.items():
        if key == "__metadata":
            continue
        if e.get("linkType") == "soft" and "@workspace:" in e["resolution"]:
            continue  # workspace: an importer, not a package
        name, _ = split_name(e["resolution"])
        g.add_pkg(key, name, str(e["version"]))
    ws_node = {}
    for key, e in lock.items():
        if key == "__metadata":
            continue
        res = e["resolution"]
        if "@workspace:" in res:
            ws_node[res.split("@workspace:", 1)[1]] = key
        meta = e.get("dependenciesMeta") or {}
        for n, r in (e.get("dependencies") or {}).items():
            typ = "optional" if (meta.get(n) or {}).get("optional") else "prod"
            t = desc_map.get(f"{n}@{r}")
            if "@workspace:" in res:
                continue  # importer edges come from package.json below (typed)
            g.add_edge(key, t, typ)
    for imp, pj in imps:
        wkey = ws_node.get(imp)
        for n, spec, typ in importer_edges(pj):
            s = spec if re.match(r"^[a-z]+:", spec) else "npm:" + spec
            t = desc_map.get(f"{n}@{s}")
            if t is None:
                die(f"yarn.lock: unresolved importer dep {n}@{s}")
            if "@workspace:" in lock[t]["resolution"]:
                # link to another workspace: its own edges are roots already
                g.roots.append((imp, None, typ))
                continue
            g.roots.append((imp, t, typ))
            if wkey and typ != "dev":
                g.add_edge(wkey, t, typ)
    return g


# ------------------------------------------------------------------ bun
def load_bun_text(path):
    text = open(path).read()
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    return json.loads(text)


def bun_segments(key):
    segs, out, i = key.split("/"), [], 0
    while i < len(segs):
        if segs[i].startswith("@"):
            out.append(segs[i] + "/" + segs[i + 1])
            i += 2
        else:
            out.append(segs[i])
            i += 1
    return out


def bun_graph(fixture, lock, imps):
    g = Graph()
    pk = lock["packages"]
    ws_by_name = {}
    for key, arr in pk.items():
        ident = arr[0]
        if "@workspace:" in ident:
            ws_by_name[key] = "importer:" + ident.split("@workspace:", 1)[1]
            continue
        name, ver = split_name(ident)
        if ver.startswith("npm:"):
            name, ver = split_name(ver[4:])
        g.add_pkg(key, name, ver)

    def resolve(segs, name):
        segs = list(segs)
        while True:
            cand = "/".join(segs + [name])
            if cand in pk:
                return ws_by_name.get(cand, cand)
            if not segs:
                return None
            segs.pop()

    for key, arr in pk.items():
        if key in ws_by_name:
            continue
        meta = arr[2] if len(arr) > 2 and isinstance(arr[2], dict) else {}
        segs = bun_segments(key)
        opt_peers = set(meta.get("optionalPeers") or [])
        for field, typ in (("dependencies", "prod"), ("optionalDependencies", "optional"), ("peerDependencies", "peer")):
            for n in meta.get(field) or {}:
                t2 = typ
                if typ == "peer":
                    t2 = "optional" if n in opt_peers else "prod"
                g.add_edge(key, resolve(segs, n), t2)
    ws = lock.get("workspaces") or {}
    for imp, pj in imps:
        wpath = "" if imp == "." else imp
        segs = [] if imp == "." else [ws[wpath]["name"]]
        nid = "importer:" + imp
        for n, spec, typ in importer_edges(pj):
            t = resolve(segs, n)
            if t and t.startswith("importer:"):
                g.roots.append((imp, None, typ))
                continue
            g.roots.append((imp, t, typ))
            if typ != "dev":
                g.add_edge(nid, t, typ)
    return g


# ------------------------------------------------------------------ main
def main():
    args = sys.argv[1:]
    if not args:
        die("usage: lockfile-fixtures-expected.py FIXTURE_DIR [--bun-text bun.lock]")
    fixture = args[0]
    bun_text = args[args.index("--bun-text") + 1] if "--bun-text" in args else None
    imps = importers(fixture)
    p = lambda f: os.path.join(fixture, f)
    if os.path.exists(p("npm-shrinkwrap.json")) or os.path.exists(p("package-lock.json")):
        lf = "npm-shrinkwrap.json" if os.path.exists(p("npm-shrinkwrap.json")) else "package-lock.json"
        lock = read_json(p(lf))
        fmt, lv = "npm", lock.get("lockfileVersion", 1)
        g = npm_graph(fixture, lock, imps)
    elif os.path.exists(p("pnpm-lock.yaml")):
        lf = "pnpm-lock.yaml"
        lock = yaml.safe_load(open(p(lf)))
        fmt, lv = "pnpm", str(lock["lockfileVersion"])
        g = pnpm_graph(fixture, lock, imps)
    elif os.path.exists(p("yarn.lock")):
        lf = "yarn.lock"
        text = open(p(lf)).read()
        if "__metadata:" in text:
            lock = yaml.safe_load(text)
            fmt, lv = "yarn-berry", int(lock["__metadata"]["version"])
            g = berry_graph(fixture, lock, imps)
        else:
            fmt, lv = "yarn-classic", 1
            g = yarn1_graph(fixture, text, imps)
    elif os.path.exists(p("bun.lock")) or os.path.exists(p("bun.lockb")):
        lf = "bun.lock" if os.path.exists(p("bun.lock")) else "bun.lockb"
        lock = load_bun_text(bun_text or p(lf))
        fmt = "bun"
        if lf == "bun.lock":
            lv = lock["lockfileVersion"]
        else:  # binary: u32 LE format version right after the header line
            raw = open(p(lf), "rb").read()
            hdr = b"bun-lockfile-format-v0\n"
            i = raw.index(hdr) + len(hdr)
            lv = int.from_bytes(raw[i:i + 4], "little")
        g = bun_graph(fixture, lock, imps)
    else:
        die(f"no lockfile in {fixture}")
    direct_deps = [
        {"importer": imp, "name": n, "spec": spec, "type": typ}
        for imp, pj in imps
        for field, typ in DEP_FIELDS
        for n, spec in (pj.get(field) or {}).items()
    ]
    out = {
        "lockfile": lf,
        "format": fmt,
        "lockfileVersion": lv,
        "packages": g.result(),
        "directDeps": direct_deps,
    }
    with open(p("expected.json"), "w") as f:
        f.write(json.dumps(out, indent=2) + "\n")
    print(f"  {fixture}: {lf} {fmt} v{lv}: {len(out['packages'])} packages", file=sys.stderr)


if __name__ == "__main__":
    main()
