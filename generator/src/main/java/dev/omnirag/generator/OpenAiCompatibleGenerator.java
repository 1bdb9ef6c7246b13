package dev.omnirag.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Answers with a language model behind an OpenAI-compatible chat completions endpoint (vLLM, SGLang, llama.cpp
 * server, Ollama, OpenAI), streaming, with checked citations.
 *
 * <p>How: the request becomes a {@link RagPrompt} (numbered sources within a token budget, the conversation,
 * the question; images as {@code image_url} parts when {@code vision} is on); the model's answer streams
 * through a {@link CitationStream}, which drops markers that name no source, attaches each marker to its
 * sentence, verifies it against its source with the {@link CitationVerifier} and renumbers citations in order
 * of appearance. With {@code strictCitations} unverified citations leave the text; otherwise they stay, flagged
 * {@code verified: false}. Network behaviour (timeouts, retries with backoff, circuit breaker) is the
 * {@link OpenAiChatClient}'s. An answer the model left empty is a failure (so a {@link FallbackGenerator} can
 * answer instead).
 *
 * <p>Immutable and thread safe; each call blocks on the model server and embeds claims for verification.
 */
public final class OpenAiCompatibleGenerator implements Generator {

    /** Request fields the generator sets itself; {@code extraBody} may not override them. */
    private static final Set<String> OWN_FIELDS = Set.of("model", "messages", "stream", "max_tokens", "temperature");

    private final OpenAiChatClient client;
    private final String model;
    private final int maxTokens;
    private final double temperature;
    private final boolean vision;
    private final int contextTokens;
    private final int imageTokens;
    private final TokenCounter counter;
    private final CitationVerifier verifier;
    private final boolean strictCitations;
    private final String systemPrompt;
    private final ObjectNode extraBody;

    private OpenAiCompatibleGenerator(Builder b) {
        this.client = b.client;
        this.model = b.model;
        this.maxTokens = b.maxTokens;
        this.temperature = b.temperature;
        this.vision = b.vision;
        this.contextTokens = b.contextTokens;
        this.imageTokens = b.imageTokens;
        this.counter = b.counter;
        this.verifier = b.verifier;
        this.strictCitations = b.strictCitations;
        this.systemPrompt = b.systemPrompt;
        this.extraBody = b.extraBody;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code openai:<model>}. */
    @Override
    public String name() {
        return "openai:" + model;
    }

    /** The model name sent to the server. */
    public String model() {
        return model;
    }

    /** Whether image sources are sent as pictures. */
    public boolean vision() {
        return vision;
    }

    @Override
    public Answer generate(GenerationRequest request, AnswerListener listener) {
        Objects.requireNonNull(request, "request must not be null");
        Objects.requireNonNull(listener, "listener must not be null");
        RagPrompt.Built prompt = prompt(request);
        ObjectNode body = body(prompt);
        applyOptions(body, request.options());
        CitationStream stream = new CitationStream(
                request.sources(),
                prompt.sourcesUsed(),
                verifier.session(request.sources()),
                strictCitations,
                listener);
        String[] finishReason = new String[1];
        client.stream(body, chunk -> {
            JsonNode choice = chunk.path("choices").path(0);
            JsonNode content = choice.path("delta").path("content");
            if (content.isTextual() && !content.asText().isEmpty()) {
                stream.accept(content.asText());
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReason[0] = choice.get("finish_reason").asText();
            }
        });
        stream.finish();
        String text = stream.text();
        if (text.isBlank()) {
            throw new GenerationException.Retriable(
                    "the model " + model + " returned an empty answer (finish_reason="
                            + finishReason[0]
                            + (Objects.equals(finishReason[0], "length")
                                    ? "; a reasoning model may have spent max-tokens thinking"
                                    : "")
                            + ")",
                    null);
        }
        return new Answer(text, stream.citations());
    }

    /**
     * The chat request {@link #generate} would send for {@code request} (the RAG prompt with its numbered sources,
     * this generator's model, token limit, temperature and extra body), for callers that add fields of their own
     * (a client's tools or response format) and relay the model's reply as it is, unchecked. Not streaming.
     */
    public ObjectNode requestBody(GenerationRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        return body(prompt(request));
    }

    private RagPrompt.Built prompt(GenerationRequest request) {
        return RagPrompt.build(
                client.json(),
                request,
                new RagPrompt.Options(systemPrompt, vision, contextTokens, maxTokens, imageTokens, counter));
    }

