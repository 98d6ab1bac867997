"""The client's address, trusting X-Forwarded-For only from configured proxies."""

from __future__ import annotations

import ipaddress

from flask import current_app, request


def _trusted(address: str, proxies: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for proxy in proxies:
        try:
            if ip in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip() -> str:
    """Walk X-Forwarded-For from the right while the hop is a trusted proxy."""
    remote = request.remote_addr or "0.0.0.0"
    proxies = current_app.config.get("TRUSTED_PROXIES") or []
    if not proxies or not _trusted(remote, proxies):
        return remote
    hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop
    return hops[0] if hops else remote
