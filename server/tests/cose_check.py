"""Checks a certificate's code with pycose, an implementation of COSE that is not ours.

usage: cose_check.py CODE JWKS_JSON — prints "verified NUMBER KIND" and exits 0, or exits 1.
"""
import base64
import json
import sys
import zlib

import cbor2
from pycose.headers import KID
from pycose.keys import OKPKey
from pycose.keys.curves import Ed25519
from pycose.messages import Sign1Message

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def base45(text):
    out = bytearray()
    for i in range(0, len(text), 3):
        chunk = [ALPHABET.index(c) for c in text[i:i + 3]]
        n = sum(v * 45 ** k for k, v in enumerate(chunk))
        out += n.to_bytes(2 if len(chunk) == 3 else 1, "big")
    return bytes(out)


def b64url(data):
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def main():
    code, jwks = sys.argv[1], json.loads(sys.argv[2])
    assert code.startswith("NC1:")
    message = Sign1Message.decode(zlib.decompress(base45(code[4:])))
    wanted = base64.urlsafe_b64encode(message.phdr[KID]).rstrip(b"=").decode()
    jwk = next(k for k in jwks["keys"] if k["kid"] == wanted)
    message.key = OKPKey(crv=Ed25519, x=b64url(jwk["x"]))
    if not message.verify_signature():
        print("signature does not verify")
        sys.exit(1)
    claims = cbor2.loads(message.payload)
    certified = claims[-70001]
    print("verified", claims[7].decode(), certified[1])


if __name__ == "__main__":
    main()
