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

// faultRequest asks worker Worker to misbehave as Kind says.
type faultRequest struct {
	Worker int    `json:"worker"`
	Kind   string `json:"kind"`
}

const (
	faultHang    = "hang"    // on its first task: never answer
	faultGarbage = "garbage" // on its first task: print a line that is not a reply
	faultExit    = "exit"    // on its first task: say why on stderr and exit with status 3
	faultToken   = "token"   // at start-up: echo a wrong token
)

// faultFor is the fault worker must act out, or "".
func (h *hello) faultFor(worker int) string {
	if !testFaults || h.Fault == nil || h.Fault.Worker != worker {
		return ""
	}
	return h.Fault.Kind
}
