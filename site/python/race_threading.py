# counter += 1 reads, adds and writes: a thread switched out between the read
# and the write overwrites what the others counted meanwhile.
import concurrent.futures

counter = 0

def bump_hundred_times():
    global counter
    for _ in range(100):
        counter += 1

if __name__ == "__main__":
    with concurrent.futures.ThreadPoolExecutor(max_workers=5000) as pool:
        for _ in range(5000):
            pool.submit(bump_hundred_times)
    print(counter)
