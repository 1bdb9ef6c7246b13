package dev.omnirag.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI chat request fields a RAG answer ({@code model: "omnirag:<collection>"}) honours, read strictly: a
 * field of the wrong type is a 400 naming it, as OpenAI answers, instead of being ignored. Fields only a model can
 * honour (tools, structured output, several choices, log probabilities) make the request {@link #relay()}ed to the
 * LLM generator with the RAG prompt; without one they are refused with {@code unsupported_parameter} rather than
 * accepted and ignored, so clients fail clearly.
 *
 * @param maxTokens    the longest answer in tokens (estimated), cut with {@code finish_reason: "length"}; null: no limit
 * @param stop         up to four sequences the answer ends before
 * @param includeUsage {@code stream_options.include_usage}: a last chunk with {@code choices: []} and the usage
 * @param relay        the request asks for the model's own features: send it to the LLM with the RAG prompt and
 *                     relay the model's reply (tool calls included) as it is
 */
record ChatOptions(Integer maxTokens, List<String> stop, boolean includeUsage, boolean relay) {

    /** The request fields relayed to the model with the RAG prompt. */
    static final List<String> RELAYED = List.of(
            "tools",
            "tool_choice",
            "functions",
            "function_call",
            "parallel_tool_calls",
            "response_format",
            "n",
            "stop",
            "seed",
            "logprobs",
            "top_logprobs",
            "temperature",
            "top_p",
            "presence_penalty",
            "frequency_penalty",
            "max_tokens",
            "max_completion_tokens",
            "stream_options",
            "user");

    /** Sampling fields: accepted (the answer does not depend on them) when they are numbers. */
    private static final List<String> NUMBERS =
            List.of("temperature", "top_p", "presence_penalty", "frequency_penalty", "seed");

    /**
     * @param withModel an LLM generator answers this server's RAG questions: the model's own features are relayed
     *                  to it instead of refused
     */
    static ChatOptions read(JsonNode body, String model, boolean withModel) {
        boolean relay = false;
        for (String field : List.of("tools", "functions", "tool_choice", "function_call")) {
            JsonNode v = body.get(field);
            if (v != null
                    && !v.isNull()
                    && !(v.isArray() && v.isEmpty())
                    && !(v.isTextual() && v.asText().equals("none"))) {
                if (!withModel) {
                    throw unsupported(
                            field,
                            field + " is not supported by " + model + " with the extractive generator: "
                                    + "its answers are quoted from the collection's documents; configure an LLM generator "
                                    + "(omnirag.generator.kind=openai) for tool calling");
                }
                relay = true;
            }
        }
        JsonNode format = body.get("response_format");
        if (format != null && !format.isNull()) {
            if (!format.isObject() || !format.path("type").isTextual()) {
                throw invalid("response_format", "response_format must be an object with a type");
            }
            if (!format.path("type").asText().equals("text")) {
                if (!withModel) {
                    throw unsupported(
                            "response_format",
                            "response_format " + format.path("type").asText() + " is not "
                                    + "supported by " + model
                                    + " with the extractive generator: answers are quoted text; "
                                    + "configure an LLM generator for structured output");
                }
                relay = true;
            }
        }
        JsonNode n = body.get("n");
        if (n != null && !n.isNull()) {
            if (!n.isIntegralNumber() || n.asInt() < 1) {
                throw invalid("n", "n must be a positive integer; n=" + n);
            }
            if (n.asInt() != 1) {
                if (!withModel) {
                    throw unsupported(
                            "n",
                            "n must be 1 for " + model + " with the extractive generator: it writes one "
                                    + "answer per question; n=" + n);
                }
                relay = true;
            }
        }
        JsonNode logprobs = body.get("logprobs");
        if (logprobs != null && !logprobs.isNull()) {
            if (!logprobs.isBoolean()) {
                throw invalid("logprobs", "logprobs must be a boolean; logprobs=" + logprobs);
            }
            if (logprobs.asBoolean()) {
                if (!withModel) {
                    throw unsupported(
                            "logprobs",
                            "logprobs are not available from " + model + " with the extractive " + "generator");
                }
                relay = true;
            }
        }
        for (String field : NUMBERS) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull() && !v.isNumber()) {
                throw invalid(field, field + " must be a number; " + field + "=" + v);
            }
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw invalid("stream", "stream must be a boolean; stream=" + stream);
        }
        Integer maxTokens = null;
        for (String field : List.of("max_completion_tokens", "max_tokens")) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull()) {
                if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
                    throw invalid(field, field + " must be a positive integer; " + field + "=" + v);
                }
                maxTokens = maxTokens == null ? v.asInt() : Math.min(maxTokens, v.asInt());
            }
        }
        List<String> stop = new ArrayList<>();
        JsonNode s = body.get("stop");
        if (s != null && !s.isNull()) {
            if (s.isTextual()) {
                stop.add(s.asText());
            } else if (s.isArray() && s.size() <= 4) {
                for (JsonNode item : s) {
                    if (!item.isTextual()) {
                        throw invalid("stop", "stop must be a string or an array of at most 4 strings; stop=" + s);
                    }
                    stop.add(item.asText());
                }
            } else {
                throw invalid("stop", "stop must be a string or an array of at most 4 strings");
            }
            stop.removeIf(String::isEmpty);
        }
        boolean includeUsage = false;
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw invalid("stream_options", "stream_options must be an object");
            }
            JsonNode usage = options.get("include_usage");
            if (usage != null && !usage.isNull() && !usage.isBoolean()) {
                throw invalid("stream_options.include_usage", "stream_options.include_usage must be a boolean");
            }
            includeUsage = usage != null && usage.asBoolean(false);
        }
        return new ChatOptions(maxTokens, List.copyOf(stop), includeUsage, relay);
    }

    /**
     * Where the answer ends: before the first stop sequence, or after {@link #maxTokens} tokens; {@code length}
     * says the answer was cut by the token limit (OpenAI's {@code finish_reason}).
     */
    record Cut(String text, boolean length) {}

    Cut cut(String answer, dev.omnirag.generator.TokenCounter tokens) {
        String text = answer;
        for (String s : stop) {
            int at = text.indexOf(s);
            if (at >= 0) {
                text = text.substring(0, at);
            }
        }
        if (maxTokens != null && tokens.count(text) > maxTokens) {
            int lo = 0;
            int hi = text.length();
            while (lo < hi) { // the longest prefix within the limit
                int mid = (lo + hi + 1) >>> 1;
                if (tokens.count(text.substring(0, mid)) <= maxTokens) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return new Cut(text.substring(0, lo), true);
        }
        return new Cut(text, false);
    }

    private static ApiException unsupported(String param, String detail) {
        return new ApiException(400, detail, "unsupported_parameter", param);
    }

    private static ApiException invalid(String param, String detail) {
        return new ApiException(400, detail, "invalid_value", param);
    }
}
