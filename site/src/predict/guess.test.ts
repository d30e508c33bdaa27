import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Guess } from "./guess";
import type { Experiment, Variant } from "../types";

function guessOf(offered: Variant[], experiment: Experiment = "cpu") {
  const form = { experiment };
  return { g: new Guess(() => offered, () => form.experiment), form };
}

describe("Guess keeps the reader's order", () => {
  test("the list is the offered variants in the reader's order", () => {
    const { g } = guessOf(["sequential", "pool", "process"]);
    assert.deepEqual(g.list, ["sequential", "pool", "process"]);
    g.move("process", -2);
    assert.deepEqual(g.list, ["process", "sequential", "pool"]);
    assert.ok(g.made(), "moving a variant makes the guess");
  });
  test("a guess is for the experiment it was made for", () => {
    const { g, form } = guessOf(["sequential", "pool"]);
    g.keep();
    assert.ok(g.made());
    form.experiment = "io";
    assert.ok(!g.made());
  });
  test("a link's guess is taken, or what is wrong with it said", () => {
    const { g } = guessOf(["sequential", "pool", "process"]);
    assert.match(g.fromLinkText("pool,nonsense"), /not a variant/);
    assert.ok(!g.made());
    assert.equal(g.fromLinkText("pool,process,sequential"), "");
    assert.ok(g.made() && g.fromLink);
    assert.deepEqual(g.list, ["pool", "process", "sequential"]);
  });
});

describe("Run every variant asks for a guess once", () => {
  test("without a guess: ask, then run", () => {
    const { g } = guessOf(["sequential", "pool"]);
    assert.equal(g.gate(false), "ask");
    assert.equal(g.gate(false), "run");
  });
  test("the skip runs without asking", () => {
    const { g } = guessOf(["sequential", "pool"]);
    g.skip();
    assert.equal(g.gate(false), "run");
  });
  test("with a guess it runs at once", () => {
    const { g } = guessOf(["sequential", "pool"]);
    g.keep();
    assert.equal(g.gate(false), "run");
  });
  test("where a guess is required it holds the runs until one is made", () => {
    const { g } = guessOf(["sequential", "pool"]);
    assert.equal(g.gate(true), "hold");
    assert.equal(g.gate(true), "hold");
    g.keep();
    assert.equal(g.gate(true), "run");
  });
});
