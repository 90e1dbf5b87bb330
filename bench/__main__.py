import os
import sys

from bench.runner import main

if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # skip interpreter teardown: the Temporal runtime can crash there (BASELINE.md)
