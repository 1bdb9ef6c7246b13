package dev.omnirag.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omnirag.server.search.SearchProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code POST /v1/chat/completions} request as this server reads it. Read from the JSON tree by {@link #read} rather
 * than bound by Jackson, for two reasons: OpenAI refuses a field of the wrong type with a message naming it (and
 * {@code param}), where Jackson would coerce ({@code "0.5"} to 0.5) or answer in its own words; and the body travels
 * on as it came (to the generator for other model names, with the client's model features for a relayed RAG answer),
 * unknown fields included.
 *
 * @param model  the model name: {@code omnirag:<collection>} for a RAG answer, else the generator's
 * @param stream whether the answer is streamed as chunk events
 * @param rag    what a RAG answer reads, checked; null for other model names (the generator checks their requests)
 * @param body   the request as sent
 */
record ChatRequest(String model, boolean stream, Rag rag, ObjectNode body) {

    /**
     * What a RAG answer reads.
     *
     * @param collection the collection's name or id (the model name after {@code omnirag:})
     * @param messages   the conversation, the user's question last
     * @param k          passages to answer from; null: {@code omnirag.search.ask-k}
     * @param rerank     the reranker asked for; null: the default
     * @param profile    the search profile asked for; null: {@code omnirag.search.profile}
     * @param options    the OpenAI fields the answer honours (length, stop, usage) and whether it is relayed
     * @param sampling   the sampling fields an LLM generator honours, by their names upstream
     */
    record Rag(
            String collection,
            List<Message> messages,
            Integer k,
            String rerank,
            SearchProfile profile,
            ChatOptions options,
            Map<String, Object> sampling) {
        Rag {
            messages = List.copyOf(messages);
            sampling = Map.copyOf(sampling);
        }

        /** The last message's text: the question as sent. */
        String question() {
            return messages.getLast().text();
        }
    }

    /** One message: its role and its text (a string content, or its text parts joined by line breaks). */
    record Message(String role, String text) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The sampling fields passed to an LLM generator ({@code max_completion_tokens} as {@code max_tokens}). */
    private static final List<String> SAMPLING = List.of(
            "seed",
            "temperature",
            "top_p",
            "presence_penalty",
            "frequency_penalty",
            "stop",
            "max_tokens",
            "max_completion_tokens");

    /**
     * Reads and checks a request; throws a 400 {@link ApiException} naming the field at fault.
     *
     * @param withModel an LLM generator answers RAG questions here (see {@link ChatOptions#read})
     * @param maxK      the largest {@code k} ({@code omnirag.search.max-k})
     */
    static ChatRequest read(JsonNode body, boolean withModel, int maxK) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object with model and messages");
        }
        JsonNode modelNode = body.get("model");
        if (modelNode == null || !modelNode.isTextual() || modelNode.asText().isBlank()) {
            throw ApiException.badRequest(
                    "model is required: omnirag:<collection> or the generator's model (GET /v1/models)");
        }
        String model = modelNode.asText();
        boolean stream = body.path("stream").asBoolean(false);
        if (!model.startsWith(ChatCompletionsResource.RAG_PREFIX)) {
            return new ChatRequest(model, stream, null, (ObjectNode) body);
        }
        ChatOptions options = ChatOptions.read(body, model, withModel);
        List<Message> messages = messages(body.get("messages"));
        Integer k = k(body.get("k"), maxK);
        JsonNode rerankNode = body.get("rerank");
        if (rerankNode != null && !rerankNode.isNull() && !rerankNode.isTextual()) {
            throw ApiException.badRequest("rerank must be one of none, local, mllm, cross-encoder, remote");
        }
        String rerank = rerankNode == null || rerankNode.isNull() ? null : rerankNode.asText();
        Rag rag = new Rag(
                model.substring(ChatCompletionsResource.RAG_PREFIX.length()),
                messages,
                k,
                rerank,
                profile(body.get("profile")),
                options,
                sampling(body));
        return new ChatRequest(model, stream, rag, (ObjectNode) body);
    }

    /** Every message checked; the last one is the user's question and not blank. */
    private static List<Message> messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.badRequest("messages must be a non-empty array of {role, content}");
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText("");
            if (role.isBlank()) {
                throw ApiException.badRequest("messages[" + i + "].role is required");
            }
            String text = text(m.get("content"), i);
            if (i == messages.size() - 1) {
                if (!role.equals("user")) {
                    throw ApiException.badRequest(
                            "the last message must be the user's question; messages[" + i + "].role=" + role);
                }
                if (text.isBlank()) {
                    throw ApiException.badRequest("messages[" + i + "].content must not be blank");
                }
            }
            out.add(new Message(role, text));
        }
        return out;
    }

    private static String text(JsonNode content, int i) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("type").asText().equals("text")) {
                    if (!sb.isEmpty()) {
                        sb.append('\n');
                    }
                    sb.append(part.path("text").asText());
                }
            }
            return sb.toString();
        }
        throw ApiException.badRequest("messages[" + i + "].content must be a string or an array of content parts");
    }

    private static Integer k(JsonNode node, int maxK) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1 || node.asInt() > maxK) {
            throw ApiException.badRequest("k must be in 1.." + maxK + "; k=" + node);
        }
        return node.asInt();
    }

    private static SearchProfile profile(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("profile must be one of fast, quality");
        }
        if (node.asText().isBlank()) {
            return null;
        }
        try {
            return SearchProfile.valueOf(node.asText().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("profile must be one of fast, quality; profile=" + node.asText());
        }
    }

    /** The sampling fields given ({@link ChatOptions#read} checked their types); two length limits: the smaller. */
    private static Map<String, Object> sampling(JsonNode body) {
        Map<String, Object> out = new HashMap<>();
        for (String field : SAMPLING) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull()) {
                out.merge(
                        field.equals("max_completion_tokens") ? "max_tokens" : field,
                        JSON.convertValue(v, Object.class),
                        (a, b) -> Math.min(((Number) a).intValue(), ((Number) b).intValue()));
            }
        }
        return out;
    }
}
