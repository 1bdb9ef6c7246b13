package dev.omnirag.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omnirag.generator.ChatTurn;
import dev.omnirag.generator.Claims;
import dev.omnirag.generator.TokenCounter;
import dev.omnirag.server.config.SearchConfig;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.search.AskService;
import dev.omnirag.server.search.SearchService;
import dev.omnirag.server.security.Access;
import dev.omnirag.server.security.LinkSigner;
import dev.omnirag.server.security.Principal;
import dev.omnirag.server.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/responses}, the text subset of OpenAI's Responses API (the default of {@code @ai-sdk/openai} and
 * of newer OpenAI SDK helpers) for RAG models {@code omnirag:<collection id or name>}: {@code input} a string or
 * messages ({@code input_text} parts), {@code instructions} (read, not used by document answers),
 * {@code max_output_tokens}, {@code stream}. The answer is one {@code message} output item whose
 * {@code output_text} keeps the {@code [n]} markers and carries one {@code url_citation} annotation per marker,
 * to the cited document's page (a signed link that opens without a key). A stream sends OpenAI's events
 * ({@code response.created} … {@code response.output_text.delta} … {@code response.completed}). Blocking.
 *
 * <p>The request is read and checked by {@link ResponsesRequest}.
 */
@Path("/v1")
public class ResponsesResource {

    private static final Logger LOG = Logger.getLogger(ResponsesResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TokenCounter TOKENS = TokenCounter.approximate();

    private final Db db;
    private final AskService ask;
    private final SearchConfig config;
    private final Access access;
    private final ChatCompletionsResource chat;
    private final LinkSigner links;

    ResponsesResource(
            Db db, AskService ask, SearchConfig config, Access access, ChatCompletionsResource chat, LinkSigner links) {
        this.db = db;
        this.ask = ask;
        this.config = config;
        this.access = access;
        this.chat = chat;
        this.links = links;
    }

    @POST
    @Path("/responses")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonNode body) {
        Principal p = access.principal();
        ResponsesRequest request = ResponsesRequest.read(body);
        String model = request.model();
        List<ChatTurn> turns = request.turns();
        String question = chat.question(turns.getLast().content());
        List<ChatTurn> history = turns.subList(0, turns.size() - 1);

        String ref = model.substring(ChatCompletionsResource.RAG_PREFIX.length());
        CollectionEntity collection = RagModels.findBlocking(db, ref);
        if (collection == null || !p.canSee(collection.id)) {
            throw ApiException.modelNotFound("model '" + model
                    + "' does not exist: no collection is named or has the id '" + ref + "' (see GET /v1/models)");
        }
        Access.require(
                p, collection.id, Role.READ, () -> ApiException.modelNotFound("model '" + model + "' does not exist"));
        SearchService.Ranked ranked = ask.retrieve(
                collection, question, history, Math.min(config.askK(), config.maxK()), null, config.profile());
        String base = chat.publicBaseForLinks();
        ChatOptions options = new ChatOptions(request.maxOutputTokens(), List.of(), false, false);
        String id = "resp_" + UUID.randomUUID().toString().replace("-", "");
        String messageId = "msg_" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        if (!request.stream()) {
            AskService.Result result = ask.answer(question, history, ranked.hits(), AskService.SILENT);
            ChatOptions.Cut cut = options.cut(result.answer().text(), TOKENS);
            ObjectNode response = response(id, created, model, "completed");
            response.set(
                    "output",
                    JSON.createArrayNode().add(message(messageId, cut.text(), result.citations(), base, "completed")));
            finish(response, question, history, ranked, cut, result);
            return Response.ok(response.toString(), MediaType.APPLICATION_JSON_TYPE)
                    .build();
        }
        return OpenAiEventStream.response(stream -> {
            Events events = new Events(stream);
            ObjectNode started = response(id, created, model, "in_progress");
            started.putArray("output");
            events.send("response.created", JSON.createObjectNode().set("response", started));
            events.send("response.in_progress", JSON.createObjectNode().set("response", started));
            ObjectNode item = JSON.createObjectNode()
                    .put("id", messageId)
                    .put("type", "message")
                    .put("status", "in_progress")
                    .put("role", "assistant");
            item.putArray("content");
            events.send(
                    "response.output_item.added",
                    JSON.createObjectNode().put("output_index", 0).set("item", item));
            ObjectNode emptyPart =
                    JSON.createObjectNode().put("type", "output_text").put("text", "");
            emptyPart.putArray("annotations");
            events.send(
                    "response.content_part.added",
                    JSON.createObjectNode()
                            .put("item_id", messageId)
                            .put("output_index", 0)
                            .put("content_index", 0)
                            .set("part", emptyPart));
            StringBuilder sent = new StringBuilder();
            try {
                AskService.Result result = ask.answer(question, history, ranked.hits(), new AskService.Listener() {
                    @Override
                    public void delta(String piece) {
                        ChatOptions.Cut cut = options.cut(sent + piece, TOKENS);
                        String next = cut.text()
                                .substring(Math.min(sent.length(), cut.text().length()));
                        if (!next.isEmpty()) {
                            sent.append(next);
                            events.send(
                                    "response.output_text.delta",
                                    JSON.createObjectNode()
                                            .put("item_id", messageId)
                                            .put("output_index", 0)
                                            .put("content_index", 0)
                                            .put("delta", next));
                        }
                    }

                    @Override
                    public void citation(AskService.ResolvedCitation c) {}

                    @Override
                    public boolean acceptsRestart() {
                        // A Responses client keeps every delta it got.
                        return false;
                    }
                });
                ChatOptions.Cut cut = options.cut(sent.toString(), TOKENS);
                ObjectNode message = message(messageId, cut.text(), result.citations(), base, "completed");
                ObjectNode part = (ObjectNode) message.get("content").get(0);
                events.send(
                        "response.output_text.done",
                        JSON.createObjectNode()
                                .put("item_id", messageId)
                                .put("output_index", 0)
                                .put("content_index", 0)
                                .put("text", cut.text()));
                events.send(
                        "response.content_part.done",
                        JSON.createObjectNode()
                                .put("item_id", messageId)
                                .put("output_index", 0)
                                .put("content_index", 0)
                                .set("part", part));
                events.send(
                        "response.output_item.done",
                        JSON.createObjectNode().put("output_index", 0).set("item", message));
                ObjectNode done = response(id, created, model, "completed");
                done.set("output", JSON.createArrayNode().add(message));
                finish(
                        done,
                        question,
                        history,
                        ranked,
                        options.cut(result.answer().text(), TOKENS),
                        result);
                events.send("response.completed", JSON.createObjectNode().set("response", done));
            } catch (UncheckedIOException e) {
                LOG.debugf("The client of a streamed response went away: %s", e.getMessage());
            } catch (RuntimeException e) {
                ProblemMapper.StreamFailure failure = ProblemMapper.streamFailure(e);
                ObjectNode failed = response(id, created, model, "failed");
                failed.putObject("error")
                        .put("code", failure.retriable() ? "service_unavailable" : "server_error")
                        .put("message", failure.detail());
                try {
                    events.send("response.failed", JSON.createObjectNode().set("response", failed));
                } catch (UncheckedIOException ignored) {
                    // The client is gone.
                }
            }
        });
    }

