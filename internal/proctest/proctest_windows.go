//go:build windows

package proctest

import (
	"syscall"
	"unsafe"
)

const (
	processQueryLimitedInformation = 0x1000 // enough to read an exit code
	stillActive                    = 259    // GetExitCodeProcess's answer while it runs
)

// Alive says whether pid is a process that has not exited: Windows keeps an exited process's
// object while a handle is open, so the exit code tells, not whether it can be opened.
func Alive(pid int) bool {
	h, err := syscall.OpenProcess(processQueryLimitedInformation, false, uint32(pid))
	if err != nil {
		return false
	}
	defer syscall.CloseHandle(h)
	var code uint32
	return syscall.GetExitCodeProcess(h, &code) == nil && code == stillActive
}

// Children lists the running child processes of ppid as pid → 'R', from a snapshot of the
// process table. Windows lists no zombies: an exited process leaves the snapshot.
func Children(ppid int) map[int]byte {
	kids := map[int]byte{}
	snap, err := syscall.CreateToolhelp32Snapshot(syscall.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return kids
	}
	defer syscall.CloseHandle(snap)
	var e syscall.ProcessEntry32
	e.Size = uint32(unsafe.Sizeof(e))
	for err = syscall.Process32First(snap, &e); err == nil; err = syscall.Process32Next(snap, &e) {
		if int(e.ParentProcessID) == ppid {
			kids[int(e.ProcessID)] = 'R'
		}
	}
	return kids
}
