// The experiment form: the preset select, the variant, the parameters and the run buttons (their
// markup is form.ts). It turns the reader's input into a PlaygroundState and says which buttons
// can act and why not; it starts nothing itself (launch.ts does, through the run queue).

import { wholeNumberError, workersMax } from "./bounds";
import { byId } from "../dom";
import { experiments, limits as goLimits } from "../gen/facts.gen";
import { count } from "../format";
import { browserConnectionsPerHost, browserProcessWorkers, browserVariants, connectionLimit, defaultN, defaultNWhy, experimentNames, lessonN, presets, variantNames, variantOrder } from "../presets";
import { cpythonRuns, stateForPreset, type PlaygroundState } from "../state";
import type { Experiment, Info, RaceMode, Variant } from "../types";

export type Limits = Info["limits"];

export interface Availability {
  /** The variants the backend runs, or null when it is not connected. */
  nativeVariants: Variant[] | null;
  /** A run is going or queued: the run buttons wait, Cancel shows. */
  busy: boolean;
  /** The connected backend's limits (its /api/info or hello); absent or null: the engine's own. */
  limits?: Limits | null;
  /** The CPython the backend offers ("cpython-3.11.2"), or null: no "Run in CPython" then. */
  python?: string | null;
}

/**
 * The bounds the form needs before any backend answers: internal/workload's Limits, which both
 * the browser engine and the backend (built from the same Go package) enforce. A connected
 * backend's own limits replace them (Availability.limits).
 */
const engineLimits = {
  work: goLimits.work, // tasks × n × repeat
  process_workers: goLimits.processWorkers,
  workers: goLimits.workers,
} satisfies Partial<Limits>;

type FormLimits = Pick<Limits, "work" | "process_workers" | "workers">;

export class Controls {
  readonly form = byId<HTMLFormElement>("controls");
  readonly preset = byId<HTMLSelectElement>("preset");
  readonly variant = byId<HTMLSelectElement>("variant");
  readonly workers = byId<HTMLInputElement>("workers");
  readonly tasks = byId<HTMLInputElement>("tasks");
  readonly n = byId<HTMLInputElement>("n");
  readonly delay = byId<HTMLInputElement>("delay");
  readonly size = byId<HTMLInputElement>("size");
  readonly mode = byId<HTMLSelectElement>("mode");
  readonly yieldBox = byId<HTMLInputElement>("yield");
  readonly repeat = byId<HTMLInputElement>("repeat");
  /** Sets n to the lesson's, or back to the default (where the page offers it). */
  readonly lessonN = byId<HTMLButtonElement>("lesson-n");
  /** What the CPU work is and why its default is not the lesson's. */
  private workText = byId("work-text");
  readonly runBrowser = byId<HTMLButtonElement>("run-browser");
  readonly runNative = byId<HTMLButtonElement>("run-native");
  readonly runAll = byId<HTMLButtonElement>("run-all");
  readonly runCPython = byId<HTMLButtonElement>("run-cpython");
  /** "Run every variant" runs them in CPython too. */
  readonly allCPython = byId<HTMLInputElement>("all-cpython");
  private allCPythonField = byId("all-cpython-field");
  readonly cancel = byId<HTMLButtonElement>("cancel");
  private state: PlaygroundState;
  /** What is wrong with the form's numbers, one message per field; runs wait until it is empty. */
  invalid: string[] = [];

  /** The limits the form checks against: the engine's until a backend says its own. */
  private limits: FormLimits = engineLimits;

  /** The variant checkboxes (the main page's "compare" set); an embed's set is fixed by its URL. */
  private variantBoxes = new Map<Variant, HTMLInputElement>();

