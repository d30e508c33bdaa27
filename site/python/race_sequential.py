# One task after another: nothing runs between a read and its write.
counter = 0

def bump_hundred_times():
    global counter
    for _ in range(100):
        counter += 1

if __name__ == "__main__":
    for _ in range(5000):
        bump_hundred_times()
    print(counter)
