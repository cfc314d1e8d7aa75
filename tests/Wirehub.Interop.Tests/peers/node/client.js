'use strict';
// A ws client driven by JSON commands on stdin, one per line; it prints what it observes as JSON lines (report.js).
// Usage: node client.js <url> [--no-deflate]
const fs = require('fs');
const readline = require('readline');
const WebSocket = require('ws');
const { emit, describeMessage, INVALID_UTF8, MAX_PAYLOAD } = require('./report');

const url = process.argv[2];
const deflate = !process.argv.includes('--no-deflate');
const ws = new WebSocket(url, { perMessageDeflate: deflate, maxPayload: MAX_PAYLOAD });
let extensions = '';

ws.on('upgrade', (response) => { extensions = response.headers['sec-websocket-extensions'] || ''; });
// Commands that arrive before the handshake completes wait for it.
const pending = [];
ws.on('open', () => {
  emit('open', { extensions, protocol: ws.protocol });
  pending.splice(0).forEach(runLine);
});
ws.on('message', (data, isBinary) => emit('message', describeMessage(data, isBinary)));
ws.on('ping', (data) => emit('ping', { text: data.toString('utf8') }));
ws.on('pong', (data) => emit('pong', { text: data.toString('utf8') }));
ws.on('error', (error) => emit('error', { message: error.message }));
ws.on('close', (code, reason) => {
  emit('close', { code, reason: reason.toString('utf8') });
  process.exit(0);
});

function payloadOf(command) {
  if (command.base64 !== undefined) return Buffer.from(command.base64, 'base64');
  return command.text;
}

// Every command ends with a "done" line once ws has handed its frames to the socket, or an "error" line.
function run(command) {
  const done = (error) => {
    if (error) emit('error', { op: command.op, message: error.message });
    else emit('done', { op: command.op });
  };
  switch (command.op) {
    case 'send':
      ws.send(payloadOf(command), { binary: !!command.binary, fin: command.fin !== false }, done);
      break;
    case 'send-file':
      ws.send(fs.readFileSync(command.path), { binary: !!command.binary }, done);
      break;
    case 'send-fragments': {
      // ws.send with fin:false sends one frame of a message the next send continues (RFC 6455 §5.4).
      const parts = command.parts;
      parts.forEach((part, i) => {
        const last = i === parts.length - 1;
        ws.send(command.binary ? Buffer.from(part, 'utf8') : part, { binary: !!command.binary, fin: last }, last ? done : undefined);
      });
      break;
    }
    case 'send-invalid-utf8':
      // A Buffer sent with binary:false goes out as a text frame without validation.
      ws.send(INVALID_UTF8, { binary: false }, done);
      break;
    case 'ping':
      ws.ping(command.text, true, done);
      break;
    case 'close':
      ws.close(command.code, command.reason);
      done();
      break;
    case 'drop':
      // Destroys the socket: no close frame, the peer sees the TCP connection end.
      ws.terminate();
      done();
      break;
    default:
      emit('error', { op: command.op, message: `unknown command "${command.op}"` });
  }
}

function runLine(line) {
  try {
    run(JSON.parse(line));
  } catch (error) {
    emit('error', { message: `command failed: ${error.message}` });
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === '') return;
  if (ws.readyState === WebSocket.CONNECTING) pending.push(line);
  else runLine(line);
});