    private static ObjectNode response(String id, long created, String model, String status) {
        return JSON.createObjectNode()
                .put("id", id)
                .put("object", "response")
                .put("created_at", created)
                .put("status", status)
                .put("model", model)
                .putNull("error")
                .putNull("incomplete_details");
    }

    /** The output message: the answer text with its markers and a url_citation annotation per marker. */
    private ObjectNode message(
            String id, String text, List<AskService.ResolvedCitation> citations, String base, String status) {
        Map<Integer, AskService.ResolvedCitation> byN = new HashMap<>();
        citations.forEach(c -> byN.put(c.n(), c));
        ArrayNode annotations = JSON.createArrayNode();
        Matcher m = Claims.MARKER.matcher(text);
        while (m.find()) {
            AskService.ResolvedCitation c = byN.get(Integer.parseInt(m.group(1)));
            if (c != null) {
                annotations
                        .addObject()
                        .put("type", "url_citation")
                        .put("start_index", m.start())
                        .put("end_index", m.end())
                        .put("url", ChatCompletionsResource.url(base, links, c))
                        .put("title", dev.omnirag.server.search.AskService.label(c.hit()));
            }
        }
        ObjectNode message = JSON.createObjectNode()
                .put("id", id)
                .put("type", "message")
                .put("status", status)
                .put("role", "assistant");
        ObjectNode part = message.putArray("content")
                .addObject()
                .put("type", "output_text")
                .put("text", text);
        part.set("annotations", annotations);
        return message;
    }

    private static void finish(
            ObjectNode response,
            String question,
            List<ChatTurn> history,
            SearchService.Ranked ranked,
            ChatOptions.Cut cut,
            AskService.Result result) {
        if (cut.length()) {
            response.put("status", "incomplete");
            response.putObject("incomplete_details").put("reason", "max_output_tokens");
        }
        int input = TOKENS.count(question);
        for (ChatTurn t : history) {
            input += TOKENS.count(t.content());
        }
        for (var h : ranked.hits()) {
            input += TOKENS.count(h.text());
        }
        int output = TOKENS.count(cut.text());
        response.putObject("usage")
                .put("input_tokens", input)
                .put("output_tokens", output)
                .put("total_tokens", input + output);
        ObjectNode meta = response.putObject("omnirag");
        meta.put("grounded", result.answer().grounded());
        meta.put("generator", result.generator());
    }

    /** Server-sent events in the Responses API's form: {@code event:} the type, {@code data:} the event with it. */
    private static final class Events {
        private final OpenAiEventStream stream;
        private int sequence;

        Events(OpenAiEventStream stream) {
            this.stream = stream;
        }

        void send(String type, ObjectNode event) {
            ObjectNode data = JSON.createObjectNode().put("type", type).put("sequence_number", sequence++);
            data.setAll(event);
            stream.event(type, data.toString());
        }
    }
}
