package protocol

import (
	"encoding/json"
	"strconv"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// Type is a WebSocket message's "type": every message is one JSON object in one text frame.
type Type string

// The messages of Protocol 1. A client sends run and cancel; the server sends the rest.
const (
	TypeHello    Type = "hello"    // server, first: what this server is and runs
	TypeRun      Type = "run"      // client: run a job
	TypeCancel   Type = "cancel"   // client: stop the run with this id
	TypeSpans    Type = "spans"    // server: a batch of the run's spans, as they are recorded
	TypeProgress Type = "progress" // server: tasks done so far
	TypeResult   Type = "result"   // server: the run finished
	TypeError    Type = "error"    // server: a message or a run failed
)

// Code says why an error message was sent.
type Code string

const (
	CodeInvalid  Code = "invalid"  // a bad message or job: the message names the field
	CodeBusy     Code = "busy"     // this connection is already running a job
	CodeLimit    Code = "limit"    // over a server-wide cap
	CodeFailed   Code = "failed"   // the run broke, e.g. a worker process died
	CodeCanceled Code = "canceled" // the run was cancelled: by the client or by a shutdown
)

// Codes lists every error code.
var Codes = []Code{CodeInvalid, CodeBusy, CodeLimit, CodeFailed, CodeCanceled}

// Bounds on what a client may send. A run message is a few hundred bytes; the read limit leaves
// room for every field at its longest and refuses anything that could only be an attack.
const (
	MaxMessageBytes = 16 << 10
	MaxIDLen        = 64
	MaxPresetLen    = 64
)

// Hello is the server's first message on every connection.
type Hello struct {
	Type     Type `json:"type"`
	Protocol int  `json:"protocol"`
	Info     Info `json:"info"`
}

// Run asks the server to run a job; id names the run in every message about it.
type Run struct {
	Type Type   `json:"type"`
	ID   string `json:"id"`
	Job  Job    `json:"job"`
}

// Job is a run message's job: a workload.Job, and for a run in CPython the id of one of the
// interpreters the server offers (info's pythons). It is an id, never a path: which programs
// run is the server's command line's choice alone.
type Job struct {
	workload.Job
	Python string `json:"python,omitempty"`
}

// Cancel asks the server to stop the run with this id.
type Cancel struct {
	Type Type   `json:"type"`
	ID   string `json:"id"`
}

// Progress counts the run's finished tasks.
type Progress struct {
	Type  Type   `json:"type"`
	ID    string `json:"id"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

// Result is a finished run: the same object `native run -json` prints.
type Result struct {
	Type   Type            `json:"type"`
	ID     string          `json:"id"`
	Result workload.Result `json:"result"`
}

// Error reports a bad message (ID is the message's id when it had a readable one) or a run
// that did not finish.
type Error struct {
	Type    Type   `json:"type"`
	ID      string `json:"id,omitempty"`
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// Spans is a batch of a run's spans. The server writes it with AppendSpans, which costs no
// allocation per span; this type is for clients that decode it.
type Spans struct {
	Type  Type         `json:"type"`
	ID    string       `json:"id"`
	Spans []trace.Span `json:"spans"`
}

// NewHello, NewProgress, NewResult and NewError fill in the type.
func NewHello(info Info) Hello { return Hello{Type: TypeHello, Protocol: Protocol, Info: info} }

func NewProgress(id string, done, total int) Progress {
	return Progress{Type: TypeProgress, ID: id, Done: done, Total: total}
}

func NewResult(id string, r workload.Result) Result {
	return Result{Type: TypeResult, ID: id, Result: r}
}

func NewError(id string, code Code, message string) Error {
	return Error{Type: TypeError, ID: id, Code: code, Message: message}
}

// AppendSpans appends the spans message {"type":"spans","id":id,"spans":[[w,t,"run",s,e],…]}
// to b. The id must be one Decode accepted (it needs no escaping).
func AppendSpans(b []byte, id string, spans []trace.Span) []byte {
	b = append(b, `{"type":"spans","id":`...)
	b = strconv.AppendQuote(b, id)
	b = append(b, `,"spans":[`...)
	for i, s := range spans {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.AppendJSON(b)
	}
	return append(b, "]}"...)
}

// Encode is json.Marshal for the server's messages, which cannot fail to encode.
func Encode(msg any) []byte {
	b, err := json.Marshal(msg)
	if err != nil {
		panic("protocol: " + err.Error()) // every message type is plain data
	}
	return b
}
