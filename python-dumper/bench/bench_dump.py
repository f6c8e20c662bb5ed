"""Benchmark the dumper on a service-shaped heap (see README). Prints one JSON line per run.

    python bench_dump.py --objects 1000000 --mode normal|fork|bare [--out DIR] [--ballast-mb N]
    python bench_dump.py --program ast --modules 150 --mode normal|fork|bare

Each run is a fresh process (so peak-memory numbers are not polluted by earlier runs); the
Node driver `test/bench/dump.mjs` runs several and reports medians.
"""

import argparse
import array
import ast
import gc
import json
import os
import sys
import sysconfig
import tempfile
import time
from itertools import repeat

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import heapscope  # noqa: E402
from heapscope import _meta  # noqa: E402


class Session:
    def __init__(self, user, i):
        self.user = user
        self.token = "tok-%08d" % i
        self.created = 1700000000.0 + i
        self.headers = {"agent": "Mozilla/5.0", "ip": "10.0.%d.%d" % (i % 250, i % 200)}
        self.history = [("GET", "/item/%d" % (i % 1000)), ("POST", "/cart")]


class User:
    def __init__(self, i):
        self.id = i
        self.name = "user-%d" % i
        self.email = "user%d@example.com" % i
        self.roles = ["reader", "writer"] if i % 3 else ["reader"]


def build(n_objects):
    """About 11 objects per Session (instances, dicts, lists, tuples, strs, floats, ints)."""
    users, sessions = [], {}
    i = 0
    per = 11
    while i * per < n_objects:
        user = User(i) if i % 4 == 0 or not users else users[-1]
        if user is not (users[-1] if users else None):
            users.append(user)
        sessions["s-%d" % i] = Session(user, i)
        i += 1
    return users, sessions


def build_ast(n_modules):
    """A real program's heap: the syntax trees of the first N stdlib modules, by file name.

    Parsing is what linters, formatters and code-intelligence servers keep in memory: millions
    of small instances (nodes), their dicts or inline attributes, lists, ints and strings.
    """
    lib = sysconfig.get_paths()["stdlib"]
    names = sorted(f for f in os.listdir(lib) if f.endswith(".py"))
    # Past the ~200 top-level modules, those of packages (issue 16's 1,500-module program).
    names += sorted(os.path.relpath(os.path.join(d, f), lib) for d, _, files in os.walk(lib)
                    if d != lib and "site-packages" not in d for f in files if f.endswith(".py"))
    trees = []
    for name in names[:n_modules]:
        with open(os.path.join(lib, name), "rb") as f:
            source = f.read()
        try:
            trees.append(ast.parse(source, name))
        except (SyntaxError, ValueError):  # a module for another version (lib2to3 tests, say)
            pass
    return trees


def run(args):
    heap = build_ast(args.modules) if args.program == "ast" else build(args.objects)  # noqa: F841
    # Ballast: resident, untouched-by-the-walk memory, to measure the fork pause of a big process
    # (fork copies page tables, so its cost follows RSS, not object count).
    ballast = bytearray(args.ballast_mb << 20) if args.ballast_mb else None
    if ballast is not None:
        for i in range(0, len(ballast), 4096):
            ballast[i] = 1
    gc.collect()
    tracked = len(gc.get_objects())
    rss_before = _meta.rss_bytes()[0]
    out_dir = args.out or tempfile.mkdtemp(prefix="heapscope-bench-")
    path = os.path.join(out_dir, "bench.pyheap")
    result = {"mode": args.mode, "target": args.objects, "tracked": tracked,
              "program": args.program if args.program == "service" else "ast:%d" % args.modules,
              "ballastMb": args.ballast_mb,
              "rssBefore": rss_before, "python": sys.version.split()[0]}
    # CPU seconds too: on a machine shared with other work, wall time mostly measures the others.
    if args.mode in ("bare", "floor"):
        t0, c0 = time.perf_counter(), time.process_time()
        n = bare_walk() if args.mode == "bare" else floor_walk()
        result.update(seconds=time.perf_counter() - t0, cpu=time.process_time() - c0, objects=n)
    elif args.mode == "normal":
        _reset_peak()
        c0 = time.process_time()
        stats = heapscope.dump(path)
        cpu = time.process_time() - c0
        rss, peak = _meta.rss_bytes()
        result.update(seconds=stats.seconds, cpu=cpu, pause=stats.pause_seconds,
                      objects=stats.objects, edges=stats.edges, bytes=stats.bytes_written,
                      peakExtra=peak - rss_before)
    else:
        t0 = time.perf_counter()
        pid = os.fork()  # the floor: a bare fork of this process, nothing else
        if pid == 0:
            os._exit(0)
        result["bareFork"] = time.perf_counter() - t0
        os.waitpid(pid, 0)
        handle = heapscope.dump(path, fork=True, collect=False)
        pause = handle.pause_seconds
        stats = handle.wait()
        result.update(seconds=stats.seconds, pause=pause, objects=stats.objects,
                      bytes=stats.bytes_written)
    if os.path.exists(path):
        os.unlink(path)
    print(json.dumps(result))


