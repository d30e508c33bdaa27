# One page after another: each GET waits for the one before it to finish.
import time
import requests

def fetch_page(session, url):
    with session.get(url) as reply:
        return len(reply.content)

def fetch_all(urls):
    with requests.Session() as session:
        for url in urls:
            fetch_page(session, url)

if __name__ == "__main__":
    urls = ["http://site-a/page", "http://site-b/page"] * 80
    began = time.time()
    fetch_all(urls)
    print(f"Downloaded {len(urls)} in {time.time() - began:.2f} seconds")
