"""One contract for every attachment storage backend: the local filesystem, and S3 over
HTTP. No S3-compatible server can be installed here, so moto's standalone server (a real
HTTP server speaking the S3 protocol, started on a free loopback port) stands in for MinIO
or AWS S3."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from reqflow.documents.storage import FileSystemStorage, S3Storage, Storage, new_key
from tests.conftest import free_port


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def _s3(endpoint: str) -> S3Storage:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="reqflow-test",
        aws_secret_access_key="reqflow-test-secret",
    )
    bucket = f"reqflow-{new_key()[:12]}"
    client.create_bucket(Bucket=bucket)
    return S3Storage(client, bucket)


@pytest.fixture(params=["filesystem", "s3"])
def storage(request, tmp_path) -> Storage:
    if request.param == "filesystem":
        return FileSystemStorage(tmp_path / "attachments")
    return _s3(request.getfixturevalue("s3_endpoint"))


def test_put_then_open_returns_the_same_bytes(storage):
    key = new_key()
    data = bytes(range(256)) * 40_000  # 10 MB: several multipart parts on S3
    storage.put(key, io.BytesIO(data))
    with storage.open(key) as stream:
        assert stream.read() == data
    assert storage.exists(key)


def test_keys_lists_what_was_stored_with_a_recent_time(storage):
    keys = {new_key() for _ in range(3)}
    for key in keys:
        storage.put(key, io.BytesIO(b"abc"))
    listed = dict(storage.keys())
    assert keys <= set(listed)
    now = datetime.now(UTC)
    assert all(now - timedelta(minutes=5) < listed[k] <= now + timedelta(minutes=5) for k in keys)


def test_delete_removes_and_is_idempotent(storage):
    key = new_key()
    storage.put(key, io.BytesIO(b"abc"))
    storage.delete(key)
    storage.delete(key)
    assert not storage.exists(key)
    assert key not in dict(storage.keys())


def test_a_thumbnail_key_is_accepted(storage):
    key = new_key() + ".thumb"
    storage.put(key, io.BytesIO(b"png"))
    with storage.open(key) as stream:
        assert stream.read() == b"png"


def test_the_filesystem_refuses_keys_that_are_paths(tmp_path):
    fs = FileSystemStorage(tmp_path / "attachments")
    for bad in ("../../etc/passwd", "..", "/etc/passwd", "ab/cd", ""):
        with pytest.raises(ValueError):
            fs.put(bad, io.BytesIO(b"x"))
