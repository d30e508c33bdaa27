package main

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// tsTypes writes Go structs as TypeScript interfaces, read from their JSON tags by reflection,
// so the page's types of the wire's objects are the Go side's and cannot drift from it. It
// knows only the plain shapes the protocol uses; anything else stops the build, rather than
// being guessed at.
type tsTypes struct {
	// named gives the TypeScript name of a Go type that has one: a union of names, a type
	// written with its own JSON (a duration as text, a span as an array), or a struct written
	// before as an interface.
	named map[reflect.Type]string
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// of is the TypeScript type of a value of Go type t.
func (g *tsTypes) of(t reflect.Type) string {
	if n, ok := g.named[t]; ok {
		return n
	}
	if t.Kind() == reflect.Pointer {
		return g.of(t.Elem())
	}
	if t.Implements(jsonMarshaler) || t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler) {
		panic("build: " + t.String() + " writes its own JSON: give it a TypeScript name")
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		elem := g.of(t.Elem())
		if strings.ContainsAny(elem, " |&") {
			elem = "(" + elem + ")"
		}
		return elem + "[]"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	}
	panic("build: no TypeScript type for Go's " + t.String())
}

// iface writes struct t as `export interface name`, and names t so later fields of its type
// refer to it. A field tagged omitempty is optional; a pointer that is not may be null.
// fixed gives fields a type of their own, by JSON name: a message's literal "type".
func (g *tsTypes) iface(b *bytes.Buffer, doc, name string, t reflect.Type, fixed map[string]string) {
	if t.Kind() != reflect.Struct {
		panic("build: " + t.String() + " is not a struct")
	}
	fmt.Fprintf(b, "/** %s */\nexport interface %s {\n", doc, name)
	g.fields(b, t, fixed)
	b.WriteString("}\n\n")
	if g.named == nil {
		g.named = map[reflect.Type]string{}
	}
	g.named[t] = name
}

// union writes a union type of names and the list of them, in Go's order:
// `export type Variant = "sequential" | …;` and `export const variants: readonly Variant[] = […];`.
func union[T ~string](b *bytes.Buffer, doc, typeName, listName string, names []T) {
	list := quotedList(names)
	fmt.Fprintf(b, "/** %s */\nexport type %s = %s;\n", doc, typeName, strings.ReplaceAll(list[1:len(list)-1], ", ", " | "))
	fmt.Fprintf(b, "export const %s: readonly %s[] = %s;\n\n", listName, typeName, list)
}

// fields writes t's fields, and those of a struct it embeds without a JSON name in its place,
// as encoding/json flattens them.
func (g *tsTypes) fields(b *bytes.Buffer, t reflect.Type, fixed map[string]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		key, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && key == "" && f.Type.Kind() == reflect.Struct {
			g.fields(b, f.Type, fixed)
			continue
		}
		if f.Anonymous {
			panic("build: " + t.String() + " embeds " + f.Type.String() + ": not written as TypeScript")
		}
		if !f.IsExported() || key == "-" {
			continue
		}
		if key == "" {
			key = f.Name
		}
		typ, optional := fixed[key], strings.Contains(","+opts+",", ",omitempty,")
		if typ == "" {
			typ = g.of(f.Type)
			if f.Type.Kind() == reflect.Pointer && !optional {
				typ += " | null"
			}
		}
		q := ""
		if optional {
			q = "?"
		}
		fmt.Fprintf(b, "  %s%s: %s;\n", key, q, typ)
	}
}
