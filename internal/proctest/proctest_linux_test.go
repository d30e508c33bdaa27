//go:build linux

package proctest

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestAChildIsSeenAliveThenAZombieThenGone(t *testing.T) {
	if state, ppid, ok := Stat(os.Getpid()); !ok || state == 'Z' || ppid != os.Getppid() {
		t.Fatalf("Stat(self) = %c %d %v", state, ppid, ok)
	}
	// A child that lives until it is killed: however slow the machine, it is alive when
	// looked at, and a zombie only once killed.
	cmd := exec.Command("sleep", "600")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	pid := cmd.Process.Pid
	if _, ok := Children(os.Getpid())[pid]; !ok || !Alive(pid) {
		cmd.Process.Kill()
		t.Fatalf("child %d: not listed or not alive", pid)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for state, _, _ := Stat(pid); state != 'Z'; state, _, _ = Stat(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("child %d never became a zombie (state %c)", pid, state)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if Alive(pid) {
		t.Error("a zombie counts as alive")
	}
	cmd.Wait()
	if _, _, ok := Stat(pid); ok {
		t.Error("a reaped child still has a /proc entry")
	}
}
