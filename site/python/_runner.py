# The playground's runner and tracer for the lesson's scripts (standard library only).
#
# The backend starts `python3 -B _runner.py` in a directory holding the scripts and writes one
# JSON line on stdin: the script, its validated parameters and the repeats. This module then
# imports the script, wraps its task function (and its pool's initializer) so that each task's
# start, end and result are recorded, and calls the script's own entry with the parameters.
# The wrappers only watch: the script's code, pools and sessions are the ones the page shows.
#
# What it records goes to stdout as JSON lines: a worker process writes each line with one
# os.write (a line under PIPE_BUF is written whole though every process shares the pipe), the
# interpreter's own process in batches (see _pending). The script's own prints go to stderr.
# Times are time.perf_counter_ns(), one clock for every process.
import functools
import inspect
import json
import multiprocessing.process
import os
import sys
import threading
import time

_out = 1  # stdout's descriptor, shared by every worker process
_pid = os.getpid()  # this process's: os.getpid() is a system call, dear on a busy machine
_worker = False  # this process is one a pool started
_free_slots = []  # asyncio: the slots (lanes) free for the next coroutine, lowest last
_slots_made = [0]


def _slot_count():
    _slots_made[0] += 1
    return _slots_made[0] - 1


def emit(**fields):
    flush(wait=True)
    os.write(_out, (json.dumps(fields, separators=(",", ":")) + "\n").encode())


# A task's record waits in _pending, as a tuple, in the interpreter's own process, and goes
# out with others every 50 ms (or at the repeat's end): os.write releases the GIL, and once per
# task it would hand the lock around thousands of threads (the race's 5,000), and formatting
# each record as it ends would cost more than the race's tiny tasks themselves. A worker
# process writes each record at once: its parent may terminate it as soon as it has the result.
_pending = []
_flushing = threading.Lock()
_flushed = [0]
# Nothing is written in a repeat's first 200 ms (the first flush comes 50 ms after that): a
# short run (the race's 5,000 tasks take tens of ms) then pays only for taking its records,
# and its timeline arrives whole at its end; a long run streams as it goes.
_quiet_start = 150_000_000


def record_task(record):
    """A pool's worker process writes its task's record at once; the runner's keeps it."""
    if _worker:
        os.write(_out, task_line(record).encode())
        return
    _pending.append(record)
    if record[3] - _flushed[0] > 50_000_000:
        flush()


def flush(wait=False):
    if not _pending or not _flushing.acquire(blocking=wait):
        return
    try:
        records = _pending[:]
        del _pending[:len(records)]
        _flushed[0] = time.perf_counter_ns()
        data = "".join(map(task_line, records)).encode()
        while data:  # a write to a pipe may take only part of a long batch
            data = data[os.write(_out, data):]
    finally:
        _flushing.release()


def task_line(record):
    lane_name, key, began, ended, result, pid = record
    if type(key) is tuple:  # the call's arguments: its key is the last
        key = key[-1] if key else None
    if type(lane_name) is tuple:
        lane_name = "%d:%d" % lane_name
    elif type(lane_name) is int:
        lane_name = "s%d" % lane_name
    value = '"%d"' % result if type(result) is int else "null"
    key = str(key) if type(key) is int else json.dumps(key) if type(key) is str else "null"
    return '{"lane":"%s","key":%s,"s":%d,"e":%d,"r":%s,"pid":%d}\n' % (lane_name, key, began, ended, value, pid)


def lane():
    return "%d:%d" % (os.getpid(), threading.get_ident())


def traced(fn):
    """fn, recording each call as a task: its lane, its key (the last argument: n, url, i),
    its start and end, and its result when that is an int."""
    if inspect.iscoroutinefunction(fn):
        # A coroutine's lane is a slot: the lowest one free while it runs, as many as ran at
        # once. One event loop runs them all on one thread, so the slots need no lock.
        @functools.wraps(fn)
        async def task(*args, _clock=time.perf_counter_ns):
            slot = _free_slots.pop() if _free_slots else _slot_count()
            began = _clock()
            try:
                result = await fn(*args)
            except BaseException as e:
                emit(error=last_line(e))
                raise
            finally:
                _free_slots.append(slot)
                _free_slots.sort(reverse=True)
            ended = _clock()
            _pending.append((slot, args, began, ended, result, _pid))
            if ended - _flushed[0] > 50_000_000:
                flush()
            return result
        return task

    # The race's tasks take microseconds: this wrapper does as little as it can per call (two
    # clock reads, an append), and leaves the formatting to flush.
    @functools.wraps(fn)
    def task(*args, _clock=time.perf_counter_ns, _thread=threading.get_ident):
        began = _clock()
        try:
            result = fn(*args)
        except BaseException as e:
            emit(error=last_line(e))
            raise
        ended = _clock()
        if _worker:
            record_task(((_pid, _thread()), args[-1] if args else None, began, ended, result, _pid))
        else:
            _pending.append(((_pid, _thread()), args, began, ended, result, _pid))
            if ended - _flushed[0] > 50_000_000:
                flush()
        return result
    return task


