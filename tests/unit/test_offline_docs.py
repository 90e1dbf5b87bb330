"""/docs and /redoc work without the internet: the API serves the pages' scripts and styles."""

import re

import httpx

from tests.support.api_app import api_client

ASSET = re.compile(r"""(?:src|href)=["']([^"']+)["']|url:\s*["']([^"']+)["']""")


def references(page: str) -> list[str]:
    return [a or b for a, b in ASSET.findall(page)]


async def test_docs_reference_no_external_host_and_every_asset_answers() -> None:
    async with api_client() as api:
        for page in ("/docs", "/redoc"):
            response = await api.get(page)
            assert response.status_code == 200, page
            found = references(response.text)
            assert found, response.text
            assert not [url for url in found if url.startswith(("http:", "https:", "//"))], found
            for url in found:
                asset = await api.get(url)
                assert asset.status_code == 200, url
                assert asset.content, url


async def test_the_openapi_document_the_docs_load_is_served() -> None:
    async with api_client() as api:
        response: httpx.Response = await api.get("/openapi.json")
        assert response.status_code == 200 and response.json()["openapi"].startswith("3.")
