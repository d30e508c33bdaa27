# Processes share no memory: each bumps a counter of its own, the parent's stays 0.
import multiprocessing

counter = 0

def bump_hundred_times(_):
    global counter
    for _ in range(100):
        counter += 1
    return counter

def count_all(tasks, workers):
    with multiprocessing.Pool(workers) as pool:
        pool.map(bump_hundred_times, range(tasks))

if __name__ == "__main__":
    count_all(5000, workers=multiprocessing.cpu_count())
    print(counter)
