# One task after another: nothing runs between a read and its write.
counter = 0

def bump_hundred_times():
    global counter
    for _ in range(100):
        counter += 1

def count_all(tasks):
    for _ in range(tasks):
        bump_hundred_times()

if __name__ == "__main__":
    count_all(5000)
    print(counter)
