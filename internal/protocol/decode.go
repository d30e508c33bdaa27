package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"concurrency-playground/internal/workload"
)

// ClientMessage is a message a client may send: Run or Cancel.
type ClientMessage interface{ clientMessage() }

func (Run) clientMessage()    {}
func (Cancel) clientMessage() {}

// DecodeError is why a client message was refused: Field names the culprit ("workers", "id",
// "type", "message" for the whole frame) and ID is the message's id when it had a valid one,
// so the error can be answered as part of that run.
type DecodeError struct {
	ID     string
	Field  string
	Reason string
}

func (e *DecodeError) Error() string { return e.Field + ": " + e.Reason }

// maxValueBytes bounds one job value as sent, so an error message may quote it. The longest
// value allowed is a preset name of MaxPresetLen bytes in its two quotes (a valid name needs
// no escapes); every other valid value is shorter: a number's at most 20 characters, a
// duration, experiment, variant or mode a few. Whether the name is a preset is Resolve's
// business: this only keeps the junk small.
const maxValueBytes = MaxPresetLen + len(`""`)

// Decode reads one client message strictly: a JSON object with a known type, exactly that
// type's fields, each of the right JSON type and size, no duplicate keys and nothing after the
// object. The job's values are checked against their limits later, by Job.Resolve; Decode
// makes sure everything Resolve sees is well formed and small. Every error is a *DecodeError.
func Decode(data []byte) (ClientMessage, error) {
	if len(data) > MaxMessageBytes {
		return nil, &DecodeError{Field: "message", Reason: fmt.Sprintf("%d bytes is over the limit of %d", len(data), MaxMessageBytes)}
	}
	fields, err := readObject(data)
	if err != nil {
		return nil, &DecodeError{Field: "message", Reason: err.Error()}
	}
	var typ, id string
	var idErr *DecodeError
	if raw, ok := fields["id"]; ok {
		id, idErr = decodeID(raw)
	}
	fail := func(field, format string, args ...any) (ClientMessage, error) {
		valid := id
		if idErr != nil {
			valid = ""
		}
		return nil, &DecodeError{ID: valid, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	raw, ok := fields["type"]
	if !ok {
		return fail("type", "missing; a client sends run or cancel")
	}
	if json.Unmarshal(raw, &typ) != nil || len(typ) > MaxIDLen {
		return fail("type", "want a string, run or cancel")
	}
	var allowed []string
	switch Type(typ) {
	case TypeRun:
		allowed = []string{"type", "id", "job"}
	case TypeCancel:
		allowed = []string{"type", "id"}
	case TypeHello, TypeSpans, TypeProgress, TypeResult, TypeError:
		return fail("type", "%q is sent by the server; a client sends run or cancel", typ)
	default:
		return fail("type", "%q is not a message type; a client sends run or cancel", typ)
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if !slices.Contains(allowed, name) {
			return fail("message", "unknown field %q in a %s message; allowed: %s", clip(name), typ, strings.Join(allowed, ", "))
		}
	}
	if _, ok := fields["id"]; !ok {
		return fail("id", "missing; every %s message names its run", typ)
	}
	if idErr != nil {
		return nil, idErr
	}
	if Type(typ) == TypeCancel {
		return Cancel{Type: TypeCancel, ID: id}, nil
	}
	rawJob, ok := fields["job"]
	if !ok {
		return fail("job", "missing; a run message carries a job such as {\"preset\":\"cpu_mp\"}")
	}
	job, err := decodeJob(rawJob)
	if err != nil {
		var de *DecodeError
		errors.As(err, &de)
		de.ID = id
		return nil, de
	}
	return Run{Type: TypeRun, ID: id, Job: job}, nil
}

// readObject splits one JSON object into its members, refusing anything else, duplicate keys
// (which encoding/json would silently resolve to the last) and trailing data.
func readObject(data []byte) (map[string]json.RawMessage, error) {
	const want = `want one JSON object such as {"type":"run","id":"r1","job":{"preset":"cpu_mp"}}`
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("not a JSON object; " + want)
	}
	fields := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, errors.New("malformed JSON; " + want)
		}
		key := tok.(string) // inside an object, json.Decoder yields only string keys here
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, errors.New("malformed JSON; " + want)
		}
		if _, dup := fields[key]; dup {
			return nil, fmt.Errorf("field %q given twice", clip(key))
		}
		fields[key] = raw
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, errors.New("malformed JSON; " + want)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object; send one message per frame")
	}
	return fields, nil
}

func decodeID(raw json.RawMessage) (string, *DecodeError) {
	var id string
	bad := &DecodeError{Field: "id", Reason: fmt.Sprintf("want a string of 1..%d letters, digits or . _ : -", MaxIDLen)}
	if json.Unmarshal(raw, &id) != nil || len(id) == 0 || len(id) > MaxIDLen {
		return "", bad
	}
	for _, c := range []byte(id) {
		if !isIDByte(c) {
			return "", bad
		}
	}
	return id, nil
}

func isIDByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '_' || c == ':' || c == '-'
}

// decodeJob decodes the job member field by field through workload.Fields, so every error
// names its field.
func decodeJob(raw json.RawMessage) (Job, error) {
	var job Job
	fields, err := readObject(raw)
	if err != nil {
		return job, &DecodeError{Field: "job", Reason: strings.Replace(err.Error(), "want one JSON object such as", "want an object such as", 1)}
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if name == "python" {
			id, err := decodeID(fields[name])
			if err != nil {
				return job, &DecodeError{Field: "python", Reason: "want an interpreter's id from info's pythons, such as \"cpython-3.11.2\""}
			}
			job.Python = id
			continue
		}
		f, ok := workload.FieldNamed(name)
		if !ok {
			return job, &DecodeError{Field: "job", Reason: fmt.Sprintf("unknown field %q; allowed: %s", clip(name), strings.Join(jobFieldNames, ", "))}
		}
		val := fields[name]
		if string(val) == "null" {
			return job, &DecodeError{Field: name, Reason: "null is not a value; leave the field out instead"}
		}
		if len(val) > maxValueBytes {
			return job, &DecodeError{Field: name, Reason: fmt.Sprintf("a value of %d bytes is too long (at most %d)", len(val), maxValueBytes)}
		}
		kind := f.Kind()
		if got := jsonType(val); got != kind.JSONType() {
			return job, &DecodeError{Field: name, Reason: kind.Want() + ", got " + got}
		}
		// A number goes to Parse as written, so an int64 keeps every digit; a string unquoted.
		text := string(val)
		if val[0] == '"' {
			json.Unmarshal(val, &text) // readObject has checked it is valid JSON
		}
		if err := f.Parse(&job.Job, text); err != nil {
			reason := err.Error()
			if fe := (*workload.FieldError)(nil); errors.As(err, &fe) {
				reason = fe.Reason
			}
			return job, &DecodeError{Field: name, Reason: reason}
		}
	}
	return job, nil
}

// jobFieldNames are the job's field names, sorted, for the error that lists them.
var jobFieldNames = func() []string {
	names := []string{"python"}
	for _, f := range workload.Fields {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	return names
}()

// jsonType names the type of one valid JSON value as encoding/json's errors do.
func jsonType(val []byte) string {
	switch val[0] {
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case '[':
		return "array"
	case '{':
		return "object"
	case 'n':
		return "null"
	}
	return "number"
}

// clip shortens a client-chosen name before it is echoed in an error.
func clip(s string) string {
	if len(s) > MaxIDLen {
		return s[:MaxIDLen] + "…"
	}
	return s
}
