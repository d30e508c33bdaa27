//go:build race

package server

// raceFlags build the binary of TestSIGTERMDuringARunExitsCleanlyWithoutOrphans as this test
// binary was built, so its packages come from the build cache instead of a second compile.
var raceFlags = []string{"-race"}
