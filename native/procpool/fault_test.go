package procpool

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	faultHang    = "hang"    // never answer
	faultGarbage = "garbage" // print a line that is not a reply
	faultExit    = "exit"    // say why on stderr and exit with status 3
	faultToken   = "token"   // at start-up: echo a wrong token (whatever Task says)
	faultEnviron = "environ" // answer with the handshake's variables left in os.Environ
)

// envFault carries a test's faultRequest to the workers, which inherit the test's
// environment: "kind task", as askFault writes it.
const envFault = "PROCPOOL_TEST_FAULT"

// faultRequest asks whichever worker is handed task Task to misbehave as Kind says. Tying the
// fault to a task, not to a worker, makes it happen whatever the schedule.
type faultRequest struct {
	Kind string
	Task int
}

// askFault makes the workers of the test's runs act out f.
func askFault(t *testing.T, f faultRequest) {
	t.Setenv(envFault, f.Kind+" "+strconv.Itoa(f.Task))
}

// requestedFault is the fault the test asked for, if any.
func requestedFault() *faultRequest {
	kind, task, ok := strings.Cut(os.Getenv(envFault), " ")
	if !ok {
		return nil
	}
	n, _ := strconv.Atoi(task)
	return &faultRequest{Kind: kind, Task: n}
}

// actOutFault is the workers' testHookReply: it acts out the fault the test asked for, if
// this message is the one it is tied to.
func actOutFault(_ *hello, r *reply, out *bufio.Writer) {
	f := requestedFault()
	switch {
	case f == nil:
	case r.Token != "": // the ready message
		if f.Kind == faultToken {
			r.Token = "not-the-token"
		}
	case f.Kind == faultToken || r.Task != f.Task:
	case f.Kind == faultHang:
		time.Sleep(time.Hour)
	case f.Kind == faultGarbage:
		out.WriteString("this is not a reply\n")
		out.Flush()
	case f.Kind == faultExit:
		fmt.Fprintln(os.Stderr, "test fault: exiting with status 3 on purpose")
		os.Exit(3)
	case f.Kind == faultEnviron:
		r.Result = environReport()
	}
}

// environReport lists the handshake's variables still in the environment.
func environReport() string {
	var names []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, envWorker) {
			names = append(names, kv)
		}
	}
	return "environ:" + strings.Join(names, ",")
}
