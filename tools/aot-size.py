#!/usr/bin/env python3
# Where the bytes of a NativeAOT binary go: sums the ILC map file per assembly, namespace, type and generic definition.
# SPDX-License-Identifier: MIT
"""
Usage:
  dotnet publish managed/Sipwire.Native/Sipwire.Native.csproj -c Release -r linux-x64 \\
      -p:IlcGenerateMapFile=true -o OUT
  python3 tools/aot-size.py $SIPWIRE_ARTIFACTS/obj/Sipwire.Native/release_linux-x64/native/libsipwire.map.xml \\
      [--top 30] [--so OUT/libsipwire.so] [--grep TEXT]

The map file (`--map:` of ilc) lists every object node the compiler emitted (method code, GC info,
type descriptors (EETypes), generic dictionaries, statics, frozen data, metadata blobs) with its
length in bytes. Names are mangled: the assembly name with '.' -> '_' (System.Private.* shortened to
S_P_*), then namespace and type joined by '_', then '__' and the member; generic arguments appear
inside &lt;...&gt;. The mangling loses the namespace/type boundary, so "namespace" below is an
approximation: the first components of the owner name (see --depth).

The .so adds the native runtime (GC, type loader glue, about 0.86 MB) that the map does not list;
--so prints the stripped file size next to the managed total so the remainder is visible.
"""

import argparse
import collections
import html
import os
import re
import sys
import xml.etree.ElementTree as ET

# Prefixes the compiler puts in front of a symbol's owner name, per node kind.
_KIND_PREFIXES = (
    "__GenericDict_", "__readonlydata_", "__ehinfo_", "__GCSTATICS", "__NONGCSTATICS",
    "__THREADSTATICS", "__writableData", "__FrozenObj_", "__Str_", "unbox_", "__fatpointer_",
    "__InterfaceDispatchMap_", "__SealedVTable_", "__GenericComposition_", "__RuntimeFieldHandle_",
    "__RuntimeMethodHandle_", "__typehandle_", "__Str",
)
_ZTV = re.compile(r"^_ZTV\d+")
_SUFFIXES = ("__PreInitData",)


def owner_of(name: str) -> str:
    """The managed owner (Assembly_Namespace_Type[<args>]) of a mangled node name."""
    name = html.unescape(name)
    name = _ZTV.sub("", name)
    for prefix in _KIND_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def split_top_level(name: str, sep: str = "__") -> str:
    """The part of name before the first `sep` outside generic brackets: the type of a member."""
    depth = 0
    i = 0
    while i < len(name):
        c = name[i]
        if c == "<":
            depth += 1
        elif c == ">":
            depth -= 1
        elif depth == 0 and name.startswith(sep, i) and i > 0:
            return name[:i]
        i += 1
    return name


def strip_generics(name: str) -> str:
    """Removes every <...> instantiation, leaving the generic definition."""
    out = []
    depth = 0
    for c in name:
        if c == "<":
            depth += 1
        elif c == ">":
            depth -= 1
        elif depth == 0:
            out.append(c)
    return "".join(out)


def assembly_of(owner: str, assemblies: list[str]) -> str:
    for asm in assemblies:  # longest first
        if owner.startswith(asm + "_"):
            return asm
    return "(runtime/other)"


def mangle_assembly(simple_name: str) -> str:
    name = simple_name.replace(".", "_")
    return re.sub(r"^System_Private_", "S_P_", name)


