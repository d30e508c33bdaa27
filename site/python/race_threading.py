# counter += 1 reads, adds and writes: a thread switched out between the read
# and the write overwrites what the others counted meanwhile.
import concurrent.futures

counter = 0

def bump_hundred_times():
    global counter
    for _ in range(100):
        counter += 1

def count_all(tasks, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in range(tasks):
            pool.submit(bump_hundred_times)

if __name__ == "__main__":
    count_all(5000, workers=5000)
    print(counter)
