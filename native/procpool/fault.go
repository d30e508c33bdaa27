package procpool

// Faults make one worker misbehave on purpose, so the tests can check that a dead, hung or
// babbling worker fails the run cleanly. They are for tests only: the parent sends one only
// when a test set Options.fault (unexported), and a worker obeys it only when testFaults is
// set, which only this package's _test.go files do. The production binary ignores them.

// testFaults is set by this package's tests, in both the parent and the worker processes
// (which are the same test binary).
var testFaults bool

// testHookReady, if set by a test, is called with each worker's index and pid once the worker
// is ready: the tests use it to find the processes to kill or to check in /proc.
var testHookReady func(worker, pid int)

// faultRequest asks whichever worker is handed task Task to misbehave as Kind says, instead
// of running it; a faultToken applies to every worker. Tying the fault to a task, not to a
// worker, makes it happen whatever the schedule.
type faultRequest struct {
	Kind string `json:"kind"`
	Task int    `json:"task"`
}

const (
	faultHang    = "hang"    // never answer
	faultGarbage = "garbage" // print a line that is not a reply
	faultExit    = "exit"    // say why on stderr and exit with status 3
	faultToken   = "token"   // at start-up: echo a wrong token
	faultEnviron = "environ" // answer with the handshake's variables left in os.Environ
)

// fault is the fault to act out at task (-1: at start-up), or "".
func (h *hello) fault(task int) string {
	if !testFaults || h.Fault == nil {
		return ""
	}
	if h.Fault.Kind == faultToken && task < 0 || h.Fault.Kind != faultToken && task == h.Fault.Task {
		return h.Fault.Kind
	}
	return ""
}
