//go:build windows

package server

// raiseFileLimit: Windows has no per-process descriptor limit of that kind to raise.
func raiseFileLimit() {}