    private ObjectNode body(RagPrompt.Built prompt) {
        ObjectNode body = client.json().createObjectNode();
        body.put("model", model);
        body.set("messages", prompt.messages());
        body.put("max_tokens", maxTokens);
        body.put("temperature", temperature);
        if (extraBody != null) {
            extraBody
                    .properties()
                    .forEach(e -> body.set(e.getKey(), e.getValue().deepCopy()));
        }
        return body;
    }

    /** The asker's fields a generated answer may honour; {@code max_tokens} only lowers this generator's limit. */
    private static final java.util.Set<String> ASKER_OPTIONS =
            java.util.Set.of("seed", "temperature", "top_p", "presence_penalty", "frequency_penalty", "stop");

    private void applyOptions(ObjectNode body, java.util.Map<String, Object> options) {
        ObjectMapper json = client.json();
        options.forEach((key, value) -> {
            if (ASKER_OPTIONS.contains(key)) {
                body.set(key, json.valueToTree(value));
            } else if (key.equals("max_tokens") && value instanceof Number n && n.intValue() > 0) {
                body.put("max_tokens", Math.min(maxTokens, n.intValue()));
            }
        });
    }

    /** The instruction of {@link #standaloneQuestion}. */
    static final String CONDENSE_PROMPT = "Rewrite the last question of the conversation below so that it can be"
            + " understood without the conversation: replace pronouns and references such as 'he', 'it' or 'that"
            + " speech' with what they refer to, and keep everything else as asked. Reply with the rewritten question"
            + " only, on one line, without quotes or explanation. If it already stands alone, repeat it unchanged.";

    /**
     * A follow-up rewritten by the model as a question that stands alone ("what else did he say?" after a question
     * about Kennedy's moon speech becomes "What else did Kennedy say in his moon speech?"), for retrieval. One short
     * call with its own deadline and no retry; at most the last six turns are shown to the model, answers cut at 600
     * characters.
     *
     * @throws GenerationException when the model fails, answers late, or answers with nothing usable (empty, or a
     *     reply far longer than a question)
     */
    public String standaloneQuestion(String question, List<ChatTurn> history, java.time.Duration timeout) {
        Objects.requireNonNull(question, "question must not be null");
        StringBuilder conversation = new StringBuilder();
        List<ChatTurn> recent = history.subList(Math.max(0, history.size() - 6), history.size());
        for (ChatTurn t : recent) {
            String text = t.content().strip();
            if (t.role().equals(ChatTurn.ASSISTANT) && text.length() > 600) {
                text = text.substring(0, 600) + "…";
            }
            conversation
                    .append(t.role().equals(ChatTurn.USER) ? "User: " : "Assistant: ")
                    .append(text)
                    .append('\n');
        }
        conversation.append("Last question: ").append(question.strip());
        ObjectNode body = client.json().createObjectNode();
        body.put("model", model);
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", CONDENSE_PROMPT);
        messages.addObject().put("role", "user").put("content", conversation.toString());
        body.put("max_tokens", 128);
        body.put("temperature", 0);
        JsonNode reply = client.complete(body, timeout);
        String text = reply.path("choices")
                .path(0)
                .path("message")
                .path("content")
                .asText("")
                .strip();
        text = text.replaceAll("^[\"'“”]+|[\"'“”]+$", "").strip();
        int newline = text.indexOf('\n');
        if (newline > 0) {
            text = text.substring(0, newline).strip();
        }
        if (text.isEmpty() || text.length() > 4 * question.length() + 300) {
            throw new GenerationException.NonRetriable(
                    "the model " + model + " did not rewrite the question usefully: "
                            + (text.isEmpty() ? "empty reply" : text.length() + " characters"),
                    null);
        }
        return text;
    }

