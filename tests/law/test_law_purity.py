"""The law core must run without Django (DESIGN.md: pure packages)."""

import subprocess
import sys


def test_law_modules_do_not_import_django():
    code = (
        "import sys\n"
        "import gongkai.law.cli, gongkai.law.clock, gongkai.law.consistency\n"
        "import gongkai.law.fees, gongkai.law.workdays\n"
        "gongkai.law.workdays.default_calendar()\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_pii_package_does_not_import_django():
    code = (
        "import sys\n"
        "import gongkai.pii, gongkai.pii.cli, gongkai.pii.detect, gongkai.pii.files\n"
        "gongkai.pii.scan_file('手机13812345678'.encode(), name='a.txt')\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
