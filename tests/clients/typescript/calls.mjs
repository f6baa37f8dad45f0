// OpenRouter's TypeScript SDK, driven by the test suite: reads one JSON request on
// stdin, {"serverURL", "apiKey", "calls": [{"method": "models.list", "args": [...]}]},
// makes each call through the SDK (which validates every response with its zod
// schemas) and writes one JSON line per call: {"ok": true, "value": ...} with the
// parsed value (a listing's every page), or {"ok": false, "error": {...}}.
import { OpenRouter } from "@openrouter/sdk";

function read(stream) {
  return new Promise((resolve, reject) => {
    let text = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => (text += chunk));
    stream.on("end", () => resolve(text));
    stream.on("error", reject);
  });
}

// A listing resolves to a page iterator: every page's result, in order.
async function settle(value) {
  if (value && typeof value.next === "function" && "result" in value) {
    const pages = [];
    for (let page = value; page; page = await page.next()) {
      pages.push(page.result);
    }
    return { pages };
  }
  return value;
}

function described(error) {
  return {
    name: error?.constructor?.name ?? "Error",
    message: String(error?.message ?? error),
    status: error?.statusCode ?? error?.rawResponse?.status ?? null,
  };
}

const request = JSON.parse(await read(process.stdin));
const client = new OpenRouter({
  apiKey: request.apiKey ?? "unused",
  serverURL: request.serverURL,
  retryConfig: { strategy: "none" },
  timeoutMs: 30000,
});
for (const call of request.calls) {
  const [namespace, method] = call.method.split(".");
  let line;
  try {
    const value = await client[namespace][method](...(call.args ?? []));
    line = { ok: true, value: await settle(value) };
  } catch (error) {
    line = { ok: false, error: described(error) };
  }
  process.stdout.write(JSON.stringify(line) + "\n");
}
