package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// guard decides which requests reach the playground at all. Any web page the user visits can
// make the browser send requests to 127.0.0.1, so two checks stand between a page of another
// site and a server that runs work on request:
//
//   - the Host header, on every route: a DNS-rebinding page reaches us under its own name
//     (attacker.example resolving to 127.0.0.1), which shows in Host. Only loopback names with
//     our port pass; with -allow-remote also IP literals, which cannot be rebound.
//   - the Origin header, on the WebSocket: browsers send it, and a foreign page cannot forge
//     it. Only our own origin (in any loopback spelling) and the -allow-origin values pass;
//     a missing or "null" Origin is refused, since gorilla's default would accept it.
type guard struct {
	port        string
	hosts       map[string]bool // exact, lowercase host[:port] forms
	origins     map[string]bool // exact origins: "http://127.0.0.1:8080", -allow-origin values
	allowRemote bool
}

func newGuard(port string, allowOrigins []string, allowRemote bool) *guard {
	g := &guard{port: port, hosts: map[string]bool{}, origins: map[string]bool{}, allowRemote: allowRemote}
	for _, name := range []string{"localhost", "127.0.0.1", "[::1]"} {
		g.hosts[name+":"+port] = true
		if port == "80" { // browsers leave the default port out of Host and Origin
			g.hosts[name] = true
		}
	}
	for h := range g.hosts {
		g.origins["http://"+h] = true
	}
	for _, o := range allowOrigins {
		g.origins[o] = true
	}
	return g
}

// hostAllowed reports whether a Host header names this server in a way no rebinding can fake.
func (g *guard) hostAllowed(host string) bool {
	host = strings.ToLower(host)
	if g.hosts[host] {
		return true
	}
	if !g.allowRemote {
		return false
	}
	h, port, err := net.SplitHostPort(host)
	if err != nil {
		h, port = host, "80"
	}
	_, err = netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"))
	return err == nil && port == g.port
}

// originAllowed reports whether the Origin header of a WebSocket request is ours or allowed.
// The comparison is exact: browsers send the origin serialized, lowercase, without a path.
func (g *guard) originAllowed(r *http.Request) bool {
	values := r.Header.Values("Origin")
	if len(values) != 1 {
		return false // missing, or given twice: no browser does that
	}
	o := values[0]
	if g.origins[o] {
		return true
	}
	// With -allow-remote, a page served from http://192.0.2.7:8080 talks to its own server.
	host, ok := strings.CutPrefix(o, "http://")
	return ok && g.allowRemote && !strings.ContainsAny(host, "/?#@") && host == strings.ToLower(r.Host) && g.hostAllowed(host)
}

// checkHost wraps every route: a request with a foreign Host gets 403 and nothing else.
func (g *guard) checkHost(next http.Handler, refused func(r *http.Request, why string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A request line in absolute form ("GET http://127.0.0.1:8080/ HTTP/1.1") puts its
		// own host in r.Host and drops the Host header unseen. Only proxies are sent that
		// form, and this is no proxy: it is refused whatever it names.
		if r.URL.IsAbs() || r.URL.Host != "" {
			refused(r, "absolute-form")
			http.Error(w, fmt.Sprintf("forbidden: a request line in absolute form; this is not a proxy, use http://127.0.0.1:%s", g.port), http.StatusForbidden)
			return
		}
		if !g.hostAllowed(r.Host) {
			refused(r, "host")
			http.Error(w, fmt.Sprintf("forbidden: Host %q is not this server; use http://127.0.0.1:%s", clip(r.Host), g.port), http.StatusForbidden)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// ParseOrigin checks an -allow-origin value: an exact origin, scheme://host[:port], nothing
// more, as a browser would send it.
func ParseOrigin(s string) (string, error) {
	u, err := url.Parse(s)
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("allow-origin: %q %s; want an origin such as https://playground.example or http://localhost:5173", s, why)
	}
	switch {
	case err != nil:
		return bad("is not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return bad("is not http or https")
	case u.Host == "" || u.User != nil:
		return bad("has no plain host")
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return bad("has more than scheme://host[:port] (a path, query or trailing slash)")
	case s != strings.ToLower(s):
		return bad("is not lowercase, as browsers send it")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return bad("has a bad port")
		}
	}
	return s, nil
}

// clip shortens a header value before it is echoed or logged.
func clip(s string) string {
	if len(s) > 100 {
		return s[:100] + "…"
	}
	return s
}
