// Calls Omnirag's /v1/embeddings through the official OpenAI client and prints what it got, as JSON.
// Usage: OMNIRAG_URL=http://127.0.0.1:8080 node embeddings.mjs
import OpenAI from "openai";

const client = new OpenAI({ baseURL: `${process.env.OMNIRAG_URL}/v1`, apiKey: "unused", maxRetries: 0 });

const single = await client.embeddings.create({ model: "bge-small-en-v1.5-int8", input: "swept wing drag" });
const batch = await client.embeddings.create({ input: ["laminar flow", "shock wave"], encoding_format: "float" });
let error = null;
try {
  await client.embeddings.create({ model: "no-such-model", input: "x" });
} catch (e) {
  error = { status: e.status, message: e.message };
}
console.log(JSON.stringify({
  object: single.object,
  model: single.model,
  count: single.data.length,
  dims: single.data[0].embedding.length,
  norm: Math.sqrt(single.data[0].embedding.reduce((s, x) => s + x * x, 0)),
  batchIndexes: batch.data.map((d) => d.index),
  batchDims: batch.data.map((d) => d.embedding.length),
  usage: single.usage,
  error,
}));
