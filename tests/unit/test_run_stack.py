"""`make run`'s supervisor stops every child, even when Ctrl-C is pressed again meanwhile.

Files in the working folder are the latches: a child writes `ready-<pid>` once it handles
SIGTERM and `stopping-<pid>` when one arrives, then waits for `go` before it exits."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.support.eventually import eventually

SLOW_CHILD = (
    "import os, signal, sys, time\n"
    "from pathlib import Path\n"
    "def stop(*_):\n"
    "    Path(f'stopping-{os.getpid()}').touch()\n"
    "    while not Path('go').exists():\n"
    "        time.sleep(0.01)\n"
    "    sys.exit(0)\n"
    "signal.signal(signal.SIGTERM, stop)\n"
    "Path(f'ready-{os.getpid()}').touch()\n"
    "time.sleep(60)\n"
)
SUPERVISOR = f"""
import sys
from pathlib import Path
from scripts import run_stack
from scripts.stack import Service
from tests.support.eventually import eventually
Path(".data/logs").mkdir(parents=True)
children = [run_stack.start(Service(f"child{{i}}", [sys.executable, "-c", {SLOW_CHILD!r}], 0))
            for i in range(3)]
print(" ".join(str(process.pid) for _, process, _ in children), flush=True)

def handling_sigterm():
    assert all(Path(f"ready-{{process.pid}}").exists() for _, process, _ in children)

eventually(handling_sigterm)
print("stopping", flush=True)
run_stack.stop(children)
print("stopped all", flush=True)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_a_second_interrupt_does_not_abandon_children(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    supervisor = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR], cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True
    )
    assert supervisor.stdout is not None
    pids = [int(pid) for pid in supervisor.stdout.readline().split()]
    assert supervisor.stdout.readline().strip() == "stopping"

    def stopping_a_child() -> None:
        assert list(tmp_path.glob("stopping-*"))

    eventually(stopping_a_child)  # the supervisor waits on that child now: interrupt it
    supervisor.send_signal(signal.SIGINT)
    supervisor.send_signal(signal.SIGTERM)
    (tmp_path / "go").touch()
    out, _ = supervisor.communicate(timeout=30)
    assert "stopped all" in out
    assert not [pid for pid in pids if alive(pid)]
