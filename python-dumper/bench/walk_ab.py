"""Two versions of the dumper's walk, side by side in one process, on a real program's heap.

    git archive <rev> python-dumper/heapscope | tar -x -C /tmp/old
    python walk_ab.py --base /tmp/old/python-dumper/heapscope [--modules 150] [--runs 3]

The base tree is imported under another package name (its imports are relative), so both walk
the very same heap: the syntax trees of the first N stdlib modules (bench_dump.build_ast). Each
round runs the bare walk (bench_dump.bare_walk), the base dump and this checkout's dump, in that
order; the figures are medians of CPU seconds (`time.process_time`) of `Walker.run` alone, so the
pre-pass, roots and META are left out of both. On a machine shared with other work, only the
ratios mean much. Prints one JSON line.
"""

import argparse
import gc
import importlib
import json
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import heapscope  # noqa: E402
from bench_dump import bare_walk, build_ast  # noqa: E402


def load_base(tree):
    parent = tempfile.mkdtemp(prefix="heapscope-ab-")
    shutil.copytree(tree, os.path.join(parent, "heapscope_base"))
    sys.path.insert(0, parent)
    return importlib.import_module("heapscope_base"), parent


def timed(package, key, times):
    walk = importlib.import_module(package.__name__ + "._walk")
    run = walk.Walker.run

    def timed_run(self, objs):
        started = time.process_time()
        try:
            return run(self, objs)
        finally:
            times[key].append(time.process_time() - started)

    walk.Walker.run = timed_run


def main(args):
    base, parent = load_base(args.base)
    heap = build_ast(args.modules)  # noqa: F841  (kept alive for the dumps)
    gc.collect()
    times = {"bare": [], "base": [], "new": []}
    timed(base, "base", times)
    timed(heapscope, "new", times)
    out = tempfile.mkdtemp(prefix="heapscope-ab-out-")
    for _ in range(args.runs):
        started = time.process_time()
        bare_walk()
        times["bare"].append(time.process_time() - started)
        base.dump(os.path.join(out, "base.pyheap"), collect=False)
        stats = heapscope.dump(os.path.join(out, "new.pyheap"), collect=False)
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(parent, ignore_errors=True)
    med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
    print(json.dumps({"python": sys.version.split()[0], "modules": args.modules,
                      "objects": stats.objects, "runs": args.runs, "cpu": med,
                      "newOverBase": med["new"] / med["base"],
                      "newOverBare": med["new"] / med["bare"],
                      "baseOverBare": med["base"] / med["bare"]}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="a heapscope package directory to compare")
    parser.add_argument("--modules", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    main(parser.parse_args())
