"""The evidence package: every hash in it checks out, and it is audited."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from fastapi.testclient import TestClient

from tests.api.web.conftest import login


def check_package(data: bytes) -> dict[str, Any]:
    """Open a package and verify SHA256SUMS and the manifest against the files; returns the manifest."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        root = names[0].split("/")[0]
        files = {n.removeprefix(root + "/"): zf.read(n) for n in names}
    manifest = json.loads(files["manifest.json"])
    for line in files["SHA256SUMS"].decode().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    for name, meta in manifest["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == meta["sha256"] and len(files[name]) == meta["size"]
    snapshot = [n for n in files if n.startswith("snapshot/")]
    assert len(snapshot) == 1
    assert hashlib.sha256(files[snapshot[0]]).hexdigest() == manifest["evidence"]["sha256"]
    assert snapshot[0].startswith(f"snapshot/{manifest['evidence']['sha256']}")
    assert json.loads(files["post.json"])["id"] == manifest["post_id"]
    return manifest


def test_download_and_check_the_evidence_package(web: TestClient, web_env: dict[str, Any]) -> None:
    login(web, "admin")
    pid = web_env["ids"][0]  # the seeded post with a snapshot
    page = web.get(f"/posts/{pid}").text
    resp = web.get(f"/posts/{pid}/evidence.zip")
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/zip"
    assert f'filename="pantau-evidence-{pid}.zip"' in resp.headers["content-disposition"]
    manifest = check_package(resp.content)
    assert manifest["evidence"]["sha256"] in page
    assert manifest["evidence"]["crawler_version"] == "test/1" and manifest["evidence"]["fetched_at"]
    assert manifest["created_by"] == "admin-1"
    assert "evidence.export" in web.get(f"/admin/audit?object_id={pid}").text


def test_no_snapshot_no_package(web: TestClient, web_env: dict[str, Any]) -> None:
    login(web)
    assert web.get(f"/posts/{web_env['ids'][1]}/evidence.zip").status_code == 404


def test_volunteers_cannot_export(web: TestClient, web_env: dict[str, Any]) -> None:
    login(web, "volunteer")
    assert web.get(f"/posts/{web_env['ids'][0]}/evidence.zip").status_code == 403
