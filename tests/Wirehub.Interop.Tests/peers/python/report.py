"""Everything a peer observes is printed as one JSON object per line on stdout; the tests read these lines."""
import base64
import hashlib
import json
import sys

# Payloads up to this size are printed in full; larger ones only by length and SHA-256.
INLINE_LIMIT = 64 * 1024

# A text frame whose payload is not UTF-8: "κόσμε" followed by an encoded UTF-16 surrogate (RFC 3629 §3 forbids it).
INVALID_UTF8 = bytes([0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80, 0x65, 0x64])

# 64 MiB: above the largest message the tests send (websockets' own default is only 1 MiB).
MAX_SIZE = 64 * 1024 * 1024

OP_TEXT = 0x1


def emit(event, **fields):
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def describe_message(message):
    binary = isinstance(message, (bytes, bytearray, memoryview))
    data = bytes(message) if binary else message.encode("utf-8")
    fields = {"binary": binary, "length": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if len(data) <= INLINE_LIMIT:
        if binary:
            fields["base64"] = base64.b64encode(data).decode("ascii")
        else:
            fields["text"] = message
    return fields
