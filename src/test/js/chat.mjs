// Calls Omnirag's /v1/chat/completions through the official OpenAI client, stream and non-stream, and prints
// what it got (content, the extra "citations" field), as JSON.
// Usage: OMNIRAG_URL=http://127.0.0.1:8080 OMNIRAG_MODEL=omnirag:papers OMNIRAG_QUESTION="..." node chat.mjs
import OpenAI from "openai";
import { ChatOpenAI } from "@langchain/openai";

const client = new OpenAI({ baseURL: `${process.env.OMNIRAG_URL}/v1`, apiKey: "unused", maxRetries: 0 });
const model = process.env.OMNIRAG_MODEL;
const messages = [{ role: "user", content: process.env.OMNIRAG_QUESTION }];

const plain = await client.chat.completions.create({ model, messages });

const stream = await client.chat.completions.create({ model, messages, stream: true,
  stream_options: { include_usage: true } });
let text = "";
let chunks = 0;
let finish = null;
let citations = null;
let usage = null;
for await (const chunk of stream) {
  chunks++;
  if (chunk.usage) usage = { ...chunk.usage, choices: chunk.choices.length };
  const choice = chunk.choices[0];
  text += choice?.delta?.content ?? "";
  if (choice?.finish_reason) finish = choice.finish_reason;
  if (chunk.citations) citations = chunk.citations;
}

let error = null;
try {
  await client.chat.completions.create({ model: "omnirag:no-such-collection", messages });
} catch (e) {
  error = { status: e.status, message: e.message, class: e.constructor.name, code: e.code };
}

// With an LLM generator, tools go to the model with the collection's passages; its call comes back.
const withTools = await client.chat.completions.create({ model, messages, tools: [{ type: "function",
  function: { name: "lookup", parameters: { type: "object", properties: {} } } }] });
const toolCall = { name: withTools.choices[0].message.tool_calls?.[0]?.function?.name,
  finish: withTools.choices[0].finish_reason };

const retrieved = await client.models.retrieve(model);

// Structured output through the SDK: the model's JSON comes back as the message content.
const json = await client.chat.completions.create({ model, messages, response_format: { type: "json_schema",
  json_schema: { name: "speedup", schema: { type: "object", properties: { speedup: { type: "string" } } } } } });
const structuredSdk = JSON.parse(json.choices[0].message.content);

// LangChain.js: tools bound to the model, and structured output, through the RAG model.
const lc = new ChatOpenAI({ model, apiKey: "unused", configuration: { baseURL: `${process.env.OMNIRAG_URL}/v1` },
  maxRetries: 0 });
const schema = { type: "object", properties: { speedup: { type: "string" } }, required: ["speedup"] };
const bound = await lc.bindTools([{ type: "function", function: { name: "report_speedup",
  description: "Report the speedup", parameters: schema } }]).invoke(process.env.OMNIRAG_QUESTION);
const structured = await lc.withStructuredOutput(schema, { name: "report_speedup" })
  .invoke(process.env.OMNIRAG_QUESTION);
const langchain = { toolCall: bound.tool_calls?.[0] ?? null, structured };

// The Responses API: one call, then a stream through the SDK's helper.
const response = await client.responses.create({ model, input: process.env.OMNIRAG_QUESTION });
const responseStream = client.responses.stream({ model, input: process.env.OMNIRAG_QUESTION });
let streamedText = "";
for await (const event of responseStream) {
  if (event.type === "response.output_text.delta") streamedText += event.delta;
}
const final = await responseStream.finalResponse();

console.log(JSON.stringify({
  plain: {
    object: plain.object,
    content: plain.choices[0].message.content,
    citations: plain.citations,
    grounded: plain.omnirag?.grounded,
  },
  stream: { text, chunks, finish, citations, usage },
  error,
  toolCall,
  structuredSdk,
  langchain,
  retrieved: { id: retrieved.id, object: retrieved.object },
  responses: {
    outputText: response.output_text,
    annotation: response.output[0].content[0].annotations[0],
    streamedText,
    finalText: final.output_text,
    status: final.status,
  },
}));
