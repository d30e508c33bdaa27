// Package proctest tells tests whether a process is gone: not merely unsignalable, since a
// zombie still answers kill -0, but exited. Every system has Alive and Children; Linux reads
// /proc (and adds Stat), other Unix systems ask ps, Windows asks the kernel for the exit code
// and a process snapshot.
package proctest
