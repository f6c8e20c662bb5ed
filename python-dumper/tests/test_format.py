"""The file itself: layout invariants, rejection of damaged files, and failed writes."""

import builtins
import errno
import os
import stat
import struct
import unittest
from unittest import mock

from helpers import DumpCase, heapscope, pyheap_reader
from heapscope import _dump


class _FullDisk:
    """A binary file that accepts `limit` bytes, then fails like a full disk."""

    def __init__(self, real, limit):
        self.real, self.limit, self.written = real, limit, 0

    def write(self, data):
        if self.written + len(data) > self.limit:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.written += len(data)
        return self.real.write(data)

    def __getattr__(self, name):
        return getattr(self.real, name)


class Format(DumpCase):
    @classmethod
    def setUpClass(cls):
        import tempfile

        fd, path = tempfile.mkstemp(suffix=".pyheap")
        os.close(fd)
        try:
            heapscope.dump(path)
            with open(path, "rb") as f:
                cls.data = f.read()
        finally:
            os.unlink(path)

    def test_layout(self):
        self.assertEqual(self.data[:8], b"\x89PYHEAP\n")
        self.assertEqual(struct.unpack_from("<HH", self.data, 8), (1, 1))
        self.assertEqual(self.data[16 + 0:16 + 4], b"META")
        # END is the last 24 + 40 bytes.
        self.assertEqual(self.data[-64:-60], b"END ")
        heap = pyheap_reader.parse(self.data, "good")
        self.assertGreater(len(heap.objects), 1000)
        self.assertEqual(heap.meta["formatVersion"], [1, 1])
        self.assertEqual(heap.info["objects"], len(heap.objects))

    def assertRejected(self, data, words):
        with self.assertRaises(pyheap_reader.PyheapError) as cm:
            pyheap_reader.parse(data, "bad.pyheap")
        msg = str(cm.exception)
        self.assertIn("bad.pyheap", msg)
        self.assertIn(words, msg)

    def test_truncated(self):
        self.assertRejected(self.data[:len(self.data) // 2], "truncated")
        self.assertRejected(self.data[:-64], "truncated")

    def test_corrupt(self):
        bad = bytearray(self.data)
        bad[len(bad) // 2] ^= 0xFF
        with self.assertRaises(pyheap_reader.PyheapError):
            pyheap_reader.parse(bytes(bad), "bad.pyheap")
        self.assertRejected(b"GIF89a" + self.data[6:], "not a .pyheap file")

    def test_unknown_version(self):
        bad = bytearray(self.data)
        struct.pack_into("<H", bad, 8, 2)
        self.assertRejected(bytes(bad), "newer Heapscope")

    def test_trailing_bytes(self):
        self.assertRejected(self.data + b"\0" * 24, "after END")

    def test_disk_full_leaves_no_file(self):
        target = self.path("full.pyheap")
        real_open = builtins.open

        def full_open(path, mode="r", *args, **kw):
            f = real_open(path, mode, *args, **kw)
            # The dumper opens its temp file by descriptor (created O_EXCL, mode 0600).
            return _FullDisk(f, 50000) if "w" in mode and type(path) is int else f

        with mock.patch.object(_dump, "open", full_open, create=True):
            with self.assertRaises(heapscope.DumpError) as cm:
                heapscope.dump(target)
        msg = str(cm.exception)
        self.assertIn("no space left on device", msg)
        self.assertEqual(len(msg.splitlines()), 1)
        self.assertFalse(os.path.exists(target))
        self.assertEqual(os.listdir(self.tmp), [])

    def test_unwritable_directory(self):
        with self.assertRaises(heapscope.DumpError) as cm:
            heapscope.dump(os.path.join(self.tmp, "no", "such", "dir", "x.pyheap"))
        self.assertIn("cannot create file", str(cm.exception))

    def test_failure_mid_walk_leaves_no_file(self):
        target = self.path("boom.pyheap")
        with mock.patch.object(_dump.Walker, "run", side_effect=MemoryError("boom")):
            with self.assertRaises(heapscope.DumpError):
                heapscope.dump(target)
        self.assertFalse(os.path.exists(target))
        self.assertEqual(os.listdir(self.tmp), [])

    @unittest.skipUnless(hasattr(os, "symlink"), "needs symlinks")
    def test_temp_file_is_private_and_never_follows_a_symlink(self):
        victim = self.path("victim.txt")
        with open(victim, "w") as f:
            f.write("precious")
        target = self.path("t.pyheap")
        # The name the dumper used to write to, planted by someone sharing the directory…
        os.symlink(victim, self.path(".t.pyheap.%d.tmp" % os.getpid()))
        heapscope.dump(target)
        self.assertEqual(stat.S_IMODE(os.stat(target).st_mode), 0o600)
        # …and the random name itself, made predictable: O_EXCL|O_NOFOLLOW refuse it.
        with mock.patch.object(os, "urandom", lambda n: b"\0" * n):
            os.symlink(victim, self.path(".t.pyheap.%d.%s.tmp" % (os.getpid(), "00" * 6)))
            with self.assertRaises(heapscope.DumpError) as cm:
                heapscope.dump(target)
        self.assertIn("cannot create file", str(cm.exception))
        with open(victim) as f:
            self.assertEqual(f.read(), "precious")
        pyheap_reader.read(target)  # the first dump's file is intact

    def test_values_past_2_53_are_refused_not_wrapped(self):
        import io

        from heapscope import _format

        def writer_with(column, value):
            writer = _format.PyheapWriter(io.BytesIO())
            for name in ("o_addr", "o_size", "o_type", "o_label", "o_refcnt", "o_len",
                         "o_nedges", "o_flags"):
                getattr(writer, name).extend([0, 7])
            writer.e_target.extend([0, 7])
            writer.e_name.extend([0, 0])
            writer.e_kind.extend([0, 0])
            getattr(writer, column)[0] = value
            return writer

        for column in ("o_addr", "o_size", "e_target"):
            for value in (2 ** 53, 2 ** 53 + 0x1234, 2 ** 55, 2 ** 60, 2 ** 64 - 1):
                with self.assertRaises(_format.WriteError) as cm:
                    writer_with(column, value).flush()
                self.assertIn("2^53", str(cm.exception))
                self.assertIn(hex(value), str(cm.exception))
            writer_with(column, 2 ** 53 - 1).flush()  # the largest value it holds

    def test_existing_file_replaced_only_when_complete(self):
        target = self.path("keep.pyheap")
        with open(target, "wb") as f:
            f.write(b"old")
        with mock.patch.object(_dump.Walker, "run", side_effect=MemoryError("boom")):
            with self.assertRaises(heapscope.DumpError):
                heapscope.dump(target)
        with open(target, "rb") as f:
            self.assertEqual(f.read(), b"old")


if __name__ == "__main__":
    unittest.main()
