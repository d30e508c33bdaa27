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
	cmd := exec.Command("sleep", "0.2")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	if _, ok := Children(os.Getpid())[pid]; !ok || !Alive(pid) {
		t.Fatalf("child %d: not listed or not alive", pid)
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
