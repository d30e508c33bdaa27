//go:build linux

// Linux: the process table is /proc.
package proctest

import (
	"os"
	"strconv"
	"strings"
)

// Stat reads a process's state letter ('R', 'S', 'Z' …) and parent from /proc/PID/stat; ok is
// false when the process is gone (a zombie is not gone: its state is 'Z').
func Stat(pid int) (state byte, ppid int, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	// "pid (comm) state ppid …": comm may hold spaces and parentheses, so cut at the last ')'.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 || i+2 > len(b) {
		return 0, 0, false
	}
	f := strings.Fields(string(b[i+2:]))
	if len(f) < 2 || f[0] == "" {
		return 0, 0, false
	}
	ppid, _ = strconv.Atoi(f[1])
	return f[0][0], ppid, true
}

// Alive says whether pid is a process that has not exited (a zombie has).
func Alive(pid int) bool {
	state, _, ok := Stat(pid)
	return ok && state != 'Z'
}

// Children lists the child processes of ppid, zombies included, as pid → state letter.
func Children(ppid int) map[int]byte {
	entries, _ := os.ReadDir("/proc")
	kids := map[int]byte{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if state, parent, ok := Stat(pid); ok && parent == ppid {
			kids[pid] = state
		}
	}
	return kids
}