def last_line(e):
    text = "".join(f"{type(e).__name__}: {e}".splitlines()[-1:])
    return text[:300]


# A worker process's start-up is a spawn span: from the moment its parent asked for it to the
# moment it is ready for tasks (after the pool's initializer, when there is one).
_spawn_began = None
_start, _run = multiprocessing.process.BaseProcess.start, multiprocessing.process.BaseProcess.run


def _started(self):
    self._playground_began = time.perf_counter_ns()
    return _start(self)


def _running(self):
    global _spawn_began, _pid, _worker
    _pid, _worker = os.getpid(), True
    del _pending[:]  # a forked copy of the parent's: the parent writes them
    _die_with_parent()
    _spawn_began = getattr(self, "_playground_began", None)
    if not _has_initializer and _spawn_began is not None:
        emit(lane=lane(), spawn=[_spawn_began, time.perf_counter_ns()])
    return _run(self)


def _die_with_parent():
    # Linux: a worker process is killed with the interpreter that started it, even by SIGKILL,
    # so a cancelled run leaves no orphan behind (the backend kills their group as well).
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
        except Exception:
            pass


def traced_initializer(fn):
    @functools.wraps(fn)
    def init(*args):
        result = fn(*args)
        if _spawn_began is not None:
            emit(lane=lane(), spawn=[_spawn_began, time.perf_counter_ns()])
        return result
    return init


multiprocessing.process.BaseProcess.start = _started
multiprocessing.process.BaseProcess.run = _running

# Which of a script's functions is its task, its initializer and its entry, by experiment.
TASKS = {"cpu": "squares_below", "io": "fetch_page", "race": "bump_hundred_times"}
ENTRIES = {"cpu": "sum_all", "io": "fetch_all", "race": "count_all"}


def load(job):
    """Imports the job's script and wraps its task; a missing requests or aiohttp is said with
    the pip command that installs it."""
    global _has_initializer
    try:
        script = __import__(job["script"])
    except ModuleNotFoundError as e:
        if e.name in ("requests", "aiohttp"):
            fail(f"{job['script']}.py needs the {e.name} package, which this Python lacks: "
                 f"install it with `python3 -m pip install {e.name}`")
        raise
    setattr(script, TASKS[job["experiment"]], traced(getattr(script, TASKS[job["experiment"]])))
    _has_initializer = hasattr(script, "open_session")
    if _has_initializer:
        script.open_session = traced_initializer(script.open_session)
    return script


def run(job):
    script = load(job)
    entry = getattr(script, ENTRIES[job["experiment"]])
    wants = inspect.signature(entry).parameters
    args = {"sizes": job.get("sizes"), "urls": job.get("urls"), "tasks": job.get("tasks"),
            "workers": job.get("workers")}
    args = {k: v for k, v in args.items() if k in wants}
    for repeat in range(job["repeat"]):
        if hasattr(script, "counter"):
            script.counter = 0
        t0 = time.perf_counter_ns()
        _flushed[0] = t0 + _quiet_start
        emit(repeat=repeat, t0=t0)
        result = entry(**args)
        if inspect.iscoroutine(result):
            asyncio_run(result)
        emit(end=time.perf_counter_ns(), counter=getattr(script, "counter", None))


def asyncio_run(coroutine):
    import asyncio
    asyncio.run(coroutine)


def fail(message):
    emit(error=message)
    sys.exit(1)


_has_initializer = False

if __name__ == "__mp_main__" and "PLAYGROUND_JOB" in os.environ:
    # A worker process started by spawn or forkserver imports this module afresh: wrap the
    # script's task in it too (a forked worker inherits the wrapped one).
    load(json.loads(os.environ["PLAYGROUND_JOB"]))

if __name__ == "__main__":
    sys.stdout = sys.stderr  # the script's prints, if any, stay out of the trace
    try:
        job = json.loads(sys.stdin.readline())
        os.environ["PLAYGROUND_JOB"] = json.dumps({k: job[k] for k in ("script", "experiment")})
        run(job)
    except SystemExit:
        raise
    except BaseException as e:
        fail(last_line(e))