  constructor(
    initial: PlaygroundState,
    private cores: () => number,
    private onChange: (s: PlaygroundState) => void,
  ) {
    this.state = initial;
    const boxes = document.getElementById("variants");
    for (const v of boxes ? variantOrder : []) {
      const label = document.createElement("label");
      label.className = "chip";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = "variants";
      box.value = v;
      box.dataset.testid = `variant-${v}`;
      label.append(box, ` ${variantNames[v]}`);
      boxes!.appendChild(label);
      this.variantBoxes.set(v, box);
    }
    for (const e of experiments) {
      const g = document.createElement("optgroup");
      g.label = experimentNames[e];
      for (const p of presets.filter((p) => p.experiment === e)) g.appendChild(new Option(p.name, p.name));
      this.preset.appendChild(g);
    }
    this.preset.appendChild(new Option("custom parameters", ""));
    this.preset.addEventListener("change", () => {
      if (this.preset.value === "") {
        this.state = { ...this.read(), preset: "" };
      } else {
        const variants = this.state.variants;
        this.state = stateForPreset(this.preset.value, this.cores());
        // The reader's set of variants stays. A preset is a variant asked for by name: the main
        // page adds it to the set; an embed, whose author fixed the set, offers its first instead.
        if (this.variantBoxes.size && !variants.includes(this.state.variant)) {
          this.state.variants = variantOrder.filter((v) => v === this.state.variant || variants.includes(v));
        } else {
          this.state.variants = variants;
          if (!variants.includes(this.state.variant)) this.state.variant = variants[0]!;
        }
      }
      this.fill(this.state);
      this.onChange(this.state);
    });
    this.form.addEventListener("input", (e) => {
      if (e.target === this.preset) return;
      this.state = this.read();
      this.syncFields();
      this.onChange(this.state);
    });
    this.form.addEventListener("submit", (e) => e.preventDefault());
    this.lessonN.addEventListener("click", () => {
      this.n.value = String(this.state.params.n === lessonN ? defaultN : lessonN);
      this.form.dispatchEvent(new Event("input"));
    });
    this.fill(initial);
  }

  /**
   * Puts values the state could not take (a link's, refusedInQuery) in their fields, as if the
   * reader had typed them: they are checked, marked and said the way typing is. A field the
   * variant pins, or the experiment hides, has no say in the run and is left alone.
   */
  retype(values: [string, string][]): void {
    let typed = false;
    for (const [name, raw] of values) {
      const el = this.form.elements.namedItem(name);
      if (!(el instanceof HTMLInputElement) || el.disabled || el.closest("[hidden]")) continue;
      el.value = raw;
      typed = true;
    }
    if (typed) this.form.dispatchEvent(new Event("input"));
  }

  get value(): PlaygroundState {
    return this.state;
  }

  /** Shows state in the form. */
  fill(s: PlaygroundState): void {
    this.state = s;
    this.invalid = [];
    for (const el of this.form.querySelectorAll("[aria-invalid]")) el.setAttribute("aria-invalid", "false");
    this.preset.value = s.preset;
    this.offerVariants(s.variants);
    this.variant.value = s.variant;
    for (const [v, box] of this.variantBoxes) box.checked = s.variants.includes(v);
    this.workers.value = String(s.workers);
    this.tasks.value = String(s.params.tasks);
    this.n.value = String(s.params.n);
    this.delay.value = String(s.params.delay);
    this.size.value = String(s.params.size);
    this.mode.value = s.params.mode;
    this.yieldBox.checked = s.params.yield;
    this.repeat.value = String(s.params.repeat);
    this.syncFields();
    this.checkWork(s.experiment);
  }

  /** The variant select holds the offered variants, in the page's order. */
  private offerVariants(variants: Variant[]): void {
    const now = [...this.variant.options].map((o) => o.value);
    if (now.join() === variants.join()) return;
    this.variant.textContent = "";
    for (const v of variants) {
      const where = browserVariants.includes(v) ? "browser or backend" : "backend only";
      this.variant.appendChild(new Option(`${variantNames[v]} · ${where}`, v));
    }
  }

  /** The checked variants; the last one cannot be unchecked (there would be nothing to run). */
  private readVariants(): Variant[] {
    if (!this.variantBoxes.size) return this.state.variants;
    const checked = variantOrder.filter((v) => this.variantBoxes.get(v)!.checked);
    if (checked.length) return checked;
    for (const v of this.state.variants) this.variantBoxes.get(v)!.checked = true;
    return this.state.variants;
  }

