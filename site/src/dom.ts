// Finding the page's elements by id. A page may leave sections out (an embed has no history or
// sweep): byId is for what every page has, and says which one is missing; optionalId for the rest.

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

export function optionalId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}
