# Five threads, each with a session of its own, take pages from one queue.
import concurrent.futures
import threading
import time
import requests

local = threading.local()

def own_session():
    if not hasattr(local, "session"):
        local.session = requests.Session()
    return local.session

def fetch_page(url):
    with own_session().get(url) as reply:
        return len(reply.content)

def fetch_all(urls, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(fetch_page, urls))

if __name__ == "__main__":
    urls = ["http://site-a/page", "http://site-b/page"] * 80
    began = time.time()
    fetch_all(urls, workers=5)
    print(f"Downloaded {len(urls)} in {time.time() - began:.2f} seconds")
