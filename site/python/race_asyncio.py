# A coroutine gives way only where it awaits: with no await between the read
# and the write, no update is lost.
import asyncio

counter = 0

async def bump_hundred_times():
    global counter
    for _ in range(100):
        counter += 1

async def count_all(tasks):
    await asyncio.gather(*(bump_hundred_times() for _ in range(tasks)))

if __name__ == "__main__":
    asyncio.run(count_all(5000))
    print(counter)
