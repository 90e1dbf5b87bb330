"""How long the API itself took to answer the polling clients' status reads: the delta of its
`http_request_duration_seconds` histogram for `GET /sagas/{saga_id}` over a phase.

The clients' own timings (`read_p99_ms`) include the load generator's event loop, one Python
process on the same saturated cores; the API's histogram does not. Its buckets are coarse
(5, 10, 25, 50 ms ...), so a quantile is reported as the upper bound of the bucket it falls in.
"""

import math

import httpx
from prometheus_client.parser import text_string_to_metric_families

ROUTE = "/sagas/{saga_id}"
Buckets = dict[float, float]  # upper bound in seconds -> requests at or under it


async def read_buckets(http: httpx.AsyncClient, api_url: str) -> Buckets:
    """The API's cumulative histogram of successful status reads, now."""
    response = await http.get(f"{api_url}/metrics")
    response.raise_for_status()
    buckets: Buckets = {}
    wanted = {"method": "GET", "route": ROUTE, "status": "200"}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            labels = sample.labels
            if sample.name.endswith("_bucket") and wanted.items() <= labels.items():
                bound = float(labels["le"])
                buckets[bound] = buckets.get(bound, 0.0) + sample.value
    return buckets


def quantile_ms(before: Buckets, after: Buckets, q: float) -> float:
    """The upper bound (ms) of the bucket holding the q-quantile of the requests between the two
    readings; NaN when there were none."""
    delta = {bound: after[bound] - before.get(bound, 0.0) for bound in after}
    total = delta.get(math.inf, 0.0)
    if total <= 0:
        return math.nan
    for bound in sorted(delta):
        if delta[bound] >= q * total:
            return bound * 1000
    return math.inf
