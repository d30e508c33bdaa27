//go:build race

package runner

// raceSlowdown is how much slower the race detector makes the gate's rally: every atomic
// load and store goes through it.
const raceSlowdown = 10
