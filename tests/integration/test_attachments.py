"""Attachments on business documents: versions, downloads, types, sizes, visibility."""

from __future__ import annotations

from pathlib import Path

from tests.integration.docs import PDF, png, sha256, upload
from tests.integration.pos import create_po, free, suppliers
from tests.integration.reqs import create


def _requisition(client, auth) -> int:
    return create(client, auth("engineer"))["id"]


def test_upload_then_download_gives_the_same_bytes_and_hash(client, auth):
    req_id = _requisition(client, auth)
    response = upload(client, auth("engineer"), f"/requisitions/{req_id}/attachments", PDF)
    assert response.status_code == 201, response.json
    att = response.json["data"]["attachment"]
    assert att["content_type"] == "application/pdf"
    assert att["size"] == len(PDF) and att["sha256"] == sha256(PDF)
    assert att["versions"][0]["uploaded_by"]["username"] == "engineer"

    content = client.get(f"/api/v1/attachments/{att['id']}/content", headers=auth("engineer"))
    assert content.status_code == 200
    assert content.data == PDF and sha256(content.data) == att["sha256"]
    assert content.headers["Content-Disposition"].startswith("attachment;")
    assert content.headers["X-Content-Type-Options"] == "nosniff"
    assert content.mimetype == "application/pdf"

    listed = client.get(f"/api/v1/requisitions/{req_id}/attachments", headers=auth("engineer"))
    assert [a["id"] for a in listed.json["data"]["attachments"]] == [att["id"]]


def test_a_new_version_keeps_the_old_one_downloadable(client, auth):
    req_id = _requisition(client, auth)
    first = upload(client, auth("engineer"), f"/requisitions/{req_id}/attachments", PDF)
    att_id = first.json["data"]["attachment"]["id"]
    second = PDF.replace(b"0123", b"4567")
    response = upload(client, auth("engineer"), f"/attachments/{att_id}/versions", second, "v2.pdf")
    assert response.status_code == 201, response.json
    att = response.json["data"]["attachment"]
    assert att["current_version"] == 2 and att["filename"] == "v2.pdf"
    assert [(v["version"], v["sha256"]) for v in att["versions"]] == [
        (1, sha256(PDF)),
        (2, sha256(second)),
    ]
    old = client.get(f"/api/v1/attachments/{att_id}/content?version=1", headers=auth("engineer"))
    new = client.get(f"/api/v1/attachments/{att_id}/content", headers=auth("engineer"))
    assert old.data == PDF and new.data == second
    missing = client.get(
        f"/api/v1/attachments/{att_id}/content?version=9", headers=auth("engineer")
    )
    assert missing.status_code == 404


