package dev.omnirag.generator.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small server speaking the OpenAI chat completions protocol as vLLM does, for tests: {@code POST
 * /v1/chat/completions} (JSON, or server-sent events with {@code "stream": true}, ending with
 * {@code data: [DONE]}), {@code GET /v1/models}.
 *
 * <p>Answers are deterministic: a {@link #respond responder} turns the request into a {@link Reply}; its text is
 * cut into tokens the way BPE vocabularies of current models cut it (words with their leading space, each digit
 * and each punctuation mark alone, so {@code [12]} is four tokens), and each streamed chunk carries one token
 * with its {@code logprobs} entry ({@code logprobs: true}, {@code top_logprobs: n}). A reply can set the top
 * log-probabilities of its first token, which is how a reranker's yes/no judgement is faked.
 *
 * <p>Failures are queued with {@link #enqueue}: each request takes the next queued {@link Behaviour} (none left:
 * answer normally): an HTTP status (429 with Retry-After, 500...), a stall before the headers or mid-stream, a
 * malformed chunk, a dropped connection. Every request body is recorded ({@link #requests()}).
 */
public final class FakeOpenAiServer implements AutoCloseable {

    /** Model name the server reports. */
    public static final String MODEL = "fake-moe";

    private static final Pattern TOKEN = Pattern.compile(" ?[\\p{L}]+| ?\\d| ?[^\\s\\p{L}\\d]|\\s+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final HttpServer server;
    private final Deque<Behaviour> behaviours = new ConcurrentLinkedDeque<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Function<JsonNode, Reply> responder =
            r -> Reply.text("I could not find an answer in the sources.");
    private volatile Duration tokenDelay = Duration.ZERO;

    private FakeOpenAiServer() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot start the fake OpenAI server", e);
        }
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static FakeOpenAiServer start() {
        return new FakeOpenAiServer();
    }

    /** {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    /** Sets how requests are answered (the chat request body in, the reply out). */
    public FakeOpenAiServer respond(Function<JsonNode, Reply> responder) {
        this.responder = responder;
        return this;
    }

    /** Pause between two streamed chunks. Default none. */
    public FakeOpenAiServer tokenDelay(Duration delay) {
        this.tokenDelay = delay;
        return this;
    }

    /**
     * The model's context window in tokens ({@link #tokens} of the messages' text), as vLLM's
     * {@code --max-model-len}: a longer prompt answers 400 with vLLM's message. 0 (default): unlimited.
     */
    public FakeOpenAiServer contextTokens(int contextTokens) {
        this.contextTokens = contextTokens;
        return this;
    }

    private volatile int contextTokens;

    /** Queues behaviours for the next requests, one each, in order. */
    public FakeOpenAiServer enqueue(Behaviour... next) {
        behaviours.addAll(List.of(next));
        return this;
    }

    /** Chat request bodies received so far, oldest first. */
    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /** Forgets requests and queued behaviours, answers with the default responder again, no token delay. */
    public FakeOpenAiServer reset() {
        behaviours.clear();
        requests.clear();
        responder = r -> Reply.text("I could not find an answer in the sources.");
        tokenDelay = Duration.ZERO;
        contextTokens = 0;
        return this;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the fake OpenAI server", e);
        }
    }

    /** What the server answers: text, and optionally the top log-probabilities of its first token. */
    public record Reply(String text, Map<String, Double> firstTokenTopLogprobs, List<ToolCall> toolCalls) {
        public Reply(String text, Map<String, Double> firstTokenTopLogprobs) {
            this(text, firstTokenTopLogprobs, List.of());
        }

        public static Reply text(String text) {
            return new Reply(text, null);
        }

        /** The model calls a tool instead of answering (OpenAI's {@code tool_calls}, finish_reason tool_calls). */
        public static Reply toolCall(String name, String arguments) {
            return new Reply("", null, List.of(new ToolCall(name, arguments)));
        }

        /** A one-token yes/no judgement: "yes" or "no" whichever is likelier, with P(yes) = {@code pYes}. */
        public static Reply yesNo(double pYes) {
            Map<String, Double> top = new LinkedHashMap<>();
            double pNo = 1 - pYes;
            if (pYes >= pNo) {
                top.put("yes", Math.log(pYes));
                top.put("no", Math.log(Math.max(pNo, 1e-9)));
            } else {
                top.put("no", Math.log(pNo));
                top.put("yes", Math.log(Math.max(pYes, 1e-9)));
            }
            return new Reply(pYes >= pNo ? "yes" : "no", top);
        }
    }

    /** One function call of a {@link Reply}; {@code arguments} is the JSON text the model wrote. */
    public record ToolCall(String name, String arguments) {}

    /** How one request is answered. */
    public sealed interface Behaviour {
        /** Answer with {@code status} and an OpenAI error body; Retry-After when {@code retryAfterSeconds >= 0}. */
        record Status(int status, int retryAfterSeconds) implements Behaviour {}

        /** Send nothing for {@code pause} after {@code afterChunks} chunks (0: before the response headers). */
        record Stall(int afterChunks, Duration pause) implements Behaviour {}

        /** Send a chunk that is not valid JSON after {@code afterChunks} good ones, then carry on. */
        record Malformed(int afterChunks) implements Behaviour {}

        /** Close the connection after {@code afterChunks} chunks, without [DONE]. */
        record Drop(int afterChunks) implements Behaviour {}

        static Behaviour status(int status) {
            return new Status(status, -1);
        }

        static Behaviour status(int status, int retryAfterSeconds) {
            return new Status(status, retryAfterSeconds);
        }

        static Behaviour stall(Duration pause) {
            return new Stall(0, pause);
        }

        static Behaviour stallAfter(int chunks, Duration pause) {
            return new Stall(chunks, pause);
        }

        static Behaviour malformedAfter(int chunks) {
            return new Malformed(chunks);
        }

        static Behaviour dropAfter(int chunks) {
            return new Drop(chunks);
        }
    }

    /** The text cut into tokens as the server streams them. */
    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The text of the request's last user message (the text parts joined, when it is a list of parts). */
    public static String lastUserText(JsonNode request) {
        JsonNode messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if (m.path("role").asText().equals("user")) {
                JsonNode content = m.path("content");
                if (content.isTextual()) {
                    return content.asText();
                }
                StringBuilder sb = new StringBuilder();
                for (JsonNode part : content) {
                    if (part.path("type").asText().equals("text")) {
                        sb.append(part.path("text").asText());
                    }
                }
                return sb.toString();
            }
        }
        return "";
    }

    /**
     * The number of the prompt source ({@code [n] label} blocks of the last user message) whose text contains
     * {@code needle}, or -1. Lets a responder cite the right source whatever the retrieval order.
     */
    public static int sourceNumberContaining(JsonNode request, String needle) {
        String text = lastUserText(request);
        Matcher m = Pattern.compile("(?m)^\\[(\\d+)] ").matcher(text);
        List<int[]> starts = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {Integer.parseInt(m.group(1)), m.start()});
        }
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[1] : text.length();
            if (text.substring(starts.get(i)[1], end).contains(needle)) {
                return starts.get(i)[0];
            }
        }
        return -1;
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (req.method().name().equals("GET") && path.equals("/v1/models")) {
            ObjectNode list = JSON.createObjectNode().put("object", "list");
            list.putArray("data")
                    .addObject()
                    .put("id", MODEL)
                    .put("object", "model")
                    .put("created", 0)
                    .put("owned_by", "fake");
            req.response().putHeader("Content-Type", "application/json").end(list.toString());
            return;
        }
        if (req.method().name().equals("POST") && path.equals("/v1/rerank")) {
            rerank(req);
            return;
        }
        if (!req.method().name().equals("POST") || !path.equals("/v1/chat/completions")) {
            error(req.response(), 404, "no route " + req.method() + " " + path, -1);
            return;
        }
        req.body().onSuccess(buffer -> {
            JsonNode body;
            try {
                body = JSON.readTree(buffer.toString(StandardCharsets.UTF_8));
            } catch (Exception e) {
                error(req.response(), 400, "malformed JSON", -1);
                return;
            }
            requests.add(body);
            if (contextTokens > 0 && body.has("messages")) {
                int prompt = tokens(body.get("messages").toString()).size();
                if (prompt > contextTokens) {
                    error(
                            req.response(),
                            400,
                            "This model's maximum context length is " + contextTokens + " tokens. "
                                    + "However, you requested " + prompt
                                    + " tokens in the messages, Please reduce the length "
                                    + "of the messages.",
                            -1);
                    return;
                }
            }
            Behaviour behaviour = behaviours.poll();
            if (behaviour instanceof Behaviour.Status s) {
                error(req.response(), s.status(), "fake failure " + s.status(), s.retryAfterSeconds());
                return;
            }
            if (behaviour instanceof Behaviour.Stall s && s.afterChunks() == 0) {
                vertx.setTimer(Math.max(1, s.pause().toMillis()), t -> answer(req, body, null));
                return;
            }
            answer(req, body, behaviour);
        });
    }

    /**
     * {@code POST /v1/rerank} as vLLM, Jina and Cohere serve it: {@code {"model", "query", "documents", "top_n"}} →
     * {@code {"results": [{"index", "relevance_score"}]}}, best first. The score of a document is the share of the
     * query's words (lower-cased, longer than two letters) it contains, so tests can tell what comes first.
     */
    private void rerank(HttpServerRequest req) {
        req.body().onSuccess(buffer -> {
            JsonNode body;
            try {
                body = JSON.readTree(buffer.toString(StandardCharsets.UTF_8));
            } catch (Exception e) {
                error(req.response(), 400, "malformed JSON", -1);
                return;
            }
            requests.add(body);
            List<String> words = new ArrayList<>();
            for (String w : body.path("query")
                    .asText("")
                    .toLowerCase(java.util.Locale.ROOT)
                    .split("\\W+")) {
                if (w.length() > 2) {
                    words.add(w);
                }
            }
            List<double[]> scored = new ArrayList<>();
            JsonNode documents = body.path("documents");
            for (int i = 0; i < documents.size(); i++) {
                String doc = documents.get(i).isTextual()
                        ? documents.get(i).asText()
                        : documents.get(i).path("text").asText();
                String lower = doc.toLowerCase(java.util.Locale.ROOT);
                long hits = words.stream().filter(lower::contains).count();
                scored.add(new double[] {i, words.isEmpty() ? 0 : (double) hits / words.size()});
            }
            scored.sort((a, b) -> Double.compare(b[1], a[1]));
            ObjectNode out = JSON.createObjectNode()
                    .put("id", "rerank-fake-" + ids.incrementAndGet())
                    .put("model", body.path("model").asText(MODEL));
            ArrayNode results = out.putArray("results");
            scored.stream()
                    .limit(body.path("top_n").asInt(scored.size()))
                    .forEach(x -> results.addObject().put("index", (int) x[0]).put("relevance_score", x[1]));
            req.response().putHeader("Content-Type", "application/json").end(out.toString());
        });
    }

    private void answer(HttpServerRequest req, JsonNode body, Behaviour behaviour) {
        HttpServerResponse res = req.response();
        if (res.closed() || res.ended()) {
            return;
        }
        Reply reply;
        try {
            reply = responder.apply(body);
        } catch (RuntimeException e) {
            error(res, 500, "responder failed: " + e, -1);
            return;
        }
        String id = "chatcmpl-fake-" + ids.incrementAndGet();
        List<String> tokens = tokens(reply.text());
        int limit = body.path("max_tokens").asInt(Integer.MAX_VALUE);
        String finish = "stop";
        if (tokens.size() > limit) {
            tokens = tokens.subList(0, limit);
            finish = "length";
        }
        boolean logprobs = body.path("logprobs").asBoolean(false);
        int top = body.path("top_logprobs").asInt(0);
        String model = body.path("model").asText(MODEL);
        if (!reply.toolCalls().isEmpty()) {
            toolCalls(res, id, model, reply, body.path("stream").asBoolean(false));
            return;
        }
        if (!body.path("stream").asBoolean(false)) {
            ObjectNode out = JSON.createObjectNode()
                    .put("id", id)
                    .put("object", "chat.completion")
                    .put("created", 0)
                    .put("model", model);
            ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", String.join("", tokens));
            if (logprobs) {
                ArrayNode content = choice.putObject("logprobs").putArray("content");
                for (int i = 0; i < tokens.size(); i++) {
                    content.add(logprob(tokens.get(i), i == 0 ? reply.firstTokenTopLogprobs() : null, top));
                }
            }
            choice.put("finish_reason", finish);
            out.putObject("usage")
                    .put("prompt_tokens", 10)
                    .put("completion_tokens", tokens.size())
                    .put("total_tokens", 10 + tokens.size());
            res.putHeader("Content-Type", "application/json").end(out.toString());
            return;
        }
        res.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
        List<String> events = new ArrayList<>();
        ObjectNode first = chunk(id, model);
        ((ObjectNode) first.withArray("choices").get(0))
                .putObject("delta")
                .put("role", "assistant")
                .put("content", "");
        events.add(first.toString());
        for (int i = 0; i < tokens.size(); i++) {
            ObjectNode c = chunk(id, model);
            ObjectNode choice = (ObjectNode) c.withArray("choices").get(0);
            choice.putObject("delta").put("content", tokens.get(i));
            if (logprobs) {
                choice.putObject("logprobs")
                        .putArray("content")
                        .add(logprob(tokens.get(i), i == 0 ? reply.firstTokenTopLogprobs() : null, top));
            }
            events.add(c.toString());
        }
        ObjectNode last = chunk(id, model);
        ObjectNode lastChoice = (ObjectNode) last.withArray("choices").get(0);
        lastChoice.putObject("delta");
        lastChoice.put("finish_reason", finish);
        events.add(last.toString());
        send(res, events, 0, behaviour);
    }

    /** A reply that calls tools, as OpenAI sends it: whole, or streamed as a call's name then its arguments in pieces. */
    private void toolCalls(HttpServerResponse res, String id, String model, Reply reply, boolean stream) {
        if (!stream) {
            ObjectNode out = JSON.createObjectNode()
                    .put("id", id)
                    .put("object", "chat.completion")
                    .put("created", 0)
                    .put("model", model);
            ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
            ObjectNode message =
                    choice.putObject("message").put("role", "assistant").putNull("content");
            ArrayNode calls = message.putArray("tool_calls");
            for (int i = 0; i < reply.toolCalls().size(); i++) {
                ToolCall t = reply.toolCalls().get(i);
                calls.addObject()
                        .put("id", "call_" + i)
                        .put("type", "function")
                        .putObject("function")
                        .put("name", t.name())
                        .put("arguments", t.arguments());
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", "tool_calls");
            out.putObject("usage")
                    .put("prompt_tokens", 10)
                    .put("completion_tokens", 5)
                    .put("total_tokens", 15);
            res.putHeader("Content-Type", "application/json").end(out.toString());
            return;
        }
        res.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
        List<String> events = new ArrayList<>();
        ObjectNode first = chunk(id, model);
        ((ObjectNode) first.withArray("choices").get(0))
                .putObject("delta")
                .put("role", "assistant")
                .putNull("content");
        events.add(first.toString());
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            ToolCall t = reply.toolCalls().get(i);
            ObjectNode head = chunk(id, model);
            ((ObjectNode) head.withArray("choices").get(0))
                    .putObject("delta")
                    .putArray("tool_calls")
                    .addObject()
                    .put("index", i)
                    .put("id", "call_" + i)
                    .put("type", "function")
                    .putObject("function")
                    .put("name", t.name())
                    .put("arguments", "");
            events.add(head.toString());
            int half = t.arguments().length() / 2;
            for (String piece :
                    List.of(t.arguments().substring(0, half), t.arguments().substring(half))) {
                ObjectNode c = chunk(id, model);
                ((ObjectNode) c.withArray("choices").get(0))
                        .putObject("delta")
                        .putArray("tool_calls")
                        .addObject()
                        .put("index", i)
                        .putObject("function")
                        .put("arguments", piece);
                events.add(c.toString());
            }
        }
        ObjectNode last = chunk(id, model);
        ObjectNode lastChoice = (ObjectNode) last.withArray("choices").get(0);
        lastChoice.putObject("delta");
        lastChoice.put("finish_reason", "tool_calls");
        events.add(last.toString());
        send(res, events, 0, null);
    }

    private void send(HttpServerResponse res, List<String> events, int next, Behaviour behaviour) {
        if (res.closed()) {
            return;
        }
        if (behaviour instanceof Behaviour.Stall s && next == s.afterChunks()) {
            vertx.setTimer(Math.max(1, s.pause().toMillis()), t -> send(res, events, next, null));
            return;
        }
        if (behaviour instanceof Behaviour.Drop d && next == d.afterChunks()) {
            res.reset();
            return;
        }
        if (behaviour instanceof Behaviour.Malformed m && next == m.afterChunks()) {
            res.write("data: {\"id\": \"broken\", \"choices\": [{\"delta\": {\"content\": \"oops\n\n");
            send(res, events, next, null);
            return;
        }
        if (next == events.size()) {
            res.end("data: [DONE]\n\n");
            return;
        }
        res.write("data: " + events.get(next) + "\n\n");
        if (tokenDelay.isZero()) {
            send(res, events, next + 1, behaviour);
        } else {
            vertx.setTimer(tokenDelay.toMillis(), t -> send(res, events, next + 1, behaviour));
        }
    }

    private static ObjectNode chunk(String id, String model) {
        ObjectNode c = JSON.createObjectNode()
                .put("id", id)
                .put("object", "chat.completion.chunk")
                .put("created", 0)
                .put("model", model);
        c.putArray("choices").addObject().put("index", 0).putNull("finish_reason");
        return c;
    }

    /** A token's logprobs entry: the token itself likely, then made-up alternatives, or the given top list. */
    private static ObjectNode logprob(String token, Map<String, Double> topGiven, int top) {
        Map<String, Double> alternatives = new LinkedHashMap<>();
        if (topGiven != null) {
            alternatives.putAll(topGiven);
        } else {
            alternatives.put(token, -0.01);
            alternatives.put(" the", -5.0);
            alternatives.put(",", -6.0);
            alternatives.put(" and", -7.0);
            alternatives.put(".", -8.0);
        }
        ObjectNode entry = JSON.createObjectNode()
                .put("token", token)
                .put("logprob", topGiven != null && topGiven.containsKey(token) ? topGiven.get(token) : -0.01);
        bytes(entry, token);
        ArrayNode list = entry.putArray("top_logprobs");
        int n = 0;
        for (Map.Entry<String, Double> e : alternatives.entrySet()) {
            if (n++ >= top) {
                break;
            }
            ObjectNode alt = list.addObject().put("token", e.getKey()).put("logprob", e.getValue());
            bytes(alt, e.getKey());
        }
        return entry;
    }

    private static void bytes(ObjectNode node, String token) {
        ArrayNode bytes = node.putArray("bytes");
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
    }

    private static void error(HttpServerResponse res, int status, String message, int retryAfterSeconds) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error")
                .put("message", message)
                .put("type", status == 429 ? "rate_limit_exceeded" : "server_error")
                .put("code", status);
        res.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (retryAfterSeconds >= 0) {
            res.putHeader("Retry-After", Integer.toString(retryAfterSeconds));
        }
        res.end(body.toString());
    }
}
