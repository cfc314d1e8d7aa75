"""A websockets echo server with permessage-deflate on, for testing clients.

Prints {"event":"listening","port":N} first, then per connection "open", "message" and "close" lines tagged with the
request path. Text messages starting with "!" are commands (see run_command); everything else is echoed back unchanged.
Usage: /usr/bin/python3 server.py
"""
import asyncio

import websockets

from report import INVALID_UTF8, MAX_SIZE, OP_TEXT, describe_message, emit


async def answer_pong(ws, waiter, payload):
    try:
        await waiter
        await ws.send("pong:" + payload)
    except websockets.ConnectionClosed:
        pass


async def run_command(ws, text, extensions):
    name, _, argument = text.partition(" ")
    if name == "!close":
        # "!close <code> <reason>": starts the closing handshake.
        code, _, reason = argument.partition(" ")
        await ws.close(int(code), reason)
    elif name == "!ping":
        # "!ping <payload>": websockets resolves the waiter only for a pong with the same payload, which then comes
        # back as a text message "pong:<payload>".
        waiter = await ws.ping(argument.encode("utf-8"))
        asyncio.ensure_future(answer_pong(ws, waiter, argument))
    elif name == "!drop":
        ws.transport.abort()
    elif name == "!fragments":
        # "!fragments a|b|c": one text message sent as one frame per part.
        await ws.send(argument.split("|"))
    elif name == "!invalid-utf8":
        await ws.write_frame(True, OP_TEXT, INVALID_UTF8)
    elif name == "!extensions":
        await ws.send(extensions)
    else:
        await ws.send(text)


async def handle(ws):
    path = ws.path
    extensions = ws.response_headers.get("Sec-WebSocket-Extensions", "")
    emit("open", path=path, extensions=extensions, offered=ws.request_headers.get("Sec-WebSocket-Extensions", ""))
    try:
        while True:
            message = await ws.recv()
            emit("message", path=path, **describe_message(message))
            if isinstance(message, str) and message.startswith("!"):
                await run_command(ws, message, extensions)
            else:
                await ws.send(message)
    except websockets.ConnectionClosed:
        pass
    emit("close", path=path, code=ws.close_code, reason=ws.close_reason)


async def main():
    async with websockets.serve(handle, "127.0.0.1", 0, compression="deflate", max_size=MAX_SIZE, ping_interval=None) as server:
        emit("listening", port=server.sockets[0].getsockname()[1])
        await asyncio.Future()


asyncio.run(main())
