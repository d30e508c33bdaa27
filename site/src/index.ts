// The playground page's entry (index.html): its stylesheet and the playground itself.
//
// The modules, one job each:
//   playground.ts  connects the pieces below on a page (index.html; embed.ts mounts it in /embed)
//   form.ts        the form's markup, one source for both pages; controls.ts: its behaviour
//   hints.ts       what the form explains: the lesson, a variant's bound, why a button cannot act
//   launch.ts      from a run button to queued runs; state.ts: what the reader chose, and its jobs
//   urlstate.ts    the state in a URL; share.ts: the Share and Embed buttons and the state's links
//   presets.ts     the lesson's scripts and defaults (the Go side's, through facts.gen.ts)
//   runs.ts        runs and the queue that runs them one at a time
//   backend.ts     the native backend over its WebSocket; backendstatus.ts: its status line and form
//   adoptcores.ts  "one per core" becomes the backend's cores when it first connects
//   engine/        the browser engine
//   spans.ts       a run's spans in flat typed arrays
//   liveview.ts    the timeline panel: title, progress, repeat marks; timeline.ts draws the timeline
//   note.ts        the run note: what became of each run; runnotes.ts: its extra sentences
//   resultsview.ts the runs table (results.ts), the durations (durations.ts) and the race (race.ts)
//   schedulerview.ts "be the scheduler" beside the race; scheduler.ts: its state machine
//   predictview.ts "predict, then run"; predict.ts: the score and the reasons; predictions.ts: kept guesses
//   sweeppanel.ts  the worker-count sweep; sweep.ts: its chart
//   labels.ts, format.ts, chart.ts: shared wording, numbers, colours; dom.ts: finding elements
//   history.ts     runs kept in localStorage; historypanel.ts lists them, compare.ts: what changed
//   export.ts      the download formats; downloads.ts: the buttons
//   snapshot.ts    results in a share link; snippets.ts: the Embed button's iframe and kit code
//   pagenotes.ts   the footer's notes: the browser's limits, the edge
//   embed.ts       the /embed page's entry and its postMessage API; kit.ts: /embed.js for tutorials
import "./style.css";
import { mountPlayground } from "./playground";

mountPlayground();