  /** The form's values; a number that is empty or out of its bounds keeps the last good one. */
  private read(): PlaygroundState {
    const s = this.state;
    this.invalid = [];
    const num = (el: HTMLInputElement, old: number): number => {
      // a number input's value is "" for text it cannot parse: that reads as "needed"
      const bad = wholeNumberError(el.name, el.value, Number(el.min), Number(el.max));
      el.setAttribute("aria-invalid", bad ? "true" : "false");
      if (bad && !el.closest("[hidden]") && !el.disabled) this.invalid.push(bad);
      return bad ? old : el.valueAsNumber;
    };
    const fixedWorkers = s.variant === "sequential" || s.variant === "eventloop";
    const variants = this.readVariants();
    let variant = this.variant.value as Variant;
    // checking a variant box offers it; unchecking the chosen one chooses the next still offered
    if (!variants.includes(variant)) variant = variants.find((v) => variantOrder.indexOf(v) > variantOrder.indexOf(variant)) ?? variants[0]!;
    this.offerVariants(variants);
    this.variant.value = variant;
    // the workers are checked against the bound of the variant chosen now, not the last one
    this.workers.max = String(workersMax(variant, this.limits.process_workers, this.limits.workers));
    this.checkWork(s.experiment);
    return {
      preset: s.preset,
      experiment: s.experiment,
      variants,
      variant,
      // a pinned field shows the variant's fixed count, not the reader's choice: keep that
      workers: fixedWorkers ? s.workers : num(this.workers, s.workers),
      params: {
        tasks: num(this.tasks, s.params.tasks),
        n: num(this.n, s.params.n),
        delay: num(this.delay, s.params.delay),
        size: num(this.size, s.params.size),
        mode: this.mode.value as RaceMode,
        yield: this.yieldBox.checked,
        repeat: num(this.repeat, s.params.repeat),
      },
    };
  }

  /**
   * CPU work is bounded per run (tasks × n × repeats squares, both the engine's and the
   * backend's limit): say so in the form rather than let the run be refused. The fields are marked.
   */
  private checkWork(experiment: Experiment): void {
    const tasks = this.tasks.valueAsNumber;
    const n = this.n.valueAsNumber;
    const repeat = this.repeat.valueAsNumber;
    const work = tasks * n * repeat;
    const over = experiment === "cpu" && [tasks, n, repeat].every(Number.isInteger) && work > this.limits.work;
    if (!over) return;
    for (const el of [this.tasks, this.n, this.repeat]) el.setAttribute("aria-invalid", "true");
    this.invalid.push(
      `tasks × n × repeats: ${count(tasks)} × ${count(n)} × ${count(repeat)} = ${count(work)} squares is over the limit of ${count(this.limits.work)} per run (the engine's and the backend's); lower tasks, n or repeats.`,
    );
  }

  /** Shows the fields of the experiment; pins workers where the variant fixes them. */
  private syncFields(): void {
    const s = this.state;
    for (const el of this.form.querySelectorAll<HTMLElement>("[data-for]")) {
      el.hidden = !(el.dataset.for ?? "").split(" ").includes(s.experiment);
    }
    this.describeWork();
    const hint = document.getElementById("workers-hint")!;
    if (s.variant === "sequential") {
      this.workers.disabled = true;
      this.workers.value = "1";
      hint.textContent = "one: a task after another";
    } else if (s.variant === "eventloop") {
      this.workers.disabled = true;
      this.workers.value = String(s.params.tasks);
      // over HTTP/1.1 the browser's six connections are the lanes its run reports as workers
      hint.textContent =
        s.experiment === "io" && connectionLimit() === browserConnectionsPerHost && s.params.tasks > browserConnectionsPerHost
          ? `one coroutine per task; in this browser ${browserConnectionsPerHost} connections carry them`
          : "one coroutine per task";
    } else {
      // the field shows the state's count when it stops being pinned; while the reader edits it,
      // it keeps what they typed (an empty field, say), which read() checks
      if (this.workers.disabled) this.workers.value = String(s.workers);
      this.workers.disabled = false;
      this.workers.max = String(workersMax(s.variant, this.limits.process_workers, this.limits.workers));
      hint.textContent =
        s.variant === "process" ? `OS processes on the backend, up to ${this.limits.process_workers}; Web Workers in the browser, up to ${browserProcessWorkers}` : "threads (goroutines)";
    }
  }

