"""The `gongkai` dispatcher itself (sub-commands are tested beside their packages)."""

import subprocess
import sys

from gongkai.cli import main


def test_no_arguments_prints_help(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    for command in ("deadline", "fee", "audit"):
        assert command in out


def test_reader_leaving_early_is_not_a_traceback():
    """`gongkai fee --pages 500 | head -1` must end quietly when head closes the pipe."""
    code = (
        "import sys; from gongkai.cli import main; "
        "sys.argv=['gongkai','fee','--pages','500']; sys.exit(main())"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PYTHONUNBUFFERED": "1"},
    )
    proc.stdout.close()  # nobody reads: the first write hits a closed pipe
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err
    assert proc.returncode in (0, 141)
