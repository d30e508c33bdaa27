//go:build !race

package server

var raceFlags []string
