"""Container health probe: `python -m service_app.healthcheck http://127.0.0.1:8101/healthz`.

Exits 0 when the URL answers 2xx within the timeout, 1 otherwise. The application image has no
curl; this keeps it that way.
"""

import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 3.0


def healthy(url: str, timeout: float = TIMEOUT_SECONDS) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= int(response.status) < 300
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return False


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m service_app.healthcheck URL", file=sys.stderr)
        return 2
    return 0 if healthy(argv[0]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
