//go:build js && wasm

package main

import "concurrency-playground/wasm/edge/bridge"

func main() { bridge.Serve(routes(machine())) }