def test_an_exe_renamed_pdf_is_refused_with_415(client, auth):
    req_id = _requisition(client, auth)
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 4096
    response = upload(client, auth("engineer"), f"/requisitions/{req_id}/attachments", exe)
    assert response.status_code == 415
    assert response.json["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


def test_a_21_mb_file_is_refused_with_413(client, auth):
    req_id = _requisition(client, auth)
    big = PDF + b"x" * (21 * 1024 * 1024)
    response = upload(client, auth("engineer"), f"/requisitions/{req_id}/attachments", big)
    assert response.status_code == 413
    assert response.json["success"] is False


def test_text_types_are_told_apart_from_bytes(client, auth):
    req_id = _requisition(client, auth)
    path = f"/requisitions/{req_id}/attachments"
    samples = {
        b"sku,qty,price\nB-6201,2,10.50\nB-6202,4,11.00\n": "text/csv",
        b"From: supplier@example.com\nSubject: Quote 42\n\nPlease find...\n": "message/rfc822",
        b"Delivery on Tuesday, gate 3.\n": "text/plain",
    }
    for data, expected in samples.items():
        response = upload(client, auth("engineer"), path, data, "note.pdf")
        assert response.status_code == 201, response.json
        assert response.json["data"]["attachment"]["content_type"] == expected


def test_a_path_traversal_file_name_is_stored_safely(app, client, auth):
    req_id = _requisition(client, auth)
    response = upload(
        client,
        auth("engineer"),
        f"/requisitions/{req_id}/attachments",
        PDF,
        "../../../etc/passwd.pdf",
    )
    assert response.status_code == 201, response.json
    assert response.json["data"]["attachment"]["filename"] == "passwd.pdf"
    root = Path(app.config["UPLOAD_FOLDER"]) / "attachments"
    stored = [p for p in root.rglob("*") if p.is_file()]
    assert stored and all(p.resolve().is_relative_to(root.resolve()) for p in stored)
    assert all("passwd" not in p.name for p in stored)
    assert not (Path(app.config["UPLOAD_FOLDER"]).parent / "etc").exists()


def test_images_get_a_thumbnail(client, auth):
    req_id = _requisition(client, auth)
    response = upload(
        client, auth("engineer"), f"/requisitions/{req_id}/attachments", png(), "photo.png"
    )
    att = response.json["data"]["attachment"]
    assert att["content_type"] == "image/png" and att["has_thumbnail"] is True
    thumb = client.get(
        f"/api/v1/attachments/{att['id']}/content?thumbnail=true", headers=auth("engineer")
    )
    assert thumb.status_code == 200 and thumb.data.startswith(b"\x89PNG")
    import io

    from PIL import Image

    assert max(Image.open(io.BytesIO(thumb.data)).size) <= 240


def test_a_user_who_cannot_see_the_po_gets_404_on_its_files_and_comments(app, client, auth):
    (supplier,) = suppliers(app, "ACME")
    po = create_po(client, auth, supplier, [free()])
    path = f"/purchase-orders/{po['id']}"
    assert upload(client, auth("buyer"), f"{path}/attachments", PDF).status_code == 201
    att_id = client.get(f"/api/v1{path}/attachments", headers=auth("buyer")).json["data"][
        "attachments"
    ][0]["id"]
    for url in (
        f"{path}/attachments",
        f"{path}/comments",
        f"/attachments/{att_id}",
        f"/attachments/{att_id}/content",
    ):
        response = client.get(f"/api/v1{url}", headers=auth("engineer"))
        assert response.status_code == 404, url
    assert upload(client, auth("engineer"), f"{path}/attachments", PDF).status_code == 404


def test_only_the_uploader_or_an_admin_deletes_and_it_stays_in_the_audit(client, auth):
    req_id = _requisition(client, auth)
    att = upload(client, auth("engineer"), f"/requisitions/{req_id}/attachments", PDF).json["data"][
        "attachment"
    ]
    other = client.delete(f"/api/v1/attachments/{att['id']}", headers=auth("lead"))
    assert other.status_code == 403
    mine = client.delete(f"/api/v1/attachments/{att['id']}", headers=auth("engineer"))
    assert mine.status_code == 200
    listed = client.get(f"/api/v1/requisitions/{req_id}/attachments", headers=auth("engineer"))
    assert listed.json["data"]["attachments"] == []
    audit = client.get("/api/v1/audit-logs?resource_type=attachment", headers=auth("admin")).json[
        "data"
    ]
    actions = {row["action"] for row in audit["audit_logs"]}
    assert {"attachment.create", "attachment.delete"} <= actions


def test_no_deletion_once_the_document_is_no_longer_editable(client, auth):
    req = create(client, auth("lead"))
    att = upload(client, auth("lead"), f"/requisitions/{req['id']}/attachments", PDF).json["data"][
        "attachment"
    ]
    assert (
        client.post(f"/api/v1/requisitions/{req['id']}/submit", headers=auth("lead")).status_code
        == 200
    )
    approved = client.post(f"/api/v1/requisitions/{req['id']}/approve", headers=auth("buyer"))
    assert approved.json["data"]["requisition"]["status"] == "Approved"
    response = client.delete(f"/api/v1/attachments/{att['id']}", headers=auth("lead"))
    assert response.status_code == 409


def test_a_body_that_is_not_multipart_is_refused(client, auth):
    req_id = _requisition(client, auth)
    response = client.post(
        f"/api/v1/requisitions/{req_id}/attachments", json={"file": "x"}, headers=auth("engineer")
    )
    assert response.status_code == 415
    empty = client.post(
        f"/api/v1/requisitions/{req_id}/attachments",
        data={"other": "x"},
        content_type="multipart/form-data",
        headers=auth("engineer"),
    )
    assert empty.status_code == 400


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/requisitions/{document_id}/attachments",
        "/purchase-orders/{document_id}/comments",
        "/attachments/{attachment_id}",
        "/attachments/{attachment_id}/content",
        "/attachments/{attachment_id}/versions",
        "/comments/{comment_id}",
    ):
        assert path in paths, path
    post = paths["/requisitions/{document_id}/attachments"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]


def test_the_sweep_removes_orphan_blobs_and_keeps_committed_ones(app, client, auth):
    import io
    from datetime import timedelta

    from reqflow.core.jobs import JOBS
    from reqflow.documents import service
    from reqflow.documents.storage import get_storage, new_key

    req_id = _requisition(client, auth)
    att = upload(client, auth("engineer"), f"/requisitions/{req_id}/attachments", png(), "a.png")
    assert att.status_code == 201
    with app.app_context():
        orphan = new_key()
        get_storage().put(orphan, io.BytesIO(b"never committed"))
        assert JOBS["documents.sweep_orphans"]() == 0  # too recent: an upload may be committing
        # (blobs of earlier tests, whose rows were truncated, are orphans too)
        assert service.sweep_orphans(older_than=timedelta(0)) >= 1
        assert not get_storage().exists(orphan)
    again = client.get(
        f"/api/v1/attachments/{att.json['data']['attachment']['id']}/content",
        headers=auth("engineer"),
    )
    assert again.status_code == 200
