import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { guessOS, installLine, serveArgs } from "./installcommand";

describe("guessOS reads the visitor's system", () => {
  const cases: [ua: string, platform: string, want: string][] = [
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/140.0", "", "windows"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/18.0 Safari/605.1.15", "", "macos"],
    ["Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0", "", "linux"],
    ["Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0", "Windows", "windows"], // userAgentData wins
    ["Mozilla/5.0 (iPad; CPU OS 18_0 like Mac OS X)", "", "macos"],
    ["Mozilla/5.0 (X11; CrOS x86_64 14541.0.0)", "Chrome OS", "linux"],
  ];
  for (const [ua, platform, want] of cases) test(`${ua.slice(13, 40)} ${platform}`, () => assert.equal(guessOS(ua, platform), want));
});

describe("installLine is one line for each system", () => {
  const origin = "https://play.example.org";
  test("the default address needs no flags", () => {
    assert.equal(installLine("linux", origin, "ws://127.0.0.1:8080/ws"), "curl -fsSL https://play.example.org/install.sh | sh");
    assert.equal(installLine("macos", origin, "ws://localhost:8080/ws"), "curl -fsSL https://play.example.org/install.sh | sh");
    assert.equal(installLine("windows", origin, "ws://127.0.0.1:8080/ws"), `powershell -c "irm https://play.example.org/install.ps1 | iex"`);
  });
  test("another loopback address is passed on as -addr", () => {
    assert.equal(installLine("linux", origin, "ws://127.0.0.1:9000/ws"), "curl -fsSL https://play.example.org/install.sh | sh -s -- -addr 127.0.0.1:9000");
    assert.equal(
      installLine("windows", origin, "ws://[::1]:9000/ws"),
      `powershell -c "& ([scriptblock]::Create((irm https://play.example.org/install.ps1))) -addr [::1]:9000"`,
    );
  });
  test("a backend elsewhere is not this machine's to start: no flags", () => {
    assert.deepEqual(serveArgs("ws://192.168.1.5:8080/ws"), []);
    assert.deepEqual(serveArgs("not a url"), []);
  });
});
