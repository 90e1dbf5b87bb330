"""GET /audit: the consistency audit across the participants and the order-history view."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from api.deps import Caller, HttpDep
from api.proxy import Unavailable
from audit.config import AuditConfig
from audit.merge import OutOfOrder
from audit.run import run_audit
from audit.sources import SourceUnavailable

router = APIRouter(tags=["audit"])


def get_audit_config(request: Request) -> AuditConfig:
    """From the environment (PARTICIPANT_*_URL, AUDIT_*), read once per process."""
    if not hasattr(request.app.state, "audit_config"):
        request.app.state.audit_config = AuditConfig.from_env()
    config: AuditConfig = request.app.state.audit_config
    return config


AuditConfigDep = Annotated[AuditConfig, Depends(get_audit_config)]


@router.get("/audit")
async def audit(_: Caller, http: HttpDep, config: AuditConfigDep) -> dict[str, Any]:
    """`{"ok", "checked": {counts}, "violations": [{"rule", "order_id", "detail"}]}`; 503 when a
    participant or the view cannot be read."""
    try:
        report = await run_audit(http, config)
    except (SourceUnavailable, OutOfOrder) as error:
        raise Unavailable("audit_unavailable", str(error)) from error
    return report.body()
