"""Minimal PEP 517 backend: build a py3-none-any wheel (and an sdist) of `heapscope` with zipfile.

Why not setuptools: see README.md. The wheel holds only heapscope/*.py plus the dist-info files
pip needs (METADATA, WHEEL, RECORD).
"""

import base64
import hashlib
import os
import re
import tarfile
import zipfile

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_NAME = "heapscope"


def _version():
    with open(os.path.join(_ROOT, _NAME, "__init__.py"), encoding="utf-8") as f:
        return re.search(r'^__version__ = "([^"]+)"', f.read(), re.M).group(1)


def _metadata():
    return ("Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: Heapscope's heap dumper: a "
            "labelled snapshot of a live Python process (.pyheap)\nLicense: MIT\n"
            "Requires-Python: >=3.8\n" % (_NAME, _version()))


def _wheel_info():
    return "Wheel-Version: 1.0\nGenerator: heapscope-backend\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def _sources():
    pkg = os.path.join(_ROOT, _NAME)
    for name in sorted(os.listdir(pkg)):
        if name.endswith(".py"):
            yield "%s/%s" % (_NAME, name), os.path.join(pkg, name)


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    dist_info = "%s-%s.dist-info" % (_NAME, _version())
    os.makedirs(os.path.join(metadata_directory, dist_info), exist_ok=True)
    for name, text in (("METADATA", _metadata()), ("WHEEL", _wheel_info())):
        with open(os.path.join(metadata_directory, dist_info, name), "w", encoding="utf-8") as f:
            f.write(text)
    return dist_info


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    version = _version()
    dist_info = "%s-%s.dist-info" % (_NAME, version)
    filename = "%s-%s-py3-none-any.whl" % (_NAME, version)
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as z:
        entries = [(arc, open(path, "rb").read()) for arc, path in _sources()]
        entries += [(dist_info + "/METADATA", _metadata().encode()),
                    (dist_info + "/WHEEL", _wheel_info().encode())]
        for arc, data in entries:
            z.writestr(arc, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append("%s,sha256=%s,%d" % (arc, digest.decode(), len(data)))
        record.append(dist_info + "/RECORD,,")
        z.writestr(dist_info + "/RECORD", "\n".join(record) + "\n")
    return filename


def build_sdist(sdist_directory, config_settings=None):
    base = "%s-%s" % (_NAME, _version())
    filename = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as tar:
        for rel in ("pyproject.toml", "README.md", "_build/backend.py", "_build/README.md"):
            tar.add(os.path.join(_ROOT, rel), arcname="%s/%s" % (base, rel))
        for arc, path in _sources():
            tar.add(path, arcname="%s/%s" % (base, arc))
        info = tarfile.TarInfo("%s/PKG-INFO" % base)
        data = _metadata().encode()
        info.size = len(data)
        import io

        tar.addfile(info, io.BytesIO(data))
    return filename
