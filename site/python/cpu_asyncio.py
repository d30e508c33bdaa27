# The sums as coroutines: none of them awaits, so each holds the loop until it is done.
import asyncio
import time

async def squares_below(n):
    return sum(i * i for i in range(n))

async def sum_all(sizes):
    await asyncio.gather(*(squares_below(n) for n in sizes))

if __name__ == "__main__":
    sizes = [5_000_000 + x for x in range(20)]
    began = time.time()
    asyncio.run(sum_all(sizes))
    print(f"Duration {time.time() - began:.2f} seconds")
