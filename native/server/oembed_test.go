package server

import (
	"net/url"
	"strings"
	"testing"
)

// /oembed answers for this server's own origin; a rebound Host never gets that far.
func TestOEmbedPointsAtThisServer(t *testing.T) {
	s := start(t, Config{})
	link := url.QueryEscape(s.URL() + "/?preset=cpu_mp&workers=2")
	resp, body := get(t, s.URL()+"/oembed?url="+link)
	if resp.StatusCode != 200 || !strings.Contains(body, `src=\"`+s.URL()+`/embed?preset=cpu_mp\u0026amp;workers=2\"`) {
		t.Errorf("oembed: %d %s", resp.StatusCode, body)
	}
	resp, _ = get(t, s.URL()+"/oembed?url="+link, "Host", "evil.example:80")
	if resp.StatusCode != 403 {
		t.Errorf("oembed with a rebound Host: %d, want 403", resp.StatusCode)
	}
}
