# The same sums on five threads. In CPython only the thread holding the
# interpreter lock runs Python code, so they take turns on one core.
import concurrent.futures
import time

def squares_below(n):
    return sum(i * i for i in range(n))

def sum_all(sizes, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(squares_below, sizes))

if __name__ == "__main__":
    sizes = [5_000_000 + x for x in range(20)]
    began = time.time()
    sum_all(sizes, workers=5)
    print(f"Duration {time.time() - began:.2f} seconds")
