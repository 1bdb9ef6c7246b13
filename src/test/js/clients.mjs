// Calls Omnirag through the client libraries people already use and prints what each got, as JSON:
// Vercel AI SDK (@ai-sdk/openai: its default provider speaks the Responses API), LangChain.js (chat and
// embeddings), and Cohere's client (v1 and v2 rerank, a vendor model name mapped by the server's aliases or the
// default reranker). Each part reports its own error instead of stopping the others.
// Usage: OMNIRAG_URL=http://127.0.0.1:8080 OMNIRAG_MODEL=omnirag:<collection> OMNIRAG_EMBEDDER=<model id>
//        OMNIRAG_QUESTION="..." node clients.mjs
import { generateText, streamText } from "ai";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { CohereClient, CohereClientV2 } from "cohere-ai";

const url = process.env.OMNIRAG_URL;
const model = process.env.OMNIRAG_MODEL;
const question = process.env.OMNIRAG_QUESTION;
const out = {};

async function part(name, fn) {
  try {
    out[name] = await fn();
  } catch (e) {
    out[name] = { error: `${e.constructor.name}: ${e.message}` };
  }
}

await part("vercel", async () => {
  const openai = createOpenAI({ baseURL: `${url}/v1`, apiKey: "unused" });
  const r = await generateText({ model: openai(model), prompt: question, maxRetries: 0 });
  const s = streamText({ model: openai(model), prompt: question, maxRetries: 0 });
  let streamed = "";
  for await (const delta of s.textStream) streamed += delta;
  const sources = await r.sources;
  return { text: r.text, sources: sources.map((x) => ({ url: x.url, title: x.title })), streamed,
    finishReason: r.finishReason };
});

await part("vercelCompatible", async () => {
  // The openai-compatible provider speaks chat completions.
  const provider = createOpenAICompatible({ name: "omnirag", baseURL: `${url}/v1`, apiKey: "unused" });
  const r = await generateText({ model: provider.chatModel(model), prompt: question, maxRetries: 0 });
  return { text: r.text, finishReason: r.finishReason };
});

await part("langchainChat", async () => {
  const chat = new ChatOpenAI({ model, apiKey: "unused", configuration: { baseURL: `${url}/v1` }, maxRetries: 0 });
  const m = await chat.invoke(question);
  return { content: m.content, citations: m.additional_kwargs?.citations ?? m.response_metadata?.citations ?? null };
});

await part("langchainEmbeddings", async () => {
  const e = new OpenAIEmbeddings({ model: process.env.OMNIRAG_EMBEDDER, apiKey: "unused",
    configuration: { baseURL: `${url}/v1` }, maxRetries: 0 });
  const one = await e.embedQuery(question);
  const many = await e.embedDocuments(["first passage", "second passage"]);
  // No model given: LangChain's default (text-embedding-ada-002 or -3-small), an alias on the server.
  const byDefault = new OpenAIEmbeddings({ apiKey: "unused", configuration: { baseURL: `${url}/v1` }, maxRetries: 0 });
  const same = await byDefault.embedQuery(question);
  return { dimensions: one.length, documents: many.length, defaultModelMatches: same.every((x, i) => Math.abs(x - one[i]) < 1e-6) };
});

const documents = ["Bread rises in a warm place.", "Flutter can destroy a wing within seconds."];

await part("cohereV1", async () => {
  const co = new CohereClient({ token: "unused", environment: url });
  const r = await co.rerank({ query: "What destroys wings?", documents, topN: 1, returnDocuments: true });
  return { index: r.results[0].index, score: r.results[0].relevanceScore, document: r.results[0].document?.text,
    version: r.meta?.apiVersion?.version };
});

await part("cohereV2", async () => {
  const co = new CohereClientV2({ token: "unused", environment: url });
  const r = await co.rerank({ model: "rerank-v3.5", query: "What destroys wings?", documents, topN: 2 });
  return { indexes: r.results.map((x) => x.index), version: r.meta?.apiVersion?.version };
});

console.log(JSON.stringify(out));
