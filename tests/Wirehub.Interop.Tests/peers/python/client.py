"""A websockets client driven by JSON commands on stdin, one per line; it prints what it observes as JSON lines.

Usage: /usr/bin/python3 client.py <url> [--no-deflate]
"""
import asyncio
import base64
import json
import sys

import websockets

from report import INVALID_UTF8, MAX_SIZE, OP_TEXT, describe_message, emit


async def receive_all(ws):
    try:
        while True:
            emit("message", **describe_message(await ws.recv()))
    except websockets.ConnectionClosed:
        emit("close", code=ws.close_code, reason=ws.close_reason)


async def report_pong(waiter, text):
    # websockets resolves the waiter only for a pong carrying this ping's payload.
    try:
        await waiter
        emit("pong", text=text)
    except websockets.ConnectionClosed as error:
        emit("error", op="ping", message=str(error))


async def run(ws, command):
    op = command["op"]
    if op == "send":
        if "base64" in command:
            data = base64.b64decode(command["base64"])
            if command.get("binary"):
                await ws.send(data)
            else:
                await ws.send(data.decode("utf-8"))
        else:
            await ws.send(command["text"])
    elif op == "send-file":
        with open(command["path"], "rb") as file:
            await ws.send(file.read())
    elif op == "send-fragments":
        # send() of an iterable sends one frame per item, all of one message (RFC 6455 §5.4).
        parts = command["parts"]
        await ws.send([part.encode("utf-8") for part in parts] if command.get("binary") else parts)
    elif op == "send-invalid-utf8":
        # write_frame is the protocol's lower-level API: it marks the bytes as text without validating them.
        await ws.write_frame(True, OP_TEXT, INVALID_UTF8)
    elif op == "ping":
        waiter = await ws.ping(command["text"].encode("utf-8"))
        asyncio.ensure_future(report_pong(waiter, command["text"]))
    elif op == "close":
        asyncio.ensure_future(ws.close(command["code"], command.get("reason", "")))
    elif op == "drop":
        # Aborts the TCP connection: no close frame.
        ws.transport.abort()
    else:
        emit("error", op=op, message=f'unknown command "{op}"')
        return
    emit("done", op=op)


async def main():
    url = sys.argv[1]
    compression = None if "--no-deflate" in sys.argv else "deflate"
    ws = await websockets.connect(url, compression=compression, max_size=MAX_SIZE, ping_interval=None, close_timeout=10)
    emit("open", extensions=ws.response_headers.get("Sec-WebSocket-Extensions", ""), protocol=ws.subprotocol or "")
    receiver = asyncio.ensure_future(receive_all(ws))

    loop = asyncio.get_running_loop()
    stdin = asyncio.StreamReader(limit=2**26)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
    commands = asyncio.ensure_future(read_commands(ws, stdin))
    await receiver
    commands.cancel()


async def read_commands(ws, stdin):
    while True:
        line = await stdin.readline()
        if not line:
            return
        if not line.strip():
            continue
        try:
            await run(ws, json.loads(line))
        except Exception as error:  # report and go on: the tests read the failure from stdout
            emit("error", message=f"command failed: {error!r}")


asyncio.run(main())
