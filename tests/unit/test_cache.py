"""The in-process cache backend: values expire, versions only grow, and it stays bounded."""

from __future__ import annotations

import threading
import time

from reqflow.core.cache import Cache, MemoryBackend, versioned


def test_a_value_expires_after_its_ttl():
    cache = Cache(MemoryBackend())
    cache.set("k", {"n": 1}, ttl=0.05)
    assert cache.get("k") == {"n": 1}
    time.sleep(0.06)
    assert cache.get("k") is None


def test_bumping_a_namespace_moves_its_keys_to_a_new_version():
    cache = Cache(MemoryBackend())
    before = versioned("board", cache.versions(["requisition", "invoice"]))
    cache.set(before, 1)
    cache.bump("invoice")
    after = versioned("board", cache.versions(["requisition", "invoice"]))
    assert after != before and cache.get(after) is None
    assert cache.get(before) == 1  # still there, but no reader asks for it any more


def test_delete_removes_a_value():
    cache = Cache(MemoryBackend())
    cache.set("k", "v")
    cache.delete("k")
    assert cache.get("k") is None


def test_concurrent_bumps_are_all_counted():
    cache = Cache(MemoryBackend())
    threads = [
        threading.Thread(target=lambda: [cache.bump("ns") for _ in range(200)]) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.versions(["ns"]) == {"ns": "800"}


def test_a_full_cache_drops_values_but_keeps_versions():
    cache = Cache(MemoryBackend(max_entries=10))
    cache.bump("ns")
    for i in range(30):
        cache.set(f"k{i}", i)
    assert cache.versions(["ns"]) == {"ns": "1"}
    assert cache.get("k29") == 29
