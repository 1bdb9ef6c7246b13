package dev.omnirag.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omnirag.generator.ChatTurn;
import dev.omnirag.generator.Claims;
import dev.omnirag.generator.GenerationException;
import dev.omnirag.generator.OpenAiChatClient;
import dev.omnirag.generator.TokenCounter;
import dev.omnirag.index.SearchHit;
import dev.omnirag.server.config.SearchConfig;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.search.AskService;
import dev.omnirag.server.search.SearchProfile;
import dev.omnirag.server.search.SearchService;
import dev.omnirag.server.security.Access;
import dev.omnirag.server.security.LinkSigner;
import dev.omnirag.server.security.Principal;
import dev.omnirag.server.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/chat/completions}, OpenAI's shape. {@code model: "omnirag:<collection>"} answers with RAG over
 * that collection: the last message (a user message) is the question, earlier user and assistant turns are the
 * conversation; the answer cites with {@code [n]} turned into markdown links to the cited document page, and the
 * response carries the citations in the extra field {@code citations} (and {@code omnirag}: grounded ratio,
 * generator, fallback, rerank). Other model names pass through to the configured OpenAI-compatible generator
 * server unchanged. {@code stream: true} answers with OpenAI's chunk events and {@code data: [DONE]}.
 *
 * <p>Blocking (retrieval, generation): runs on a worker thread; a stream is written chunk by chunk as the
 * generator produces it.
 *
 * <p>Long (over 400 lines) because it holds the RAG answers in OpenAI's chat shape, streamed and not, and the relay of
 * a model's own features (tools, structured output); the request is read by {@link ChatRequest}, the pass-through to
 * the generator is {@link ChatPassThrough},
 * the chunk writer {@link ChatChunks}, the streamed stop/length cut {@link StreamCut}.
 */
@Path("/v1")
public class ChatCompletionsResource {

    /** Model names that mean "RAG over this collection" start with this. */
    public static final String RAG_PREFIX = "omnirag:";

