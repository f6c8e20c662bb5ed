"""`python -m heapscope run [--dump-at-exit PATH] [--every SECONDS --dir DIR] script.py [args…]`.

The script runs as `__main__` in a real module registered in sys.modules (like `python
script.py`), so `--dump-at-exit` sees its globals alive: the dump happens after the script's
top-level code returns (or raises SystemExit), before anything is torn down.
"""

import argparse
import os
import sys
import threading
import types

from . import __version__


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m heapscope",
                                     description="Heapscope's Python heap dumper.")
    parser.add_argument("--version", action="version", version="heapscope " + __version__)
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run a script under the dumper")
    run.add_argument("--dump-at-exit", metavar="PATH", help="dump when the script's code ends")
    run.add_argument("--every", metavar="SECONDS", type=float, help="dump periodically")
    run.add_argument("--dir", default=".", help="directory for periodic dumps (default .)")
    run.add_argument("--signal", action="store_true", help="also dump on SIGUSR2")
    run.add_argument("script")
    run.add_argument("args", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)
    if opts.command != "run":
        parser.print_help()
        return 2
    if opts.every is not None and opts.every <= 0:
        parser.error("--every needs a positive number of seconds")
    return run_script(opts)


def run_script(opts):
    from . import DumpError, dump, install_signal_handler

    script = os.path.abspath(opts.script)
    try:
        with open(script, "rb") as f:
            source = f.read()
    except OSError as exc:
        sys.stderr.write("heapscope: cannot read %s: %s\n" % (opts.script, exc.strerror))
        return 2
    if opts.signal:
        install_signal_handler(directory=opts.dir)
    stop = threading.Event()
    every = None
    if opts.every:
        every = threading.Thread(target=_every, args=(opts.every, opts.dir, stop), daemon=True,
                                 name="heapscope-every")
        every.start()
    main_mod = types.ModuleType("__main__")
    main_mod.__file__ = script
    main_mod.__builtins__ = __builtins__ if isinstance(__builtins__, dict) else vars(__builtins__)
    main_mod.__cached__ = None
    sys.modules["__main__"] = main_mod
    sys.argv = [opts.script] + list(opts.args)
    sys.path[0] = os.path.dirname(script)
    exit_request = None
    dump_failed = False
    try:
        exec(compile(source, script, "exec"), main_mod.__dict__)
    except SystemExit as exc:
        exit_request = exc
    finally:
        stop.set()
        if every is not None:
            every.join()  # let a periodic dump in flight finish rather than die with the process
        if opts.dump_at_exit:
            try:
                stats = dump(opts.dump_at_exit)
                sys.stderr.write("heapscope: wrote %s (%d objects, %d edges, %.2fs)\n"
                                 % (stats.path, stats.objects, stats.edges, stats.seconds))
            except DumpError as exc:
                sys.stderr.write("heapscope: %s\n" % exc)
                dump_failed = True
    code = None if exit_request is None else exit_request.code
    success = code is None or (type(code) is int and code == 0)
    if exit_request is not None and not (dump_failed and success):
        # Python itself turns it into the status and prints a message code (sys.exit("msg")),
        # exactly as for `python script.py`; other exceptions propagate the same way.
        raise exit_request
    return 3 if dump_failed else 0


def _every(seconds, directory, stop):
    from . import DumpError, dump
    from ._signal import dump_path

    while not stop.wait(seconds):
        try:
            dump(dump_path(directory))
        except DumpError as exc:
            sys.stderr.write("heapscope: %s\n" % exc)
