from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import HttpDep, SettingsDep, TemporalDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(temporal: TemporalDep, http: HttpDep, settings: SettingsDep) -> JSONResponse:
    """Ready when Temporal answers; reports the order-history view's lag when it is reachable."""
    checks: dict[str, Any] = {}
    try:
        await temporal.service_client.check_health()
        checks["temporal"] = "ok"
    except Exception as error:
        checks["temporal"] = f"unreachable: {type(error).__name__}"
    try:
        view = (await http.get(f"{settings.order_history_url}/readyz")).json()
        checks["order_history"] = {
            "status": view.get("status"),
            "lag_seconds": view.get("lag_seconds"),
        }
    except Exception as error:
        checks["order_history"] = {"status": f"unreachable: {type(error).__name__}"}
    ready = checks["temporal"] == "ok"
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )
