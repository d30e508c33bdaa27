# One thread: every download is a coroutine, and the loop runs another while one awaits.
import asyncio
import time
import aiohttp

async def fetch_page(session, url):
    async with session.get(url) as reply:
        return len(await reply.read())

async def fetch_all(urls):
    async with aiohttp.ClientSession() as session:
        jobs = [fetch_page(session, url) for url in urls]
        await asyncio.gather(*jobs, return_exceptions=True)

if __name__ == "__main__":
    urls = ["http://site-a/page", "http://site-b/page"] * 80
    began = time.time()
    asyncio.run(fetch_all(urls))
    print(f"Downloaded {len(urls)} in {time.time() - began:.2f} seconds")
