#!/usr/bin/env python3
"""Holds live feeds open against the gateway's HTTP port, as readers of the web page do.

Opens COUNT Server-Sent Event streams (GET PATH, Accept: text/event-stream), each on its own
connection, from source addresses 127.0.0.2, 127.0.0.3, … in turn (PER_ADDRESS streams each), so
that the gateway's per-caller cap, which counts the public by address, is not what a benchmark
measures. Prints "open N" once every stream has answered its head (N of them with 200), then
reads and discards whatever the streams send until it is stopped (SIGTERM or SIGINT), and exits
non-zero if a stream could not be opened.

  bench/feed_holder.py PORT PATH COUNT [PER_ADDRESS]
"""
import asyncio
import signal
import sys


async def hold(port, path, source, opened, failures):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        status_line = await reader.readline()
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        if b" 200 " not in status_line:
            failures.append(status_line.decode(errors="replace").strip() or "no answer")
            opened.release()
            return
    except OSError as error:
        failures.append(str(error))
        opened.release()
        return
    opened.release()
    while await reader.read(65536):
        pass


async def main():
    port, path, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    per_address = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    opened = asyncio.Semaphore(0)
    failures = []
    tasks = []
    for i in range(count):
        k = 2 + i // per_address
        source = f"127.0.{k // 256}.{k % 256}"
        tasks.append(asyncio.create_task(hold(port, path, source, opened, failures)))
        # A few at a time: the gateway's accept queue is not what is measured either.
        if i % 50 == 49:
            await asyncio.sleep(0.05)
    for _ in range(count):
        await opened.acquire()
    print(f"open {count - len(failures)}", flush=True)
    if failures:
        print(f"not opened: {len(failures)}, e.g. {failures[0]}", file=sys.stderr, flush=True)
        sys.exit(1)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    await stop.wait()
    for task in tasks:
        task.cancel()


if __name__ == "__main__":
    asyncio.run(main())
