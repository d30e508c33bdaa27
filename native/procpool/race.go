//go:build race

package procpool

import (
	"os"
	"strings"
)

// Under the race detector a process that exits with more than one thread first sleeps for a
// second (ThreadSanitizer's atexit_sleep_ms), so that other threads can finish reporting. A
// worker's threads are idle when it exits, and the second would be added to the tear-down of
// every pool in the race-enabled test suites; races are still reported as they happen. The
// user's own GORACE options come last, so they win.
func init() {
	workerGORACE = strings.TrimSpace("atexit_sleep_ms=0 " + os.Getenv("GORACE"))
}
