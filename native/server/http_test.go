package server

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"concurrency-playground/internal/farm/farmtest"
	"concurrency-playground/internal/protocol"
	"concurrency-playground/site"
)

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	tr := &http.Transport{DisableCompression: true} // see the bytes as sent
	defer tr.CloseIdleConnections()
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func gzipped(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func TestServesTheBuiltPage(t *testing.T) {
	dist := fstest.MapFS{
		"index.html":           {Data: []byte("<!doctype html><title>playground</title>")},
		"placeholder.html":     {Data: []byte("build me")},
		"app-5XKQ2J7M.js":      {Data: []byte("console.log(1)")},
		"app-5XKQ2J7M.js.gz":   {Data: []byte(gzipped("console.log(1)"))},
		"engine-0a1b2c3d.wasm": {Data: []byte("\x00asm\x01\x00\x00\x00")},
		"favicon.svg":          {Data: []byte("<svg/>")},
	}
	s := start(t, Config{Dist: dist, Built: true})
	u := s.URL()
	tests := []struct {
		path, acceptEncoding                      string
		status                                    int
		body, ctype, cache, contentEncoding, vary string
	}{
		{"/", "", 200, "<!doctype html><title>playground</title>", "text/html; charset=utf-8", "no-cache", "", ""},
		{"/embed", "", 200, "<!doctype html><title>playground</title>", "text/html; charset=utf-8", "no-cache", "", ""},
		{"/app-5XKQ2J7M.js", "", 200, "console.log(1)", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "", "Accept-Encoding"},
		{"/app-5XKQ2J7M.js", "br, gzip;q=0.8", 200, gzipped("console.log(1)"), "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "gzip", "Accept-Encoding"},
		{"/app-5XKQ2J7M.js", "gzip;q=0", 200, "console.log(1)", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "", "Accept-Encoding"},
		{"/engine-0a1b2c3d.wasm", "gzip", 200, "\x00asm\x01\x00\x00\x00", "application/wasm", "public, max-age=31536000, immutable", "", ""},
		{"/favicon.svg", "", 200, "<svg/>", "image/svg+xml", "no-cache", "", ""},
		{"/missing.js", "", 404, "404 page not found\n", "text/plain; charset=utf-8", "", "", ""},
		{"/healthz", "", 200, "ok\n", "text/plain; charset=utf-8", "no-store", "", ""},
		{"/farm/a?delay=1ms&size=3", "", 200, "con", "text/plain; charset=utf-8", "no-store", "", ""},
		{"/farm/a?size=-1", "", 400, "farm: size: -1 is out of range 0..1048576\n", "text/plain; charset=utf-8", "no-store", "", ""},
	}
	for _, tt := range tests {
		resp, body := get(t, u+tt.path, "Accept-Encoding", tt.acceptEncoding)
		h := resp.Header
		if resp.StatusCode != tt.status || body != tt.body || h.Get("Content-Type") != tt.ctype ||
			h.Get("Cache-Control") != tt.cache || h.Get("Content-Encoding") != tt.contentEncoding || h.Get("Vary") != tt.vary {
			t.Errorf("GET %s (Accept-Encoding %q):\n got %d %q type %q cache %q encoding %q vary %q\nwant %d %q type %q cache %q encoding %q vary %q",
				tt.path, tt.acceptEncoding, resp.StatusCode, body, h.Get("Content-Type"), h.Get("Cache-Control"), h.Get("Content-Encoding"), h.Get("Vary"),
				tt.status, tt.body, tt.ctype, tt.cache, tt.contentEncoding, tt.vary)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no X-Content-Type-Options: nosniff", tt.path)
		}
	}
	// A revalidation of the page costs nothing: its ETag is its content's hash.
	resp, _ := get(t, u+"/")
	if resp2, body := get(t, u+"/", "If-None-Match", resp.Header.Get("ETag")); resp2.StatusCode != 304 || body != "" {
		t.Errorf("revalidating / with its ETag: %d %q, want 304 and no body", resp2.StatusCode, body)
	}
	req, _ := http.NewRequest("POST", u+"/", strings.NewReader("x"))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 405 {
		t.Errorf("POST /: %v %v, want 405", resp.Status, err)
	}
}

func TestServesThePlaceholderUntilThePageIsBuilt(t *testing.T) {
	s := start(t, Config{Dist: fstest.MapFS{"placeholder.html": {Data: []byte("run make build")}}, Built: false})
	for _, path := range []string{"/", "/embed"} {
		if resp, body := get(t, s.URL()+path); resp.StatusCode != 200 || body != "run make build" {
			t.Errorf("GET %s: %d %q, want the placeholder", path, resp.StatusCode, body)
		}
	}
	// The real embedded site: whatever state the build is in, / answers with HTML.
	s2 := start(t, Config{Dist: site.Dist(), Built: site.Built()})
	if resp, _ := get(t, s2.URL()+"/"); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET / of the embedded site: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestInfo(t *testing.T) {
	s := start(t, Config{AllowOrigins: []string{"https://playground.example"}})
	resp, body := get(t, s.URL()+"/api/info", "Origin", "https://playground.example")
	var info protocol.Info
	if err := json.Unmarshal([]byte(body), &info); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/api/info: %d %s: %v", resp.StatusCode, body, err)
	}
	if info.Where != "native" || info.Protocol != protocol.Protocol || info.Cores < 1 || len(info.Variants) != 5 || len(info.Presets) == 0 || info.Limits.Workers == 0 {
		t.Errorf("/api/info = %+v", info)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "https://playground.example" {
		t.Errorf("allowed origin gets Access-Control-Allow-Origin %q", got)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("/api/info: Cache-Control %q, want no-store (as at the edge)", got)
	}
	if resp, _ := get(t, s.URL()+"/api/info", "Origin", "https://evil.example"); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a foreign origin may read /api/info")
	}
}

// The farm's whole table, through the Host guard: the same answers as at the edge.
func TestServesTheFarm(t *testing.T) {
	s := start(t, Config{})
	farmtest.Run(t, s.URL())
}

// DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1 reaches us with
// its own name in Host. Every route refuses it, the WebSocket included, before anything runs.
func TestForeignHostIsForbiddenOnEveryRoute(t *testing.T) {
	s := start(t, Config{})
	_, port, _ := net.SplitHostPort(hostPort(s))
	for _, host := range []string{"evil.example:" + port, "evil.example", "127.0.0.1", "localhost:1", "127.0.0.2:" + port,
		"localhost." + ":" + port, "127.0.0.1:" + port + ".evil.example", "[::2]:" + port, "0x7f000001:" + port} {
		for _, path := range []string{"/", "/embed", "/ws", "/api/info", "/healthz", "/farm/a?size=1", "/missing"} {
			resp, body := get(t, s.URL()+path, "Host", host, "Origin", "http://"+host)
			if resp.StatusCode != 403 || !strings.Contains(body, "Host") {
				t.Errorf("GET %s with Host %s: %d %q, want 403", path, host, resp.StatusCode, body)
			}
		}
	}
	for _, host := range []string{"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LocalHost:" + port} {
		if resp, _ := get(t, s.URL()+"/healthz", "Host", host); resp.StatusCode != 200 {
			t.Errorf("Host %s: %d, want 200", host, resp.StatusCode)
		}
	}
	if n := s.Stats().RunsTotal; n != 0 {
		t.Errorf("%d runs started", n)
	}
}

// Cross-site WebSocket hijacking: any page may open ws://127.0.0.1:PORT/ws; only our own page
// and the allowed origins get through, exactly.
func TestForeignOriginCannotOpenTheSocket(t *testing.T) {
	s := start(t, Config{AllowOrigins: []string{"https://playground.example"}})
	_, port, _ := net.SplitHostPort(hostPort(s))
	for _, origin := range []string{"", "null", "http://evil.example", "https://evil.example",
		"http://127.0.0.1:" + port + ".evil.example", "http://127.0.0.1:" + port + "/", "https://127.0.0.1:" + port,
		"http://127.0.0.1:1", "http://127.0.0.1", "https://playground.example.evil.example", "http://playground.example",
		"https://PLAYGROUND.example", "file://", "http://127.0.0.1:" + port + "@evil.example"} {
		ws, resp, err := dialRaw(s, origin)
		if err == nil {
			ws.Close()
			t.Errorf("Origin %q: the socket opened", origin)
			continue
		}
		if resp == nil || resp.StatusCode != 403 {
			t.Errorf("Origin %q: %v, want 403", origin, err)
		}
	}
	for _, origin := range []string{"http://127.0.0.1:" + port, "http://localhost:" + port, "http://[::1]:" + port, "https://playground.example"} {
		ws, _, err := dialRaw(s, origin)
		if err != nil {
			t.Errorf("Origin %q: %v, want the socket open", origin, err)
			continue
		}
		ws.Close()
	}
	if n := s.Stats().RunsTotal; n != 0 {
		t.Errorf("%d runs started", n)
	}
}

// Requests no browser sends still get a plain 4xx, and the server goes on serving.
func TestMalformedRequestsAreRefusedWithoutACrash(t *testing.T) {
	s := start(t, Config{})
	addr := hostPort(s)
	key := "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	tests := []struct {
		name, request string
		status        []int
	}{
		{"garbage request line", "HELLO\r\n\r\n", []int{400}},
		{"no Host (HTTP/1.1)", "GET /healthz HTTP/1.1\r\n\r\n", []int{400}},
		{"no Host (HTTP/1.0)", "GET /healthz HTTP/1.0\r\n\r\n", []int{403}},
		{"two Hosts", "GET /healthz HTTP/1.1\r\nHost: " + addr + "\r\nHost: evil.example\r\n\r\n", []int{400}},
		{"space in Host", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1 :1\r\n\r\n", []int{400}},
		{"header without colon", "GET /healthz HTTP/1.1\r\nHost: " + addr + "\r\nnonsense\r\n\r\n", []int{400}},
		{"control byte in header", "GET /healthz HTTP/1.1\r\nHost: " + addr + "\r\nX-A: a\x01b\r\n\r\n", []int{400}},
		{"huge header", "GET /healthz HTTP/1.1\r\nHost: " + addr + "\r\nX-Big: " + strings.Repeat("a", 64<<10) + "\r\n\r\n", []int{431}},
		{"two Origins", "GET /ws HTTP/1.1\r\nHost: " + addr + "\r\nOrigin: http://" + addr + "\r\nOrigin: http://" + addr + "\r\n" + key + "\r\n", []int{403}},
		{"bad WebSocket key", "GET /ws HTTP/1.1\r\nHost: " + addr + "\r\nOrigin: http://" + addr + "\r\nSec-WebSocket-Key: x\r\nSec-WebSocket-Version: 13\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", []int{400}},
		{"WebSocket version 8", "GET /ws HTTP/1.1\r\nHost: " + addr + "\r\nOrigin: http://" + addr + "\r\n" + strings.Replace(key, "13", "8", 1) + "\r\n", []int{400}},
		{"not an upgrade", "GET /ws HTTP/1.1\r\nHost: " + addr + "\r\nOrigin: http://" + addr + "\r\n\r\n", []int{400}},
		{"bad percent-encoding", "GET /%zz HTTP/1.1\r\nHost: " + addr + "\r\n\r\n", []int{400}},
	}
	for _, tt := range tests {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		conn.Write([]byte(tt.request))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		conn.Close()
		if err != nil {
			t.Errorf("%s: no HTTP answer: %v", tt.name, err)
			continue
		}
		ok := false
		for _, st := range tt.status {
			ok = ok || resp.StatusCode == st
		}
		if !ok {
			t.Errorf("%s: %s, want %v", tt.name, resp.Status, tt.status)
		}
	}
	if resp, _ := get(t, s.URL()+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("after the malformed requests /healthz answers %d", resp.StatusCode)
	}
}

// A bad flag or value exits 2 with exactly one line on stderr naming the flag (and the bound);
// -h prints the usage to stdout and exits 0.
func TestFlags(t *testing.T) {
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
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"-log-level", "loud"}, 2, `-log-level: "loud" is not one of debug, info, warn, error`},
		{[]string{"-python", ""}, 2, "want the path of a CPython interpreter"},
		{[]string{"-python", "/nonexistent/python3"}, 2, "-python /nonexistent/python3: "},
		{[]string{"-python", "/bin/true"}, 2, "-python /bin/true: did not answer as CPython 3 does"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := serve(tt.args, &stdout, &stderr)
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

// A port that is taken is not a bad flag: the server could not start, exit 1.
func TestServeOnATakenPortExits1(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stdout, stderr bytes.Buffer
	if code := serve([]string{"-addr", ln.Addr().String()}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "cannot serve") {
		t.Errorf("serve on a taken port: exit %d, stderr:\n%s\nwant exit 1 and cannot serve", code, &stderr)
	}
}

func TestParseOrigin(t *testing.T) {
	for _, ok := range []string{"https://playground.example", "http://localhost:5173", "http://[::1]:3000"} {
		if got, err := ParseOrigin(ok); err != nil || got != ok {
			t.Errorf("ParseOrigin(%q) = %q, %v", ok, got, err)
		}
	}
	for _, bad := range []string{"", "*", "null", "playground.example", "https://playground.example/", "https://a.example/x",
		"https://a.example?x", "ftp://a.example", "https://user@a.example", "https://A.example", "http://a.example:0", "http://a.example:99999"} {
		if _, err := ParseOrigin(bad); err == nil || !strings.HasPrefix(err.Error(), "allow-origin: ") {
			t.Errorf("ParseOrigin(%q) = %v, want an allow-origin error", bad, err)
		}
	}
}

// With -allow-remote a page served from an IP address talks to its own server; a name is
// still refused, since a name can be rebound.
func TestAllowRemoteAcceptsIPLiteralsOnly(t *testing.T) {
	for _, remote := range []bool{false, true} {
		g := newGuard("8080", nil, remote)
		for host, want := range map[string]bool{
			"192.0.2.7:8080": remote, "[2001:db8::1]:8080": remote, "192.0.2.7:9": false,
			"evil.example:8080": false, "localhost:8080": true, "192.0.2.7": false,
		} {
			if got := g.hostAllowed(host); got != want {
				t.Errorf("allowRemote %v: hostAllowed(%q) = %v, want %v", remote, host, got, want)
			}
		}
		req, _ := http.NewRequest("GET", "http://192.0.2.7:8080/ws", nil)
		req.Header.Set("Origin", "http://192.0.2.7:8080")
		if got := g.originAllowed(req); got != remote {
			t.Errorf("allowRemote %v: a page of http://192.0.2.7:8080 may open its socket: %v", remote, got)
		}
		req.Header.Set("Origin", "http://192.0.2.8:8080") // another machine's page
		if g.originAllowed(req) {
			t.Errorf("allowRemote %v: a page of another address may open the socket", remote)
		}
	}
}

// The page refuses frames from other origins, wherever it is asked for (clickjacking: another
// site could frame it with parameters of its choosing and have a click start a run here);
// /embed, made to be framed, says nothing about frames, and neither do the page's files.
func TestThePageRefusesFramesFromOtherOriginsAndTheEmbedDoesNot(t *testing.T) {
	dist := fstest.MapFS{
		"index.html":      {Data: []byte("<!doctype html><title>playground</title>")},
		"index.html.gz":   {Data: []byte(gzipped("<!doctype html><title>playground</title>"))},
		"embed.html":      {Data: []byte("<!doctype html><title>embed</title>")},
		"app-5XKQ2J7M.js": {Data: []byte("console.log(1)")},
	}
	s := start(t, Config{Dist: dist, Built: true})
	for _, tt := range []struct {
		path, acceptEncoding string
		refuses              bool
	}{
		{"/", "", true},
		{"/", "gzip", true},
		{"/index.html", "", true},
		{"/?preset=cpu_mp&workers=64", "", true},
		{"/embed", "", false},
		{"/embed.html", "", false},
		{"/app-5XKQ2J7M.js", "", false},
	} {
		resp, _ := get(t, s.URL()+tt.path, "Accept-Encoding", tt.acceptEncoding)
		csp, xfo := resp.Header.Get("Content-Security-Policy"), resp.Header.Get("X-Frame-Options")
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", tt.path, resp.StatusCode)
		}
		if tt.refuses && (csp != "frame-ancestors 'self'" || xfo != "SAMEORIGIN") {
			t.Errorf("GET %s: Content-Security-Policy %q, X-Frame-Options %q; want frame-ancestors 'self' and SAMEORIGIN", tt.path, csp, xfo)
		}
		if !tt.refuses && (csp != "" || xfo != "") {
			t.Errorf("GET %s: Content-Security-Policy %q, X-Frame-Options %q; want neither (it is framable)", tt.path, csp, xfo)
		}
	}
}
