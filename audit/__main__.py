"""`python -m audit`: print the consistency audit as JSON; exit 1 on violations, 2 when a
service cannot be read. Settings: PARTICIPANT_*_URL (like the worker), AUDIT_*."""

import asyncio
import json
import sys

import httpx

from audit.config import AuditConfig
from audit.merge import OutOfOrder
from audit.run import run_audit
from audit.sources import SourceUnavailable


async def main() -> int:
    config = AuditConfig.from_env()
    async with httpx.AsyncClient(timeout=config.settings.http_timeout_seconds) as http:
        try:
            report = await run_audit(http, config)
        except (SourceUnavailable, OutOfOrder) as error:
            print(json.dumps({"error": {"code": "audit_unavailable", "message": str(error)}}))
            return 2
    body = report.body()
    print(json.dumps(body, indent=2))
    return 0 if body["ok"] else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
