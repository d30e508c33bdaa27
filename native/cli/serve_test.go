package cli

import (
	"bytes"
	"net"
	"strings"
	"testing"
)

// A bad flag or value exits 2 with exactly one line on stderr naming the flag (and the bound);
// -h prints the usage to stdout and exits 0.
func TestServeFlags(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string // in stdout for code 0, else the whole of stderr's one line starts "serve: " and holds it
	}{
		{[]string{"-h"}, 0, "-allow-origin"},
		{[]string{"-help"}, 0, "-max-runs"},
		{[]string{"-addr", "0.0.0.0:8080"}, 2, `-addr: "0.0.0.0:8080" is not a loopback address`},
		{[]string{"-addr", ":8080"}, 2, "-addr: \":8080\" is not a loopback address"},
		{[]string{"-addr", "example.com:8080"}, 2, "not a loopback address"},
		{[]string{"-addr", "8080"}, 2, `-addr: "8080" is not host:port`},
		{[]string{"-addr", "127.0.0.1:99999"}, 2, `-addr: port "99999" is not a number in range 0..65535`},
		{[]string{"-addr", "127.0.0.1:http"}, 2, `-addr: port "http" is not a number in range 0..65535`},
		{[]string{"-addr"}, 2, "flag needs an argument: -addr"},
		{[]string{"-allow-origin", "*"}, 2, `invalid value "*" for flag -allow-origin: "*"`},
		{[]string{"-allow-origin", "https://a.example/"}, 2, "trailing slash"},
		{[]string{"-max-runs", "0"}, 2, "-max-runs: 0 is out of range 1..1024"},
		{[]string{"-max-runs", "x"}, 2, `invalid value "x" for flag -max-runs: want a whole number in 1..1024`},
		{[]string{"-max-sockets", "-1"}, 2, "-max-sockets: -1 is out of range 1..100000"},
		{[]string{"-no-such-flag"}, 2, "flag provided but not defined: -no-such-flag"},
		{[]string{"-preset", "cpu_mp"}, 2, "-preset is a flag of run, not of serve (the default command): native run -preset"},
		{[]string{"-workers", "4"}, 2, "-workers is a flag of run"},
		{[]string{"--json"}, 2, "-json is a flag of run"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"-log-level", "loud"}, 2, `-log-level: "loud" is not one of debug, info, warn, error`},
		{[]string{"-python", ""}, 2, "want the path of a CPython interpreter"},
		{[]string{"-python", "/nonexistent/python3"}, 2, "-python /nonexistent/python3: "},
		{[]string{"-python", "/bin/true"}, 2, "-python /bin/true: did not answer as CPython 3 does"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := Serve(tt.args, &stdout, &stderr)
		if code != tt.code {
			t.Errorf("serve %q: exit %d, want %d; stdout:\n%s\nstderr:\n%s", tt.args, code, tt.code, &stdout, &stderr)
			continue
		}
		if tt.code == 0 {
			if !strings.Contains(stdout.String(), tt.out) || !strings.HasPrefix(stdout.String(), "Usage: native serve") || stderr.Len() > 0 {
				t.Errorf("serve %q: stdout:\n%s\nstderr:\n%s\nwant the usage with %q on stdout only", tt.args, &stdout, &stderr, tt.out)
			}
			continue
		}
		line, _ := strings.CutSuffix(stderr.String(), "\n")
		if stdout.Len() > 0 || strings.Contains(line, "\n") || !strings.HasPrefix(line, "serve: ") || !strings.Contains(line, tt.out) {
			t.Errorf("serve %q: stdout %q, stderr:\n%s\nwant one line on stderr: serve: …%s…", tt.args, &stdout, &stderr, tt.out)
		}
	}
}

// A port that is taken is not a bad flag: the server could not start, exit 1, with one line
// that says how to choose another address.
func TestServeOnATakenPortExits1(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stdout, stderr bytes.Buffer
	code := Serve([]string{"-addr", ln.Addr().String()}, &stdout, &stderr)
	want := "serve: " + ln.Addr().String() + " is in use by another program; choose another address with -addr"
	if code != 1 || !strings.HasPrefix(stderr.String(), want) || !strings.Contains(stderr.String(), "make run ADDR=") || strings.Count(stderr.String(), "\n") != 1 {
		t.Errorf("serve on a taken port: exit %d, stderr:\n%s\nwant exit 1 and one line: %s … make run ADDR=…", code, &stderr, want)
	}
}
