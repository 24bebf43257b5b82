#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Oracle for tests/vectors/auth: hashes and digest responses computed with Python's hashlib
# (OpenSSL), independently of Sipwire's managed MD5/SHA-256/SHA-512-256 and digest code.
#
#   python3 tests/tools/digest_vectors.py tests/vectors/auth
import hashlib
import random
import sys

HASHES = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}


def h(alg, data):
    return hashlib.new(HASHES[alg.replace("-sess", "")], data).hexdigest()


def response(alg, user, realm, password, method, uri, nonce, nc, cnonce, qop, body):
    # RFC 7616 §3.4.1-3.4.3
    ha1 = h(alg, f"{user}:{realm}:{password}".encode())
    if alg.endswith("-sess"):
        ha1 = h(alg, f"{ha1}:{nonce}:{cnonce}".encode())
    a2 = f"{method}:{uri}" if qop in ("", "auth") else f"{method}:{uri}:{h(alg, body)}"
    ha2 = h(alg, a2.encode())
    if qop == "":
        return h(alg, f"{ha1}:{nonce}:{ha2}".encode())
    return h(alg, f"{ha1}:{nonce}:{nc:08x}:{cnonce}:{qop}:{ha2}".encode())


def main(out_dir):
    rng = random.Random(20261125)
    with open(f"{out_dir}/hashes.tsv", "w", encoding="ascii", newline="\n") as f:
        f.write("# algorithm\tinput (hex)\tdigest (hex): Python hashlib, seeded random inputs of every length 0..300\n")
        for alg in HASHES:
            for length in list(range(0, 301)):
                data = bytes(rng.getrandbits(8) for _ in range(length))
                f.write(f"{alg}\t{data.hex()}\t{h(alg, data)}\n")
    with open(f"{out_dir}/digest.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("# algorithm\tusername\trealm\tpassword\tmethod\turi\tnonce\tnc\tcnonce\tqop\tbody (hex)\tresponse: RFC 7616 §3.4 with Python hashlib\n")
        bodies = [b"", b"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n", bytes(range(256))]
        for alg in ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256", "SHA-512-256-sess"]:
            for qop in ["", "auth", "auth-int"]:
                if qop == "" and alg.endswith("-sess"):
                    continue
                for i, body in enumerate(bodies):
                    user = ["alice", "J\u00e4s\u00f8n Doe", "bob"][i]
                    nc = [1, 2, 0xABCDEF01][i]
                    args = (alg, user, "sip.example.test", f"pw-{i}:x", ["REGISTER", "INVITE", "BYE"][i],
                            f"sip:{['example.test', 'bob@example.test', 'bob@[2001:db8::1]:5060;transport=tcp'][i]}",
                            f"nonce{i}+/=", nc, f"cn{i}" if (qop or alg.endswith("-sess")) else "", qop, body)
                    f.write("\t".join([args[0], args[1], args[2], args[3], args[4], args[5], args[6], str(args[7]),
                                       args[8], args[9], body.hex(), response(*args)]) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
