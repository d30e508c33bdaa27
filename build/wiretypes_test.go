package main

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

type tsDuration time.Duration

func (d tsDuration) MarshalJSON() ([]byte, error) { return []byte(`"1s"`), nil }

type tsInner struct{ A int }

type tsSample struct {
	Name     string      `json:"name"`
	Count    *int        `json:"count,omitempty"`
	Parent   *int64      `json:"parent"`
	Tags     []string    `json:"tags"`
	Nested   tsInner     `json:"nested"`
	Many     []*tsInner  `json:"many,omitempty"`
	Wait     tsDuration  `json:"wait"`
	Flag     bool        `json:"-"`
	hidden   int         // unexported: not on the wire
	Untagged float64     // no tag: Go's field name
	Kind     tsKindNamed `json:"kind"`
}

type tsKindNamed string

// A struct's fields become the interface's by their JSON names: omitempty is optional, a
// pointer that is not omitted may be null, a struct written before is referred to by name,
// a field tagged "-" or unexported is not on the wire.
func TestInterfaceFollowsJSONTags(t *testing.T) {
	var b bytes.Buffer
	g := tsTypes{named: map[reflect.Type]string{
		reflect.TypeFor[tsDuration]():  "string",
		reflect.TypeFor[tsKindNamed](): "Kind",
	}}
	g.iface(&b, "inner", "Inner", reflect.TypeFor[tsInner](), nil)
	b.Reset()
	g.iface(&b, "sample", "Sample", reflect.TypeFor[tsSample](), map[string]string{"name": `"fixed"`})
	want := `/** sample */
export interface Sample {
  name: "fixed";
  count?: number;
  parent: number | null;
  tags: string[];
  nested: Inner;
  many?: Inner[];
  wait: string;
  Untagged: number;
  kind: Kind;
}

`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	_ = tsSample{}.hidden
}

// A type that writes its own JSON has no shape reflection can see: without a name given, the
// build stops instead of writing a wrong type.
func TestOwnJSONNeedsAName(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "writes its own JSON") {
			t.Errorf("recovered %v, want a panic naming the type that writes its own JSON", r)
		}
	}()
	var g tsTypes
	g.of(reflect.TypeFor[tsDuration]())
}

// A union and its list are written in Go's order.
func TestUnion(t *testing.T) {
	var b bytes.Buffer
	union(&b, "doc", "Kind", "kinds", []tsKindNamed{"b", "a"})
	want := "/** doc */\nexport type Kind = \"b\" | \"a\";\nexport const kinds: readonly Kind[] = [\"b\", \"a\"];\n\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
