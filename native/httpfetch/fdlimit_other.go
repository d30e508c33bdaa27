//go:build !unix

package httpfetch

// fileLimit: Windows has no small per-process limit on sockets; this bounds them all the same.
func fileLimit() int { return 1 << 14 }
