# Twenty sums of squares, one after another, on one core.
import time

def squares_below(n):
    return sum(i * i for i in range(n))

def sum_all(sizes):
    for n in sizes:
        squares_below(n)

if __name__ == "__main__":
    sizes = [5_000_000 + x for x in range(20)]
    began = time.time()
    sum_all(sizes)
    print(f"Duration {time.time() - began:.2f} seconds")
