package procpool

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"
)

const (
	faultHang    = "hang"    // never answer
	faultGarbage = "garbage" // print a line that is not a reply
	faultExit    = "exit"    // say why on stderr and exit with status 3
	faultToken   = "token"   // at start-up: echo a wrong token (whatever Task says)
	faultEnviron = "environ" // answer with the handshake's variables left in os.Environ
)

// actOutFault is the workers' testHookReply: it acts out the fault the hello asks for, if
// this message is the one it is tied to.
func actOutFault(h *hello, r *reply, out *bufio.Writer) {
	f := h.Fault
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