  /**
   * What a CPU task does, and why the default n is not the lesson's, with the lesson's n (or,
   * once it is chosen, the default) one click away.
   */
  private describeWork(): void {
    const n = this.state.params.n;
    const what = `Each task sums i² for i below n + its index, exactly (the sums pass 2⁶⁴).`;
    if (n === lessonN) {
      this.workText.textContent =
        `${what} This is the lesson's n, which took CPython 2.86 s. Go is done with it so soon that a process's start-up and the machine's noise weigh far more here than they did in the lesson.`;
    } else {
      this.workText.textContent = `${what} ${defaultNWhy}`;
    }
    this.lessonN.textContent = n === lessonN ? `the default n = ${count(defaultN)}` : `the lesson's n = ${count(lessonN)}`;
  }

  /** Enables what can run now and says why the rest cannot. */
  setAvailability(a: Availability): string {
    const limits = a.limits ? { work: a.limits.work, process_workers: a.limits.process_workers, workers: a.limits.workers } : engineLimits;
    if (limits.work !== this.limits.work || limits.process_workers !== this.limits.process_workers || limits.workers !== this.limits.workers) {
      this.limits = limits;
      // the bounds changed: check the form again against them (read sets the fields' bounds), as if the reader had typed
      this.state = this.read();
      this.syncFields();
    }
    const v = this.state.variant;
    const inBrowser = browserVariants.includes(v);
    const onBackend = a.nativeVariants?.includes(v) ?? false;
    const bad = this.invalid.length > 0;
    this.runBrowser.disabled = a.busy || bad || !inBrowser;
    this.runNative.disabled = a.busy || bad || !onBackend;
    this.runAll.disabled = a.busy || bad;
    const inCPython = cpythonRuns(this.state);
    this.runCPython.hidden = this.allCPythonField.hidden = !a.python;
    this.runCPython.disabled = a.busy || bad || !inCPython;
    if (a.python) this.runCPython.title = `Runs the lesson's own script for this variant in ${a.python}, on the backend`;
    this.cancel.hidden = !a.busy;
    const reasons: string[] = [...this.invalid];
    if (!inBrowser) reasons.push(`The ${variantNames[v]} needs real ${v === "process" ? "processes" : "threads"}: it runs on the native backend only.`);
    if (a.nativeVariants === null) {
      // say what to do, not only what is off: with both run buttons off, the reader needs a way on
      const here = this.state.variants.filter((o) => browserVariants.includes(o)).map((o) => (o === "sequential" ? "the sequential run" : `the ${variantNames[o]}`));
      const choose = here.length > 1 ? `${here.slice(0, -1).join(", ")} or ${here[here.length - 1]}` : here[0];
      reasons.push(
        !inBrowser && choose
          ? `The backend is not connected: choose ${choose} to run in this browser, or start the backend as its status line says, then retry.`
          : "The backend is not connected, so only this browser can run; to run on the backend too, start it as its status line says, then retry.",
      );
    } else if (!onBackend) reasons.push(`This backend does not run the ${variantNames[v]}.`);
    if (a.python && !inCPython) reasons.push("CPython runs the lesson's race as written: the unsafe mode, without a yield.");
    if (a.python && this.state.experiment === "cpu" && this.state.params.n > lessonN) {
      reasons.push(`CPython sums squares about a hundred times slower than Go: at this n a CPython run takes minutes; the lesson's n takes seconds.`);
    }
    return reasons.join(" ");
  }
}
