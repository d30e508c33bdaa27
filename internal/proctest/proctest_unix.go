//go:build unix && !linux

package proctest

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// Alive says whether pid is a process that has not exited. Signal 0 finds a process that is
// gone; a zombie still answers it, so ps then gives its state.
func Alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil || p.Signal(syscall.Signal(0)) != nil {
		return false
	}
	out, err := exec.Command("ps", "-o", "stat=", "-p", strconv.Itoa(pid)).Output()
	state := strings.TrimSpace(string(out))
	return err == nil && state != "" && state[0] != 'Z'
}

// Children lists the child processes of ppid, zombies included, as pid → state letter.
func Children(ppid int) map[int]byte {
	kids := map[int]byte{}
	out, err := exec.Command("ps", "-A", "-o", "pid=,ppid=,stat=").Output()
	if err != nil {
		return kids
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		pid, err1 := strconv.Atoi(f[0])
		parent, err2 := strconv.Atoi(f[1])
		if errors.Join(err1, err2) == nil && parent == ppid {
			kids[pid] = f[2][0]
		}
	}
	return kids
}
