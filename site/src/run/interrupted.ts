// A run the page lost to a reload (or to the tab's own navigation) is said on the next load:
// while a run goes, its name is kept in the tab's session storage, and taken away once it ends.
// What is still there when the page loads was running when the page went away.

/** The part of Storage used: sessionStorage, or a stand-in in the tests. */
export type KeyStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const key = "playground.running.v1";

/** The session storage, or null where the browser refuses it (a sandboxed frame). */
export function sessionStore(): KeyStore | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** A run started: what to say of it should the page go away before it ends. */
export function running(store: KeyStore | null, what: string): void {
  try {
    store?.setItem(key, what);
  } catch {
    // full or refused: the loss would go unsaid, as before
  }
}

/** The run ended (done, failed or canceled): nothing to say of it later. */
export function ended(store: KeyStore | null): void {
  try {
    store?.removeItem(key);
  } catch {
    /* refused */
  }
}

/** On load: the sentence about a run the last load of this tab lost, or ""; said once. */
export function lostOnReload(store: KeyStore | null): string {
  let what: string | null = null;
  try {
    what = store?.getItem(key) ?? null;
    store?.removeItem(key);
  } catch {
    return "";
  }
  return what ? `The page was reloaded while ${what} was running: that run was lost. Run it again to measure it.` : "";
}