def bare_walk():
    """gc.get_objects + gc.get_referents + sys.getsizeof per object, untracked ones once."""
    getsizeof, get_referents, is_tracked = sys.getsizeof, gc.get_referents, gc.is_tracked
    seen = set()
    n = 0
    stack = []
    for obj in gc.get_objects():
        getsizeof(obj)
        n += 1
        stack.extend(get_referents(obj))
        while stack:
            ref = stack.pop()
            if is_tracked(ref) or id(ref) in seen:
                continue
            seen.add(id(ref))
            getsizeof(ref)
            n += 1
            stack.extend(get_referents(ref))
    return n


def floor_walk():
    """bare_walk plus the columns a dump cannot do without, and nothing else: per object its
    address, size, type, refcount and edge count appended; per reference its target appended
    with a placeholder name and kind (`array.extend` over `map`, the cheapest form there is).
    No labels, edge names, flags or format: a lower bound for any pure-Python dump."""
    getsizeof, get_referents, is_tracked = sys.getsizeof, gc.get_referents, gc.is_tracked
    getrefcount = sys.getrefcount
    cols = [array.array("Q") for _ in range(4)] + [array.array("I")]
    add_addr, add_size, add_type, add_rc, add_n = (c.append for c in cols)
    e_t, e_n, e_k = array.array("Q"), array.array("I"), array.array("B")
    seen = set()
    stack = []

    def record(obj):
        add_addr(id(obj))
        add_size(getsizeof(obj))
        add_type(id(type(obj)))
        add_rc(getrefcount(obj))
        refs = get_referents(obj)
        n = len(refs)
        add_n(n)
        e_t.extend(map(id, refs))
        e_n.extend(repeat(0, n))
        e_k.frombytes(bytes(n))
        return refs

    n = 0
    for obj in gc.get_objects():
        stack.extend(record(obj))
        n += 1
        while stack:
            ref = stack.pop()
            if is_tracked(ref) or id(ref) in seen:
                continue
            seen.add(id(ref))
            n += 1
            stack.extend(record(ref))
        if len(e_t) > 1 << 16:  # as the dumper flushes: the columns do not grow without bound
            for col in cols + [e_t, e_n, e_k]:
                del col[:]
    return n


def _reset_peak():
    """Linux: reset VmHWM so the peak we read afterwards is the dump's."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--objects", type=int, default=1000000)
    parser.add_argument("--mode", choices=("normal", "fork", "bare", "floor"), default="normal")
    parser.add_argument("--out")
    parser.add_argument("--ballast-mb", type=int, default=0)
    parser.add_argument("--program", choices=("service", "ast"), default="service",
                        help="service: the synthetic heap of --objects; ast: syntax trees of "
                             "--modules stdlib modules (a real program's heap)")
    parser.add_argument("--modules", type=int, default=150)
    run(parser.parse_args())
