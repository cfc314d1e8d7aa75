'use strict';
// Everything a peer observes is printed as one JSON object per line on stdout; the tests read these lines.
const crypto = require('crypto');

// Payloads up to this size are printed in full; larger ones only by length and SHA-256.
const INLINE_LIMIT = 64 * 1024;

function emit(event, fields) {
  process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');
}

function describeMessage(data, isBinary) {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  const fields = {
    binary: isBinary,
    length: buffer.length,
    sha256: crypto.createHash('sha256').update(buffer).digest('hex'),
  };
  if (buffer.length <= INLINE_LIMIT) {
    if (isBinary) fields.base64 = buffer.toString('base64');
    else fields.text = buffer.toString('utf8');
  }
  return fields;
}

// A text frame whose payload is not UTF-8: "κόσμε" followed by an encoded UTF-16 surrogate (RFC 3629 §3 forbids it).
const INVALID_UTF8 = Buffer.from([0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5, 0xed, 0xa0, 0x80, 0x65, 0x64]);

// 64 MiB: above the largest message the tests send, below anything that would exhaust memory.
const MAX_PAYLOAD = 64 * 1024 * 1024;

module.exports = { emit, describeMessage, INVALID_UTF8, MAX_PAYLOAD };
