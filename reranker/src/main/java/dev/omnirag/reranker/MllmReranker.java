package dev.omnirag.reranker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omnirag.index.SearchHit;
import dev.omnirag.openai.OpenAiTransport;
import dev.omnirag.openai.TransportException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reranks with a multimodal LLM behind an OpenAI-compatible chat endpoint (e.g. Qwen2.5-VL on vLLM): for each of
 * the top {@code candidates} hits it asks whether the passage (or the image) helps answer the question, allowing
 * one token, and scores the hit by P(yes) read from the answer's {@code logprobs}/{@code top_logprobs}
 * (RagLLaVA / MM-Embed style pointwise reranking).
 *
 * <p>P(yes) = p(yes) / (p(yes) + p(no)), where p(yes) sums the probabilities of the top tokens that read "yes"
 * once stripped and lower-cased ({@code "Yes"}, {@code " yes"}) and p(no) those that read "no"; when neither
 * is among the top tokens, P(yes) = 0. Image hits (those for which {@code imageUrl} gives a URL) are sent as an
 * {@code image_url} part with their text as caption.
 *
 * <p>The requests run concurrently ({@code concurrency} at a time, on virtual threads) under one
 * {@code deadline}. If any request fails (refused, HTTP error, no logprobs, malformed) or the deadline passes,
 * the first-stage order stands ({@link Reranking#applied()} false, with the reason). Judged hits come first by
 * P(yes) (ties keep first-stage order); hits beyond {@code candidates} follow unjudged, in first-stage order,
 * with score 0.
 *
 * <p>Immutable and thread safe; blocking (waits up to the deadline).
 */
public final class MllmReranker implements Reranker {

    /** Instructions of the judge. */
    static final String SYSTEM_PROMPT = "You judge whether a passage or an image helps answer a question. "
            + "Reply with exactly one word: yes or no.";

    private final OpenAiTransport transport;
    private final String model;
    private final int candidates;
    private final int concurrency;
    private final Duration deadline;
    private final int topLogprobs;
    private final int maxPassageChars;
    private final Function<SearchHit, String> imageUrl;
    private final ObjectNode extraBody;
    private final ObjectMapper json = new ObjectMapper();

    private MllmReranker(Builder b) {
        // Each judgement has the reranker's deadline and no retry; the transport's breaker still spares a dead server.
        this.transport = OpenAiTransport.builder()
                .serverName("reranker model")
                .baseUrl(b.baseUrl)
                .apiKey(b.apiKey)
                .connectTimeout(b.connectTimeout)
                .readTimeout(b.deadline)
                .maxRetries(0)
                .build();
        this.model = b.model;
        this.candidates = b.candidates;
        this.concurrency = b.concurrency;
        this.deadline = b.deadline;
        this.topLogprobs = b.topLogprobs;
        this.maxPassageChars = b.maxPassageChars;
        this.imageUrl = b.imageUrl;
        this.extraBody = b.extraBody == null ? null : json.valueToTree(b.extraBody);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "mllm";
    }

    /** The judge model's name. */
    public String model() {
        return model;
    }

    @Override
    public Reranking rerank(RerankRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        List<SearchHit> hits = request.hits();
        if (hits.isEmpty()) {
            return Reranking.applied(List.of());
        }
        int judged = Math.min(candidates, hits.size());
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        double[] pYes = new double[judged];
        Semaphore permits = new Semaphore(concurrency);
        List<Future<Double>> futures = new ArrayList<>(judged);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int i = 0; i < judged; i++) {
                SearchHit hit = hits.get(i);
                futures.add(pool.submit(() -> {
                    permits.acquire();
                    try {
                        return judge(request.query(), hit, deadlineNanos);
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (int i = 0; i < judged; i++) {
                long left = deadlineNanos - System.nanoTime();
                try {
                    pYes[i] = futures.get(i).get(Math.max(0, left), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    futures.forEach(f -> f.cancel(true));
                    return Reranking.unchanged(
                            request,
                            "the reranker model " + model + " did not judge " + judged + " hits within the deadline of "
                                    + deadline.toMillis() + " ms");
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    Throwable cause = e.getCause();
                    if (cause != null && cause.getCause() instanceof TransportException t && t.timedOut()) {
                        // A request's own timeout (the time left to the same deadline) fired before this wait's.
                        return Reranking.unchanged(
                                request,
                                "the reranker model " + model + " did not judge " + judged
                                        + " hits within the deadline of " + deadline.toMillis() + " ms");
                    }
                    return Reranking.unchanged(
                            request,
                            "the reranker model " + model + " failed: "
                                    + (cause instanceof RerankException
                                            ? cause.getMessage()
                                            : "an unexpected error in the reranker"));
                } catch (InterruptedException | CancellationException e) {
                    futures.forEach(f -> f.cancel(true));
                    Thread.currentThread().interrupt();
                    return Reranking.unchanged(request, "interrupted while the reranker model " + model + " judged");
                }
            }
        } finally {
            // Interrupts requests still running (after a failure or the deadline); does not wait for them.
            pool.shutdownNow();
        }
        return Reranking.judged(hits, pYes, request.k());
    }

    /** Asks the model about one hit; P(yes). Throws RerankException on any failure. */
    private double judge(String query, SearchHit hit, long deadlineNanos) throws InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", SYSTEM_PROMPT);
        ObjectNode user = messages.addObject().put("role", "user");
        String text = hit.text().length() > maxPassageChars ? hit.text().substring(0, maxPassageChars) : hit.text();
        String image = imageUrl == null ? null : imageUrl.apply(hit);
        if (image == null) {
            user.put(
                    "content",
                    "Question: " + query + "\n\nPassage:\n" + text.strip()
                            + "\n\nDoes the passage help answer the question? Answer yes or no.");
        } else {
            ArrayNode parts = user.putArray("content");
            parts.addObject().put("type", "text").put("text", "Question: " + query + "\n\nImage:");
            parts.addObject().put("type", "image_url").putObject("image_url").put("url", image);
            parts.addObject()
                    .put("type", "text")
                    .put(
                            "text",
                            (text.isBlank() ? "" : "Caption: " + text.strip() + "\n\n")
                                    + "Does the image help answer the question? Answer yes or no.");
        }
        body.put("max_tokens", 1);
        body.put("temperature", 0.0);
        body.put("logprobs", true);
        body.put("top_logprobs", topLogprobs);
        if (extraBody != null) {
            extraBody
                    .properties()
                    .forEach(e -> body.set(e.getKey(), e.getValue().deepCopy()));
        }
        long left = Math.max(1, deadlineNanos - System.nanoTime());
        try {
            return pYes(transport.post("chat/completions", body, Duration.ofNanos(left)));
        } catch (TransportException e) {
            throw new RerankException.Retriable(e.getMessage(), e);
        }
    }

    /** P(yes) from a chat completion with logprobs. */
    static double pYes(JsonNode completion) {
        JsonNode first = completion
                .path("choices")
                .path(0)
                .path("logprobs")
                .path("content")
                .path(0);
        if (first.isMissingNode()) {
            throw new RerankException.NonRetriable("the response has no logprobs (choices[0].logprobs.content[0]); the "
                    + "server must support logprobs and top_logprobs");
        }
        double yes = 0;
        double no = 0;
        List<JsonNode> entries = new ArrayList<>();
        first.path("top_logprobs").forEach(entries::add);
        if (entries.isEmpty()) {
            entries.add(first);
        }
        for (JsonNode e : entries) {
            String token =
                    e.path("token").asText("").strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            double p = Math.exp(e.path("logprob").asDouble(Double.NEGATIVE_INFINITY));
            if (token.equals("yes")) {
                yes += p;
            } else if (token.equals("no")) {
                no += p;
            }
        }
        return yes + no == 0 ? 0.0 : yes / (yes + no);
    }

    @Override
    public String toString() {
        return "MllmReranker[endpoint=" + transport.endpoint("chat/completions") + ", model=" + model + ", candidates="
                + candidates + ", concurrency=" + concurrency + ", deadline=" + deadline + "]";
    }

    /** Builds an {@link MllmReranker}; base URL and model are required. */
    public static final class Builder {
        private String baseUrl;
        private String apiKey;
        private String model;
        private int candidates = 20;
        private int concurrency = 8;
        private Duration deadline = Duration.ofSeconds(15);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int topLogprobs = 5;
        private int maxPassageChars = 4000;
        private Function<SearchHit, String> imageUrl;
        private Map<String, ?> extraBody;

        private Builder() {}

        /** The server's OpenAI base URL, with the version path: {@code http://vllm-vl:8000/v1}. Required. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** Sent as {@code Authorization: Bearer <key>}; null or blank sends none. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
            return this;
        }

        /** The judge model, e.g. {@code Qwen/Qwen2.5-VL-7B-Instruct}. Required. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Hits judged (the first ones), 1..200. Default 20. */
        public Builder candidates(int candidates) {
            this.candidates = candidates;
            return this;
        }

        /** Requests in flight at once, 1..256. Default 8. */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** Time for all judgements of one rerank; past it the first-stage order stands. Default 15 s. */
        public Builder deadline(Duration deadline) {
            this.deadline = deadline;
            return this;
        }

        /** Longest wait to open a connection. Default 5 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Alternatives asked for the answer token, 2..20 (vLLM's default limit is 20). Default 5. */
        public Builder topLogprobs(int topLogprobs) {
            this.topLogprobs = topLogprobs;
            return this;
        }

        /** Passage characters sent, 100..100,000. Default 4000. */
        public Builder maxPassageChars(int maxPassageChars) {
            this.maxPassageChars = maxPassageChars;
            return this;
        }

        /** The image of a hit as a data: or http(s) URL, or null for text hits. Default: every hit is text. */
        public Builder imageUrl(Function<SearchHit, String> imageUrl) {
            this.imageUrl = imageUrl;
            return this;
        }

        /** Extra request fields, e.g. {@code {"chat_template_kwargs": {"enable_thinking": false}}}. Default none. */
        public Builder extraBody(Map<String, ?> extraBody) {
            this.extraBody = extraBody;
            return this;
        }

        public MllmReranker build() {
            if (baseUrl == null || baseUrl.isBlank()) {
                throw new IllegalArgumentException(
                        "baseUrl is required, e.g. http://localhost:8001/v1; baseUrl=" + baseUrl);
            }
            URI uri;
            try {
                uri = URI.create(baseUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL; baseUrl=\"" + baseUrl + "\"", e);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL; baseUrl=\"" + baseUrl + "\"");
            }
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException(
                        "model must not be blank; model=" + (model == null ? "null" : "\"" + model + "\""));
            }
            if (candidates < 1 || candidates > 200) {
                throw new IllegalArgumentException("candidates must be in 1..200; candidates=" + candidates);
            }
            if (concurrency < 1 || concurrency > 256) {
                throw new IllegalArgumentException("concurrency must be in 1..256; concurrency=" + concurrency);
            }
            if (deadline == null || deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be a positive duration; deadline=" + deadline);
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException(
                        "connectTimeout must be a positive duration; connectTimeout=" + connectTimeout);
            }
            if (topLogprobs < 2 || topLogprobs > 20) {
                throw new IllegalArgumentException("topLogprobs must be in 2..20; topLogprobs=" + topLogprobs);
            }
            if (maxPassageChars < 100 || maxPassageChars > 100_000) {
                throw new IllegalArgumentException(
                        "maxPassageChars must be in 100..100000; maxPassageChars=" + maxPassageChars);
            }
            return new MllmReranker(this);
        }
    }
}
