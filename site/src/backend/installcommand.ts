// The one command that starts the native backend for a hosted page (the Worker writes its own
// origin into /install.sh and /install.ps1): which system the visitor is on, and that system's
// line. Pure, so it is unit-tested; installview.ts shows it.

export type InstallOS = "linux" | "macos" | "windows";

/** The systems in the order the view offers them, with their names for people. */
export const installSystems: readonly { os: InstallOS; label: string }[] = [
  { os: "linux", label: "Linux" },
  { os: "macos", label: "macOS" },
  { os: "windows", label: "Windows" },
];

/**
 * The visitor's system, from navigator.userAgentData's platform when the browser has it, else
 * from the user agent. iPhones and iPads cannot run the backend: a Mac's line is the nearest.
 * Anything unknown (ChromeOS, the BSDs) gets the POSIX sh line, which says itself what it lacks.
 */
export function guessOS(userAgent: string, platform = ""): InstallOS {
  const p = `${platform} ${userAgent}`;
  if (/windows|win32|win64/i.test(p)) return "windows";
  if (/mac|iphone|ipad|ios/i.test(p)) return "macos";
  return "linux";
}

/** The backend's serve flags for a backend URL other than the default 127.0.0.1:8080. */
export function serveArgs(backendURL: string): string[] {
  let u: URL;
  try {
    u = new URL(backendURL);
  } catch {
    return [];
  }
  const host = u.hostname === "localhost" ? "127.0.0.1" : u.hostname;
  const port = u.port || "80";
  if (!/^(127\.\d+\.\d+\.\d+|\[::1\])$/.test(host) || (host === "127.0.0.1" && port === "8080")) return [];
  return ["-addr", `${host}:${port}`];
}

/**
 * The line for os: download, check and start the backend, allowing origin (the page's own,
 * which served the script), on the address backendURL names.
 */
export function installLine(os: InstallOS, origin: string, backendURL: string): string {
  const args = serveArgs(backendURL);
  if (os === "windows") {
    // iex passes no arguments: with some, the script runs as a script block that takes them
    return args.length
      ? `powershell -c "& ([scriptblock]::Create((irm ${origin}/install.ps1))) ${args.join(" ")}"`
      : `powershell -c "irm ${origin}/install.ps1 | iex"`;
  }
  return `curl -fsSL ${origin}/install.sh | sh${args.length ? ` -s -- ${args.join(" ")}` : ""}`;
}
