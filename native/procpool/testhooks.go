package procpool

import "bufio"

// Tests make one worker misbehave on purpose, so that they can check that a dead, hung or
// babbling worker fails the run cleanly. A worker acts a fault out only through testHookReply,
// which only this package's tests install (fault_test.go), and a test asks for one through the
// environment the workers inherit: nothing of it is in the production binary or on the wire.

// testHookReady, if set by a test, is called with each worker's index and pid once the worker
// is ready: the tests use it to find the processes to kill or to check in /proc.
var testHookReady func(worker, pid int)

// testHookReply, if set by a test, runs in a worker before each message it sends, its ready
// message included, with the hello it was started with. It may change the message, or
// misbehave instead of sending it. The tests set it in TestMain, so in the workers too: they
// are the same test binary.
var testHookReply func(h *hello, r *reply, out *bufio.Writer)
