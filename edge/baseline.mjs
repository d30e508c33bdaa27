// A trivial JavaScript Worker, for `make bench-edge` alone: what workerd itself costs a request,
// beside which the Go Worker's own cost is read. It answers /farm/{site}?size=N as the farm
// does without a delay (the same headers, N bytes) and never runs Go. Never deployed.
export default {
  fetch(req) {
    const url = new URL(req.url);
    const size = Number(url.searchParams.get("size") ?? 0);
    return new Response(new Uint8Array(size).fill(0x2e), {
      headers: {
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": "no-store",
        "Content-Type": "text/plain; charset=utf-8",
        "X-Farm-Site": url.pathname.slice("/farm/".length),
      },
    });
  },
};
