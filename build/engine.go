package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// enginePackage is the browser engine's Go package.
const enginePackage = "./wasm/browser"

// buildEngine compiles the engine to WebAssembly. -s -w and -trimpath drop the symbol table,
// the DWARF and the machine's paths: ~2 % smaller, and the same source gives the same file,
// hence the same hashed name. -buildvcs=false keeps the commit out of it for the same reason.
func buildEngine(root string) (file, error) {
	tmp, err := os.MkdirTemp("", "playground-engine-")
	if err != nil {
		return file{}, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "engine.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", out, enginePackage)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return file{}, fmt.Errorf("GOOS=js GOARCH=wasm go build %s: %v\n%s", enginePackage, err, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return file{}, err
	}
	return file{name: hashedName("engine", ".wasm", data), data: data}, nil
}

// wasmExecPath is the Go toolchain's JavaScript glue for js/wasm programs. It must come from
// the same toolchain as the wasm: the two are versioned together.
func wasmExecPath() (string, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %v", err)
	}
	p := filepath.Join(strings.TrimSpace(string(out)), "lib", "wasm", "wasm_exec.js")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("the Go toolchain's wasm_exec.js: %v", err)
	}
	return p, nil
}
