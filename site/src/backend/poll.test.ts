import assert from "node:assert/strict";
import { mock, test } from "node:test";
import { Poll } from "./poll";

test("Poll tries again after a pause, once per failure, until stopped or out of tries", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    let tries = 0;
    const poll = new Poll(() => tries++);
    assert.equal(poll.active, false);
    poll.start();
    poll.start(); // a second failure report before the try: still one try
    assert.equal(poll.active, true);
    mock.timers.tick(Poll.everyMs - 1);
    assert.equal(tries, 0);
    mock.timers.tick(1);
    assert.equal(tries, 1);
    assert.equal(poll.active, true, "active during the try, so its 'connecting' is not news");
    poll.stop();
    assert.equal(poll.active, false);
    mock.timers.tick(10 * Poll.everyMs);
    assert.equal(tries, 1, "stopped: no more tries");
    for (let i = 0; i < Poll.maxTries + 5; i++) {
      poll.start();
      mock.timers.tick(Poll.everyMs);
    }
    assert.equal(tries, 1 + Poll.maxTries, "gives up after maxTries");
  } finally {
    mock.timers.reset();
  }
});
