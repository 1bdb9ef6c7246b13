package dev.omnirag.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omnirag.generator.ChatTurn;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code POST /v1/responses} request as this server reads it (the text subset of OpenAI's Responses API for
 * {@code omnirag:<collection>} models). Read from the JSON tree by {@link #read}, as {@link ChatRequest} is and for
 * the same reason: a field of the wrong type or a feature not served is refused in OpenAI's words, naming the field
 * ({@code param}); {@code instructions} and fields not listed are accepted and not used.
 *
 * @param model           {@code omnirag:<collection>}
 * @param turns           the user and assistant turns of {@code input}, the user's question last
 * @param maxOutputTokens the longest answer in tokens (estimated); null: no limit
 * @param stream          whether the answer is streamed as Responses events
 */
record ResponsesRequest(String model, List<ChatTurn> turns, Integer maxOutputTokens, boolean stream) {

    ResponsesRequest {
        turns = List.copyOf(turns);
    }

    /** Reads and checks a request; throws a 400 (or 404 for a model not served here) {@link ApiException}. */
    static ResponsesRequest read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object with model and input");
        }
        JsonNode modelNode = body.get("model");
        if (modelNode == null || !modelNode.isTextual() || modelNode.asText().isBlank()) {
            throw new ApiException(
                    400, "model is required: omnirag:<collection> (see GET /v1/models)", "invalid_value", "model");
        }
        String model = modelNode.asText();
        if (!model.startsWith(ChatCompletionsResource.RAG_PREFIX)) {
            throw ApiException.modelNotFound("model '" + model + "' is not answered by /v1/responses here: it serves "
                    + "omnirag:<collection> models; use /v1/chat/completions for the generator's own model");
        }
        for (String field : List.of("tools", "tool_choice", "previous_response_id", "reasoning")) {
            JsonNode v = body.get(field);
            if (v != null
                    && !v.isNull()
                    && !(v.isArray() && v.isEmpty())
                    && !(v.isTextual() && v.asText().equals("none"))) {
                throw new ApiException(
                        400,
                        field + " is not supported by " + model + ": answers are written from the "
                                + "collection's documents",
                        "unsupported_parameter",
                        field);
            }
        }
        JsonNode text = body.path("text").path("format").path("type");
        if (text.isTextual() && !text.asText().equals("text")) {
            throw new ApiException(
                    400,
                    "text.format " + text.asText() + " is not supported by " + model,
                    "unsupported_parameter",
                    "text.format");
        }
        Integer maxTokens = null;
        JsonNode max = body.get("max_output_tokens");
        if (max != null && !max.isNull()) {
            if (!max.isIntegralNumber() || max.asInt() < 1) {
                throw new ApiException(
                        400,
                        "max_output_tokens must be a positive integer; max_output_tokens=" + max,
                        "invalid_value",
                        "max_output_tokens");
            }
            maxTokens = max.asInt();
        }
        JsonNode streamNode = body.get("stream");
        if (streamNode != null && !streamNode.isNull() && !streamNode.isBoolean()) {
            throw new ApiException(400, "stream must be a boolean", "invalid_value", "stream");
        }
        List<ChatTurn> turns = turns(body.get("input"));
        return new ResponsesRequest(model, turns, maxTokens, streamNode != null && streamNode.asBoolean());
    }

    /** The turns of {@code input}: a string (one user turn) or messages; the last must be the user's. */
    private static List<ChatTurn> turns(JsonNode input) {
        List<ChatTurn> turns = new ArrayList<>();
        if (input != null && input.isTextual() && !input.asText().isBlank()) {
            turns.add(new ChatTurn(ChatTurn.USER, input.asText()));
            return turns;
        }
        if (input == null || !input.isArray() || input.isEmpty()) {
            throw new ApiException(
                    400, "input must be a non-empty string or an array of messages", "invalid_value", "input");
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode m = input.get(i);
            String type = m.path("type").asText("message");
            String role = m.path("role").asText("");
            if (!type.equals("message")
                    || !(role.equals("user")
                            || role.equals("assistant")
                            || role.equals("system")
                            || role.equals("developer"))) {
                throw new ApiException(
                        400,
                        "input[" + i + "] must be a message with role user, assistant, system or "
                                + "developer; only text is supported",
                        "invalid_value",
                        "input");
            }
            String text = text(m.get("content"), i);
            if (role.equals("user") || role.equals("assistant")) {
                turns.add(new ChatTurn(role, text));
            }
        }
        if (turns.isEmpty()
                || !turns.getLast().role().equals(ChatTurn.USER)
                || turns.getLast().content().isBlank()) {
            throw new ApiException(400, "the last input message must be the user's question", "invalid_value", "input");
        }
        return turns;
    }

    private static String text(JsonNode content, int i) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content == null || !content.isArray()) {
            throw new ApiException(
                    400,
                    "input[" + i + "].content must be a string or an array of text parts",
                    "invalid_value",
                    "input");
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            if (type.equals("input_text") || type.equals("output_text") || type.equals("text")) {
                if (!sb.isEmpty()) {
                    sb.append('\n');
                }
                sb.append(part.path("text").asText());
            } else {
                throw new ApiException(
                        400,
                        "input[" + i + "] has a " + type + " part; /v1/responses takes text only "
                                + "here (send images to /v1/chat/completions)",
                        "unsupported_parameter",
                        "input");
            }
        }
        return sb.toString();
    }
}
