import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ended, lostOnReload, running, type KeyStore } from "./interrupted";

function store(): KeyStore {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
}

describe("a run lost to a reload is said on the next load", () => {
  test("a run that was going when the page went away", () => {
    const s = store();
    running(s, "run 3 (process pool × 2 in the native backend)");
    assert.equal(lostOnReload(s), "The page was reloaded while run 3 (process pool × 2 in the native backend) was running: that run was lost. Run it again to measure it.");
    assert.equal(lostOnReload(s), "", "said once");
  });
  test("a run that ended says nothing", () => {
    const s = store();
    running(s, "run 1 (sequential in the browser)");
    ended(s);
    assert.equal(lostOnReload(s), "");
  });
  test("no storage, no word and no error", () => {
    running(null, "run 1");
    assert.equal(lostOnReload(null), "");
    const refusing: KeyStore = { getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("denied"); }, removeItem: () => { throw new Error("denied"); } };
    running(refusing, "run 1");
    ended(refusing);
    assert.equal(lostOnReload(refusing), "");
  });
});
