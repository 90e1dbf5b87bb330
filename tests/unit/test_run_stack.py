"""`make run`'s supervisor stops every child, even when Ctrl-C is pressed again meanwhile."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SLOW_CHILD = (
    "import signal, sys, time\n"
    "signal.signal(signal.SIGTERM, lambda *_: (time.sleep(1.5), sys.exit(0)))\n"
    "time.sleep(60)\n"
)
SUPERVISOR = f"""
import sys
import time
from pathlib import Path
from scripts import run_stack
from scripts.stack import Service
Path(".data/logs").mkdir(parents=True)
children = [run_stack.start(Service(f"child{{i}}", [sys.executable, "-c", {SLOW_CHILD!r}], 0))
            for i in range(3)]
print(" ".join(str(process.pid) for _, process, _ in children), flush=True)
time.sleep(1)  # the children have set their SIGTERM handlers
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
    time.sleep(0.5)  # stopping the first child takes 1.5 s: interrupt in the middle of it
    supervisor.send_signal(signal.SIGINT)
    supervisor.send_signal(signal.SIGTERM)
    out, _ = supervisor.communicate(timeout=30)
    assert "stopped all" in out
    assert not [pid for pid in pids if alive(pid)]
