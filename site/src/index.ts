// The playground page's entry (index.html): its stylesheet and the playground itself.
//
// The modules, one job each:
//   playground.ts  connects the pieces below on a page (index.html; embed.ts mounts it in /embed)
//   controls.ts    the form: preset, variant, parameters, run buttons
//   state.ts       what the reader chose, and the jobs it asks for; urlstate.ts: it in a URL
//   presets.ts     the lesson's scripts and defaults, as the page explains them
//   runs.ts        runs and the queue that runs them one at a time
//   backend.ts     the native backend over its WebSocket; engine/: the browser engine
//   spans.ts       a run's spans in flat typed arrays
//   timeline.ts    the live timing diagram; durations.ts, sweep.ts, race.ts: the other charts
//   results.ts     the runs table; labels.ts, format.ts, chart.ts: shared wording, numbers, colours
//   history.ts     runs kept in localStorage; historypanel.ts lists them, compare.ts: what changed
//   export.ts      downloads: results as JSON and CSV, a timeline as a Chrome trace or a PNG
//   snapshot.ts    results in a share link; snippets.ts: the Embed button's iframe and kit code
//   embed.ts       the /embed page's entry and its postMessage API; kit.ts: /embed.js for tutorials
import "./style.css";
import { mountPlayground } from "./playground";

mountPlayground();
