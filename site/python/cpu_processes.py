# The same sums on one process per core: each has its own interpreter and lock.
import multiprocessing
import time

def squares_below(n):
    return sum(i * i for i in range(n))

def sum_all(sizes, workers):
    with multiprocessing.Pool(workers) as pool:
        pool.map(squares_below, sizes)

if __name__ == "__main__":
    sizes = [5_000_000 + x for x in range(20)]
    began = time.time()
    sum_all(sizes, workers=multiprocessing.cpu_count())
    print(f"Duration {time.time() - began:.2f} seconds")