    /** The client that talks to the model's server. */
    public OpenAiChatClient client() {
        return client;
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleGenerator[baseUrl=" + client.baseUrl() + ", model=" + model + ", maxTokens=" + maxTokens
                + ", temperature=" + temperature + ", vision=" + vision + ", contextTokens=" + contextTokens
                + ", strictCitations=" + strictCitations + "]";
    }

    /** Builds an {@link OpenAiCompatibleGenerator}; client, model and verifier are required. */
    public static final class Builder {
        private OpenAiChatClient client;
        private String model;
        private int maxTokens = 1024;
        private double temperature = 0.2;
        private boolean vision;
        private int contextTokens = 32768;
        private int imageTokens = 1280;
        private TokenCounter counter = TokenCounter.approximate();
        private CitationVerifier verifier;
        private boolean strictCitations;
        private String systemPrompt = RagPrompt.DEFAULT_SYSTEM_PROMPT;
        private ObjectNode extraBody;

        private Builder() {}

        /** The protocol client for the model server. Required. */
        public Builder client(OpenAiChatClient client) {
            this.client = client;
            return this;
        }

        /** The model name the server serves, e.g. {@code Qwen/Qwen3-30B-A3B-Instruct-2507-FP8}. Required. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Most tokens of an answer, 1..1,000,000. Default 1024. */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** Sampling temperature, 0.0..2.0. Default 0.2 (factual answers). */
        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Send image sources as {@code image_url} parts (the model must accept images). Default false. */
        public Builder vision(boolean vision) {
            this.vision = vision;
            return this;
        }

        /** The model's context window in tokens (the server's max-model-len), 256..10,000,000. Default 32768. */
        public Builder contextTokens(int contextTokens) {
            this.contextTokens = contextTokens;
            return this;
        }

        /** Tokens one image is counted as in the budget, 0..100,000. Default 1280. */
        public Builder imageTokens(int imageTokens) {
            this.imageTokens = imageTokens;
            return this;
        }

        /** Estimates prompt tokens. Default {@link TokenCounter#approximate()}. */
        public Builder tokenCounter(TokenCounter counter) {
            this.counter = counter;
            return this;
        }

        /** Checks each citation against its source. Required. */
        public Builder verifier(CitationVerifier verifier) {
            this.verifier = verifier;
            return this;
        }

        /** Remove unverified citations from the answer instead of flagging them. Default false. */
        public Builder strictCitations(boolean strictCitations) {
            this.strictCitations = strictCitations;
            return this;
        }

        /** The system message. Default: instructions to answer from the numbered sources and cite with [n]. */
        public Builder systemPrompt(String systemPrompt) {
            this.systemPrompt = systemPrompt;
            return this;
        }

        /**
         * Extra fields merged into every request, e.g. {@code {"chat_template_kwargs": {"enable_thinking": false}}}
         * or {@code {"top_p": 0.8}}; may not set model, messages, stream, max_tokens or temperature. Default none.
         */
        public Builder extraBody(Map<String, ?> extraBody) {
            this.extraBody = extraBody == null ? null : new ObjectMapper().valueToTree(extraBody);
            return this;
        }

        public OpenAiCompatibleGenerator build() {
            if (client == null) {
                throw new IllegalArgumentException("client is required; client=null");
            }
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model must not be blank; model=" + Source.quoted(model));
            }
            if (verifier == null) {
                throw new IllegalArgumentException("verifier is required; verifier=null");
            }
            if (maxTokens < 1 || maxTokens > 1_000_000) {
                throw new IllegalArgumentException("maxTokens must be in 1..1000000; maxTokens=" + maxTokens);
            }
            if (!(temperature >= 0.0 && temperature <= 2.0)) {
                throw new IllegalArgumentException("temperature must be in 0.0..2.0; temperature=" + temperature);
            }
            if (contextTokens < 256 || contextTokens > 10_000_000) {
                throw new IllegalArgumentException(
                        "contextTokens must be in 256..10000000; contextTokens=" + contextTokens);
            }
            if (maxTokens >= contextTokens) {
                throw new IllegalArgumentException("maxTokens must be less than contextTokens; maxTokens=" + maxTokens
                        + ", contextTokens=" + contextTokens);
            }
            if (imageTokens < 0 || imageTokens > 100_000) {
                throw new IllegalArgumentException("imageTokens must be in 0..100000; imageTokens=" + imageTokens);
            }
            if (counter == null) {
                throw new IllegalArgumentException("tokenCounter must not be null; tokenCounter=null");
            }
            if (systemPrompt == null || systemPrompt.isBlank()) {
                throw new IllegalArgumentException(
                        "systemPrompt must not be blank; systemPrompt=" + Source.quoted(systemPrompt));
            }
            if (extraBody != null) {
                for (String field : OWN_FIELDS) {
                    if (extraBody.has(field)) {
                        throw new IllegalArgumentException(
                                "extraBody must not set " + field + "; extraBody=" + extraBody);
                    }
                }
            }
            return new OpenAiCompatibleGenerator(this);
        }
    }
}
