'use strict';
// A ws echo server with permessage-deflate on, for testing clients. Prints {"event":"listening","port":N} first, then
// per connection "open", "message" and "close" lines tagged with the request path (report.js).
// Text messages starting with "!" are commands (see runCommand); everything else is echoed back unchanged.
const { WebSocketServer } = require('ws');
const { emit, describeMessage, INVALID_UTF8, MAX_PAYLOAD } = require('./report');

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true, maxPayload: MAX_PAYLOAD });
const responseExtensions = new WeakMap();

wss.on('headers', (headers, request) => {
  const line = headers.find((h) => /^sec-websocket-extensions:/i.test(h));
  responseExtensions.set(request, line ? line.slice(line.indexOf(':') + 1).trim() : '');
});

wss.on('listening', () => emit('listening', { port: wss.address().port }));

wss.on('connection', (ws, request) => {
  const path = request.url;
  const extensions = responseExtensions.get(request) || '';
  emit('open', { path, extensions, offered: request.headers['sec-websocket-extensions'] || '' });
  ws.on('message', (data, isBinary) => {
    emit('message', { path, ...describeMessage(data, isBinary) });
    const text = isBinary ? null : Buffer.from(data).toString('utf8');
    if (text !== null && text.startsWith('!')) runCommand(ws, text, extensions);
    else ws.send(data, { binary: isBinary });
  });
  ws.on('ping', (data) => emit('ping', { path, text: data.toString('utf8') }));
  ws.on('pong', (data) => ws.send('pong:' + data.toString('utf8')));
  ws.on('error', (error) => emit('error', { path, message: error.message }));
  ws.on('close', (code, reason) => emit('close', { path, code, reason: reason.toString('utf8') }));
});

function runCommand(ws, text, extensions) {
  const space = text.indexOf(' ');
  const name = space < 0 ? text : text.slice(0, space);
  const argument = space < 0 ? '' : text.slice(space + 1);
  switch (name) {
    case '!close': {
      // "!close <code> <reason>": starts the closing handshake.
      const separator = argument.indexOf(' ');
      const code = Number(separator < 0 ? argument : argument.slice(0, separator));
      ws.close(code, separator < 0 ? '' : argument.slice(separator + 1));
      break;
    }
    case '!ping':
      // "!ping <payload>": the pong's payload comes back as a text message "pong:<payload>".
      ws.ping(argument);
      break;
    case '!drop':
      ws.terminate();
      break;
    case '!fragments': {
      // "!fragments a|b|c": one text message sent as one frame per part.
      const parts = argument.split('|');
      parts.forEach((part, i) => ws.send(part, { binary: false, fin: i === parts.length - 1 }));
      break;
    }
    case '!invalid-utf8':
      ws.send(INVALID_UTF8, { binary: false });
      break;
    case '!extensions':
      ws.send(extensions);
      break;
    default:
      ws.send(text);
  }
}