    private static final Logger LOG = Logger.getLogger(ChatCompletionsResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TokenCounter TOKENS = TokenCounter.approximate();

    private final Db db;
    private final AskService ask;
    private final SearchConfig config;
    private final Access access;
    private final ModelCalls models;
    private final dev.omnirag.server.config.HttpConfig http;
    private final io.vertx.core.http.HttpServerRequest vertxRequest;
    private final LinkSigner links;
    private final ChatPassThrough passThrough;

    ChatCompletionsResource(
            Db db,
            AskService ask,
            SearchConfig config,
            Access access,
            ModelCalls models,
            dev.omnirag.server.config.HttpConfig http,
            io.vertx.core.http.HttpServerRequest vertxRequest,
            LinkSigner links,
            ChatPassThrough passThrough) {
        this.links = links;
        this.passThrough = passThrough;
        this.access = access;
        this.models = models;
        this.http = http;
        this.vertxRequest = vertxRequest;
        this.db = db;
        this.ask = ask;
        this.config = config;
    }

    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response complete(JsonNode body, @Context UriInfo uri) {
        // Every branch has a caller, the pass-through to the generator (the server's own key upstream) included.
        access.principal();
        ChatRequest request = ChatRequest.read(body, ask.llm().isPresent(), config.maxK());
        if (request.rag() != null) {
            return rag(request, uri);
        }
        return passThrough.answer(request.model(), request.body(), request.stream());
    }

    // ---------------------------------------------------------------- RAG over a collection

    private record Conversation(String question, List<ChatTurn> history) {}

    private Response rag(ChatRequest request, UriInfo uri) {
        String model = request.model();
        ObjectNode body = request.body();
        boolean stream = request.stream();
        ChatRequest.Rag asked = request.rag();
        ChatOptions options = asked.options();
        Conversation conversation = conversation(asked);
        Principal p = access.principal();
        String name = asked.collection();
        CollectionEntity collection = RagModels.findBlocking(db, name);
        if (collection == null || !p.canSee(collection.id)) {
            // A collection the key may not see answers like one that does not exist.
            throw ApiException.modelNotFound("model '" + model
                    + "' does not exist: no collection is named or has the id '" + name + "' (see GET /v1/models)");
        }
        Access.require(
                p, collection.id, Role.READ, () -> ApiException.modelNotFound("model '" + model + "' does not exist"));
        int k = asked.k() != null ? asked.k() : Math.min(config.askK(), config.maxK());
        SearchProfile profile = asked.profile() != null ? asked.profile() : config.profile();
        SearchService.Ranked ranked =
                ask.retrieve(collection, conversation.question(), conversation.history(), k, asked.rerank(), profile);
        String base = publicBase();
        String id = "chatcmpl-" + UUID.randomUUID();
        long created = System.currentTimeMillis() / 1000;
        if (options.relay()) {
            return relay(model, body, stream, conversation, ranked, base);
        }
        if (!stream) {
            AskService.Result result = ask.answer(
                    conversation.question(),
                    conversation.history(),
                    ranked.hits(),
                    asked.sampling(),
                    AskService.SILENT);
            Map<Integer, String> links = new HashMap<>();
            result.citations().forEach(c -> links.put(c.n(), url(base, c)));
            ChatOptions.Cut cut = options.cut(result.answer().text(), TOKENS);
            ObjectNode out = JSON.createObjectNode()
                    .put("id", id)
                    .put("object", "chat.completion")
                    .put("created", created)
                    .put("model", model);
            ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", linkify(cut.text(), links));
            choice.putNull("logprobs");
            choice.put("finish_reason", cut.length() ? "length" : "stop");
            out.set("usage", usage(conversation, ranked.hits(), cut.text()));
            extras(out, result, ranked, base);
            return Response.ok(out.toString(), MediaType.APPLICATION_JSON_TYPE).build();
        }
        return OpenAiEventStream.response(events -> {
            ChatChunks chunks = new ChatChunks(events, id, created, model);
            chunks.delta(JSON.createObjectNode().put("role", "assistant").put("content", ""));
            Map<Integer, String> links = new HashMap<>();
            StreamCut sent = new StreamCut(options);
            try {
                AskService.Result result = ask.answer(
                        conversation.question(),
                        conversation.history(),
                        ranked.hits(),
                        asked.sampling(),
                        new AskService.Listener() {
                            @Override
                            public void delta(String text) {
                                String next = sent.add(text, false);
                                if (!next.isEmpty()) {
                                    chunks.delta(JSON.createObjectNode().put("content", linkify(next, links)));
                                }
                            }

                            @Override
                            public void citation(AskService.ResolvedCitation c) {
                                links.put(c.n(), url(base, c));
                            }

                            @Override
                            public boolean acceptsRestart() {
                                // A chat client keeps every chunk it got: only a model's failure restarts here.
                                return false;
                            }

                            @Override
                            public void restart() {
                                links.clear();
                                sent.restart();
                                chunks.delta(JSON.createObjectNode()
                                        .put(
                                                "content",
                                                "\n\n(The model failed mid-answer; "
                                                        + "the answer below quotes the documents instead.)\n\n"));
                            }
                        });
                String rest = sent.add("", true);
                if (!rest.isEmpty()) {
                    chunks.delta(JSON.createObjectNode().put("content", linkify(rest, links)));
                }
                ObjectNode last = chunks.chunk();
                ((ObjectNode) last.withArray("choices").get(0)).putObject("delta");
                ((ObjectNode) last.withArray("choices").get(0))
                        .put("finish_reason", sent.cutByLength() ? "length" : "stop");
                extras(last, result, ranked, base);
                chunks.write(last.toString());
                if (options.includeUsage()) {
                    // OpenAI's shape: usage on a chunk of its own, after the finish chunk, with no choices.
                    ObjectNode usage = chunks.chunk();
                    usage.putArray("choices");
                    usage.set("usage", usage(conversation, ranked.hits(), sent.text()));
                    chunks.write(usage.toString());
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "Streaming chat answer failed");
                chunks.error(e);
            }
            chunks.done();
        });
    }

    /**
     * A RAG request that asks for the model's own features (tools, structured output, several choices, log
     * probabilities): the LLM gets the RAG prompt (the collection's passages as numbered sources) with the client's
     * fields, and its reply comes back as the model wrote it, tool calls included, under the RAG model's name; the
     * {@code [n]} markers of text answers become links to the numbered sources. Nothing is verified (the reply may be
     * a tool call or JSON): {@code omnirag.relayed} says so.
     */
    private Response relay(
            String model,
            ObjectNode body,
            boolean stream,
            Conversation conversation,
            SearchService.Ranked ranked,
            String base) {
        dev.omnirag.generator.OpenAiCompatibleGenerator llm = ask.llm().orElseThrow();
        ObjectNode request = ask.llmRequest(llm, conversation.question(), conversation.history(), ranked.hits());
        for (String field : ChatOptions.RELAYED) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull()) {
                request.set(field.equals("max_completion_tokens") ? "max_tokens" : field, v.deepCopy());
            }
        }
        request.put("stream", stream);
        Map<Integer, String> links = new HashMap<>();
        for (int i = 0; i < ranked.hits().size(); i++) {
            SearchHit h = ranked.hits().get(i);
            links.put(i + 1, url(base, this.links, h.documentId(), h.locator().page()));
        }
        long cost = ModelCalls.tokens(request.path("messages").toString(), 0);
        OpenAiChatClient client = llm.client();
        if (!stream) {
            JsonNode reply;
            try {
                reply = models.run("a chat completion", cost, () -> client.complete(request));
            } catch (GenerationException e) {
                throw ChatPassThrough.upstream(e);
            }
            ObjectNode out = reply.deepCopy();
            out.put("model", model);
            for (JsonNode choice : out.path("choices")) {
                JsonNode content = choice.path("message").path("content");
                if (content.isTextual()) {
                    ((ObjectNode) choice.get("message")).put("content", linkify(content.asText(), links));
                }
            }
            out.putObject("omnirag")
                    .put("generator", llm.name())
                    .put("relayed", true)
                    .put("verified", false);
            return Response.ok(out.toString(), MediaType.APPLICATION_JSON_TYPE).build();
        }
        models.run("a streamed chat completion", cost, () -> null);
        return OpenAiEventStream.response(events -> {
            ChatChunks chunks = new ChatChunks(events, null, 0, model);
            try {
                client.stream(request, chunk -> {
                    ObjectNode c = chunk.deepCopy();
                    if (c.has("model")) {
                        c.put("model", model);
                    }
                    chunks.write(c.toString());
                });
            } catch (GenerationException e) {
                LOG.warnf("Relayed stream to the generator failed: %s", e.getMessage());
                chunks.error(e);
            } catch (UncheckedIOException e) {
                LOG.debugf("The client of a relayed stream went away: %s", e.getMessage());
                return;
            }
            chunks.done();
        });
    }

    /** The question (the last message) and the earlier user and assistant turns; system and tool messages are not part of it. */
    private Conversation conversation(ChatRequest.Rag asked) {
        List<ChatTurn> turns = new ArrayList<>();
        List<ChatRequest.Message> messages = asked.messages();
        for (ChatRequest.Message m : messages.subList(0, messages.size() - 1)) {
            if (m.role().equals("user") || m.role().equals("assistant")) {
                turns.add(new ChatTurn(m.role(), stripLinks(m.text())));
            }
        }
        return new Conversation(question(asked.question()), turns);
    }

    private static final java.util.regex.Pattern WRAPPED_QUERY = java.util.regex.Pattern.compile(
            "<(user_query|query|question)>\\s*(.+?)\\s*</\\1>", java.util.regex.Pattern.DOTALL);

    /**
     * The question in a last message: chat front ends wrap it in their own templates (Open WebUI's RAG template ends
     * with {@code <user_query>…</user_query>}); a tagged query is the question, else a message longer than a query
     * may be keeps its end, where templates put the question.
     */
    String question(String text) {
        Matcher m = WRAPPED_QUERY.matcher(text);
        String found = null;
        while (m.find()) {
            found = m.group(2);
        }
        if (found != null && !found.isBlank()) {
            return found;
        }
        return text.length() > config.maxQueryLength() ? text.substring(text.length() - config.maxQueryLength()) : text;
    }

    /** An earlier answer of ours quoted back: its citation links become plain markers again. */
    private static String stripLinks(String text) {
        return text.replaceAll("\\[\\[(\\d{1,3})]]\\([^)\\s]*\\)", "[$1]");
    }

    /**
     * Where citation links point: {@code omnirag.http.public-url}, else (with {@code omnirag.http.trust-forwarded})
     * the proxy's forwarded host and scheme, else the local address and port this request arrived at. Never the
     * request's {@code Host} header: a client could make the server hand out links to any host.
     */
    /** Where links in answers point, for the other answer routes (see {@link #publicBase()}). */
    String publicBaseForLinks() {
        return publicBase();
    }

    private String publicBase() {
        if (http.publicUrl().isPresent()) {
            return http.publicUrl().get().toString().replaceAll("/+$", "");
        }
        if (http.trustForwarded()) {
            String forwarded = ForwardedHeaders.base(
                    vertxRequest.getHeader("Forwarded"),
                    vertxRequest.getHeader("X-Forwarded-Host"),
                    vertxRequest.getHeader("X-Forwarded-Proto"));
            if (forwarded != null) {
                return forwarded;
            }
        }
        io.vertx.core.net.SocketAddress local = vertxRequest.localAddress();
        String host = local.hostAddress() == null ? "localhost" : local.hostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + local.port();
    }

    /**
     * The cited document's original file, at the page when there is one, signed so that it opens without an API
     * key (that document only, until the link expires).
     */
    private String url(String base, AskService.ResolvedCitation c) {
        return url(base, links, c);
    }

    static String url(String base, LinkSigner links, AskService.ResolvedCitation c) {
        return url(base, links, c.hit().documentId(), c.locator().page());
    }

    /** A signed link to a document's original file, opened at {@code page} (null: none). */
    static String url(String base, LinkSigner links, String documentId, Integer page) {
        LinkSigner.Signature sig = links.sign(UUID.fromString(documentId), page == null ? 0 : page);
        return base + "/v1/documents/" + documentId + "/content?" + sig.query() + (page == null ? "" : "#page=" + page);
    }

    /** {@code [n]} becomes {@code [[n]](url)} for the citations known so far. */
    static String linkify(String text, Map<Integer, String> links) {
        Matcher m = Claims.MARKER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String link = links.get(Integer.parseInt(m.group(1)));
            m.appendReplacement(
                    sb, Matcher.quoteReplacement(link == null ? m.group() : "[" + m.group() + "](" + link + ")"));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Token counts are estimates (about one per three characters): the answer may come from several models. */
    private static ObjectNode usage(Conversation conversation, List<SearchHit> hits, String answer) {
        int prompt = TOKENS.count(conversation.question());
        for (ChatTurn t : conversation.history()) {
            prompt += TOKENS.count(t.content());
        }
        for (SearchHit h : hits) {
            prompt += TOKENS.count(h.text());
        }
        int completion = TOKENS.count(answer);
        return JSON.createObjectNode()
                .put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    /** The extra fields: {@code citations} and {@code omnirag}. */
    private void extras(ObjectNode out, AskService.Result result, SearchService.Ranked ranked, String base) {
        ArrayNode citations = out.putArray("citations");
        for (AskService.ResolvedCitation c : result.citations()) {
            ObjectNode node = JSON.valueToTree(SearchResource.citation(c));
            node.put("url", url(base, c));
            citations.add(node);
        }
        ObjectNode meta = out.putObject("omnirag");
        meta.put("grounded", result.answer().grounded());
        meta.put("generator", result.generator());
        meta.put("fallback", result.answer().fallback());
        if (result.answer().fallbackReason() != null) {
            meta.put("fallbackReason", result.answer().fallbackReason());
        }
        meta.put("rerank", ranked.rerank());
        if (ranked.rerankFailure() != null) {
            meta.put("rerankFailure", ranked.rerankFailure());
        }
    }
}
