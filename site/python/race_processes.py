# Processes share no memory: each bumps a counter of its own, the parent's stays 0.
import multiprocessing

counter = 0

def bump_hundred_times(_):
    global counter
    for _ in range(100):
        counter += 1
    return counter

if __name__ == "__main__":
    with multiprocessing.Pool() as pool:
        pool.map(bump_hundred_times, range(5000))
    print(counter)
