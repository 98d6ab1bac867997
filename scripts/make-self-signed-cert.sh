#!/bin/sh
# Create a self-signed TLS certificate for local use: DIR/reqflow.crt and DIR/reqflow.key.
#
#   scripts/make-self-signed-cert.sh ./certs
#
# Idempotent: an existing pair that matches and stays valid for another 30 days is kept.
# FORCE=1 regenerates. CERT_CN (default localhost) and CERT_SANS (default
# "DNS:localhost,IP:127.0.0.1") change the names, e.g. for a test server on the LAN:
#   CERT_CN=erp.test CERT_SANS="DNS:erp.test,DNS:localhost,IP:127.0.0.1" scripts/make-self-signed-cert.sh certs
# Browsers will warn about it: for production use a certificate from your CA / Let's Encrypt.
set -eu

if [ "$#" -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
command -v openssl >/dev/null 2>&1 || { echo "openssl not found on PATH" >&2; exit 1; }

dir=$1
crt="$dir/reqflow.crt"
key="$dir/reqflow.key"
cn=${CERT_CN:-localhost}
sans=${CERT_SANS:-DNS:localhost,IP:127.0.0.1}
days=${CERT_DAYS:-825}

mkdir -p "$dir"

pair_is_usable() {
    [ -s "$crt" ] && [ -s "$key" ] || return 1
    openssl x509 -in "$crt" -noout -checkend 2592000 >/dev/null 2>&1 || return 1
    crt_pub=$(openssl x509 -in "$crt" -noout -pubkey 2>/dev/null) || return 1
    key_pub=$(openssl pkey -in "$key" -pubout 2>/dev/null) || return 1
    [ "$crt_pub" = "$key_pub" ]
}

if [ "${FORCE:-0}" != "1" ] && pair_is_usable; then
    echo "kept existing certificate $crt"
    exit 0
fi

# Write to temporary names and move into place, so a failure never leaves half a pair.
tmp_crt="$crt.tmp.$$"
tmp_key="$key.tmp.$$"
trap 'rm -f "$tmp_crt" "$tmp_key"' EXIT INT TERM

umask 077
if ! out=$(openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days "$days" \
    -keyout "$tmp_key" -out "$tmp_crt" \
    -subj "/CN=$cn" \
    -addext "subjectAltName=$sans" \
    -addext "basicConstraints=critical,CA:FALSE" \
    -addext "keyUsage=critical,digitalSignature,keyEncipherment" \
    -addext "extendedKeyUsage=serverAuth" 2>&1); then
    echo "$out" >&2
    exit 1
fi
chmod 644 "$tmp_crt"
chmod 600 "$tmp_key"
mv -f "$tmp_key" "$key"
mv -f "$tmp_crt" "$crt"
echo "wrote $crt and $key (CN=$cn, $sans, $days days)"
