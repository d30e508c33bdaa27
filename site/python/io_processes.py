# One process per core; each opens its session once, in the pool's initializer.
import multiprocessing
import time
import requests

session = None

def open_session():
    global session
    session = requests.Session()

def fetch_page(url):
    with session.get(url) as reply:
        return len(reply.content)

def fetch_all(urls, workers):
    with multiprocessing.Pool(workers, initializer=open_session) as pool:
        pool.map(fetch_page, urls)

if __name__ == "__main__":
    urls = ["http://site-a/page", "http://site-b/page"] * 80
    began = time.time()
    fetch_all(urls, workers=multiprocessing.cpu_count())
    print(f"Downloaded {len(urls)} in {time.time() - began:.2f} seconds")