def read_assemblies(map_path: str) -> list[str]:
    """Assembly names from the ilc response file next to the map (inputs and -r: references)."""
    rsp = re.sub(r"\.map\.xml$", ".ilc.rsp", map_path)
    names = {"S_P_CoreLib", "S_P_TypeLoader", "S_P_Reflection_Execution", "S_P_StackTraceMetadata"}
    if os.path.exists(rsp):
        with open(rsp, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line.startswith("-r:"):
                    line = line[3:]
                elif line.startswith("-") or not line.endswith(".dll"):
                    continue
                names.add(mangle_assembly(os.path.splitext(os.path.basename(line))[0]))
    return sorted(names, key=len, reverse=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("map", help="ilc map file (*.map.xml)")
    ap.add_argument("--top", type=int, default=25, help="rows per table")
    ap.add_argument("--depth", type=int, default=3, help="owner-name components counted as the namespace")
    ap.add_argument("--so", help="the published (stripped) library, to show the unmapped remainder")
    ap.add_argument("--grep", help="list every node whose owner contains TEXT, biggest first")
    ap.add_argument("--dgml", help="ilc dependency graph (*.scan.dgml.xml, from -p:IlcGenerateDgmlFile=true) for --why")
    ap.add_argument("--why", action="append", default=[],
                    help="print the shortest dependency chain from a root to the first node whose label contains TEXT")
    args = ap.parse_args()

    if args.why:
        if not args.dgml:
            print("aot-size: --why needs --dgml", file=sys.stderr)
            return 2
        return why(args.dgml, args.why)

    try:
        root = ET.parse(args.map).getroot()
    except (OSError, ET.ParseError) as e:
        print(f"aot-size: cannot read {args.map}: {e}", file=sys.stderr)
        return 2

    assemblies = read_assemblies(args.map)
    by_kind = collections.Counter()
    by_asm = collections.Counter()
    by_ns = collections.Counter()
    by_type = collections.Counter()
    by_generic_def = collections.Counter()
    generic_insts = collections.defaultdict(set)
    by_inst = collections.Counter()
    nodes = []
    total = 0
    for node in root:
        length = int(node.get("Length", "0"))
        raw = node.get("Name", "")
        kind = node.tag
        total += length
        by_kind[kind] += length
        owner = owner_of(raw)
        asm = assembly_of(owner, assemblies)
        typ = split_top_level(owner)
        nodes.append((length, kind, owner))
        by_asm[asm] += length
        rest = typ[len(asm) + 1:] if asm != "(runtime/other)" else typ
        ns = "_".join(strip_generics(rest).split("_")[: args.depth])
        by_ns[f"{asm}: {ns}"] += length
        by_type[typ] += length
        if "<" in owner:
            definition = strip_generics(owner)
            definition_type = split_top_level(definition)
            by_generic_def[definition_type] += length
            generic_insts[definition_type].add(owner)
            by_inst[typ if "<" in typ else owner] += length

    def table(title: str, counter: collections.Counter, extra=None) -> None:
        print(f"\n== {title}")
        for key, size in counter.most_common(args.top):
            suffix = f"  ({extra(key)})" if extra else ""
            print(f"{size:>10,}  {size * 100.0 / total:5.1f}%  {key}{suffix}")

    print(f"map: {args.map}")
    print(f"managed nodes total: {total:,} B in {len(nodes):,} nodes")
    if args.so:
        so_size = os.path.getsize(args.so)
        print(f"{args.so}: {so_size:,} B; not in the map (native runtime, ELF tables, relocations, "
              f"alignment): {so_size - total:,} B")
    if by_kind.get("DehydratedData"):
        # --dehydrate: type descriptors are stored compressed in __dehydrated_data and rebuilt at
        # startup, so their *EEType nodes and that blob describe the same bytes twice.
        print("note: EEType nodes are also counted in __dehydrated_data (compressed copy); "
              "the managed total overstates the file by up to the smaller of the two")
    table("by node kind", by_kind)
    table("by assembly", by_asm)
    table(f"by namespace (first {args.depth} components)", by_ns)
    table("by type (code + data of its members and instantiations)", by_type)
    table("generic definitions (all instantiations together)", by_generic_def,
          lambda k: f"{len(generic_insts[k])} instantiated members/types")
    table("biggest single generic instantiations", by_inst)
    if args.grep:
        print(f"\n== nodes whose owner contains '{args.grep}'")
        for length, kind, owner in sorted((n for n in nodes if args.grep in n[2]), reverse=True)[: args.top * 4]:
            print(f"{length:>10,}  {kind:<28} {owner}")
    return 0


def why(dgml_path: str, patterns: list[str]) -> int:
    """Shortest chain root -> ... -> node for each pattern, walking the dependency graph backwards."""
    ns = "{http://schemas.microsoft.com/vs/2009/dgml}"
    labels = {}
    incoming = collections.defaultdict(list)
    try:
        for _, el in ET.iterparse(dgml_path):
            if el.tag == ns + "Node":
                labels[el.get("Id")] = el.get("Label", "")
            elif el.tag == ns + "Link":
                incoming[el.get("Target")].append((el.get("Source"), el.get("Reason", "")))
            el.clear()
    except (OSError, ET.ParseError) as e:
        print(f"aot-size: cannot read {dgml_path}: {e}", file=sys.stderr)
        return 2
    for pattern in patterns:
        start = next((i for i, label in labels.items() if pattern in label), None)
        print(f"\n== why: {pattern}")
        if start is None:
            print("   (not in the graph)")
            continue
        parent = {start: None}
        queue = collections.deque([start])
        last = start
        while queue:
            node = queue.popleft()
            last = node
            if not incoming.get(node):
                break
            for source, reason in incoming[node]:
                if source not in parent:
                    parent[source] = (node, reason)
                    queue.append(source)
        node = last
        while node is not None:
            step = parent[node]
            reason = f"   --[{step[1]}]-->" if step else ""
            print(f"   {labels[node][:220]}{reason}")
            node = step[0] if step else None
    return 0


if __name__ == "__main__":
    sys.exit(main())
