package dev.omnirag.server.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnirag.generator.fake.FakeOpenAiServer;
import dev.omnirag.generator.fake.FakeOpenAiServer.Reply;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code /v1/chat/completions} (RAG and pass-through), {@code /v1/models} and {@code /v1/rerank} with the fake. */
@QuarkusTest
@TestProfile(LlmProfile.class)
@Tag("llm")
class ChatCompletionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    private static Map<String, Object> chat(String model, boolean stream, Object... messages) {
        List<Map<String, String>> list = new ArrayList<>();
        for (int i = 0; i < messages.length; i += 2) {
            list.add(Map.of("role", (String) messages[i], "content", (String) messages[i + 1]));
        }
        return Map.of("model", model, "messages", list, "stream", stream);
    }

    @Test
    void ragChatAnswersWithMarkdownLinksAndACitationsField() {
        String model = "omnirag:" + LlmTests.traceMonkeyName();
        LlmTests.respond(LlmTests::speedup);

        JsonPath r = given().contentType(ContentType.JSON)
                .body(chat(model, false, "user", LlmTests.QUESTION))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath();

        assertThat(r.getString("object")).isEqualTo("chat.completion");
        assertThat(r.getString("model")).isEqualTo(model);
        assertThat(r.getString("choices[0].finish_reason")).isEqualTo("stop");
        String documentId = r.getString("citations[0].documentId");
        int page = r.getInt("citations[0].locator.page");
        // Links are built on the address the request arrived at (never its Host header): the server listens on
        // 127.0.0.1.
        // They are signed: they open the document without a key (SignedLinksTest).
        String url = java.util.regex.Pattern.quote(
                        "http://127.0.0.1:" + root.getPort() + "/v1/documents/" + documentId + "/content?page=" + page)
                + "&exp=\\d+&sig=[A-Za-z0-9_-]{43}#page=" + page;
        assertThat(r.getString("choices[0].message.content"))
                .matches(java.util.regex.Pattern.quote(LlmTests.SPEEDUP_ANSWER_START + " [[1]](") + url + "\\)\\.");
        assertThat(r.getString("citations[0].url")).matches(url);
        assertThat(r.getBoolean("citations[0].verified")).isTrue();
        assertThat(r.getString("citations[0].quote")).contains("2x-20x");
        assertThat(r.getDouble("omnirag.grounded")).isEqualTo(1.0);
        assertThat(r.getString("omnirag.generator")).isEqualTo("openai:fake-moe");
        assertThat(r.getInt("usage.total_tokens")).isPositive();
    }

    @Test
    void earlierTurnsGoToTheModelAsConversationWithoutOurLinks() {
        String model = "omnirag:" + LlmTests.traceMonkeyName();
        LlmTests.respond(LlmTests::speedup);

        given().contentType(ContentType.JSON)
                .body(chat(
                        model,
                        false,
                        "system",
                        "Be brief.",
                        "user",
                        "What is TraceMonkey?",
                        "assistant",
                        "A tracing JIT [[1]](http://x/v1/documents/d/content#page=1).",
                        "user",
                        LlmTests.QUESTION))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200);

        JsonNode messages = LlmTests.chatRequests().getFirst().get("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(1).get("content").asText()).isEqualTo("What is TraceMonkey?");
        assertThat(messages.get(2).get("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(2).get("content").asText()).isEqualTo("A tracing JIT [1].");
        assertThat(FakeOpenAiServer.lastUserText(LlmTests.chatRequests().getFirst()))
                .endsWith("Question: " + LlmTests.QUESTION);
    }

    @Test
    void ragChatStreamsOpenAiChunksAsTheyAreGeneratedAndEndsWithCitationsAndDone() throws Exception {
        String model = "omnirag:" + LlmTests.traceMonkeyName();
        LlmTests.respond(LlmTests::speedup).tokenDelay(Duration.ofMillis(40));
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + "v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(chat(model, true, "user", LlmTests.QUESTION))))
                .build();
        List<Long> contentTimes = new ArrayList<>();
        List<String> data = new ArrayList<>();
        long start = System.nanoTime();

        HttpResponse<java.util.stream.Stream<String>> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        response.body().filter(l -> l.startsWith("data:")).forEach(l -> {
            data.add(l.substring(5).strip());
            if (l.contains("\"content\":\"") && !l.contains("\"content\":\"\"")) {
                contentTimes.add(System.nanoTime() - start);
            }
        });

        assertThat(data.getLast()).isEqualTo("[DONE]");
        JsonNode first = JSON.readTree(data.getFirst());
        assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(first.get("choices").get(0).get("delta").get("role").asText())
                .isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        for (String d : data.subList(0, data.size() - 1)) {
            JsonNode content =
                    JSON.readTree(d).get("choices").get(0).get("delta").get("content");
            if (content != null) {
                text.append(content.asText());
            }
        }
        assertThat(text.toString())
                .startsWith(LlmTests.SPEEDUP_ANSWER_START + " [[1]](")
                .endsWith(").");
        JsonNode last = JSON.readTree(data.get(data.size() - 2));
        assertThat(last.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        assertThat(last.get("citations").get(0).get("verified").asBoolean()).isTrue();
        assertThat(last.get("omnirag").get("grounded").asDouble()).isEqualTo(1.0);
        // Streamed, not buffered: the first words arrive well before the last ones (40 ms per token).
        assertThat(contentTimes.size()).isGreaterThan(5);
        assertThat(contentTimes.getLast() - contentTimes.getFirst()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(300));
    }

    @Test
    void otherModelNamesPassThroughToTheGeneratorServer() throws Exception {
        FakeOpenAiServer server = LlmTests.respond(r -> Reply.text("Hello from the model."));

        JsonPath plain = given().contentType(ContentType.JSON)
                .body(chat(FakeOpenAiServer.MODEL, false, "system", "Be nice.", "user", "Say hello"))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(plain.getString("id")).startsWith("chatcmpl-fake-");
        assertThat(plain.getString("choices[0].message.content")).isEqualTo("Hello from the model.");
        JsonNode forwarded = server.requests().getFirst();
        assertThat(forwarded.get("messages").get(0).get("content").asText()).isEqualTo("Be nice.");
        assertThat(forwarded.get("stream").asBoolean()).isFalse();

        String sse = given().contentType(ContentType.JSON)
                .body(chat(FakeOpenAiServer.MODEL, true, "user", "Say hello"))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        StringBuilder text = new StringBuilder();
        for (LlmTests.Event e : LlmTests.events(sse)) {
            if (e.data().isObject()) {
                JsonNode content =
                        e.data().path("choices").path(0).path("delta").path("content");
                text.append(content.asText(""));
            }
        }
        assertThat(text.toString()).isEqualTo("Hello from the model.");
        assertThat(sse.strip()).endsWith("data: [DONE]");
    }

    @Test
    void badChatRequestsAreProblemsWithOpenAiErrors() {
        given().contentType(ContentType.JSON)
                .body(chat("omnirag:no-such-collection", false, "user", "hi"))
                .post("/v1/chat/completions")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("error.message", containsString("no collection is named or has the id 'no-such-collection'"));
        given().contentType(ContentType.JSON)
                .body(Map.of("model", "omnirag:x", "messages", List.of()))
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("detail", containsString("messages must be a non-empty array"));
        given().contentType(ContentType.JSON)
                .body(chat("omnirag:" + LlmTests.traceMonkeyName(), false, "user", "hi", "assistant", "hello"))
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("detail", equalTo("the last message must be the user's question; messages[1].role=assistant"));
        given().contentType(ContentType.JSON)
                .body(Map.of("messages", List.of(Map.of("role", "user", "content", "x"))))
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("detail", containsString("model is required"));
    }

    @Test
    void modelsListTheRagModelsAndTheGenerators() {
        String name = LlmTests.traceMonkeyName();
        given().get("/v1/models")
                .then()
                .statusCode(200)
                .body("data.id", hasItem("omnirag:" + name))
                .body("data.id", hasItem(FakeOpenAiServer.MODEL))
                .body("data.find { it.id == 'fake-moe' }.owned_by", equalTo("generator"));
    }

    @Test
    void rerankEndpointOrdersDocumentsLocallyOrWithTheMllm() {
        LlmTests.respond(LlmTests::speedup);
        List<Object> documents = List.of(
                "Preheat the oven and whisk the eggs with sugar.",
                Map.of("text", "TraceMonkey gives a 2x-20x speedup for traceable JavaScript programs."),
                "Bread dough rises in a warm place.");

        JsonPath local = given().contentType(ContentType.JSON)
                .body(Map.of("query", "How much faster is TraceMonkey?", "documents", documents, "top_n", 2))
                .post("/v1/rerank")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(local.getString("model")).isEqualTo("local");
        assertThat(local.getList("results.index")).hasSize(2).first().isEqualTo(1);
        assertThat(local.getDouble("results[0].relevance_score"))
                .isGreaterThan(local.getDouble("results[1].relevance_score"));

        JsonPath mllm = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "model",
                        "fake-vl",
                        "query",
                        "How much faster is TraceMonkey?",
                        "documents",
                        documents,
                        "return_documents",
                        true))
                .post("/v1/rerank")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(mllm.getString("model")).isEqualTo("fake-vl");
        assertThat(mllm.getList("results.index")).containsExactly(1, 0, 2);
        assertThat(mllm.getDouble("results[0].relevance_score"))
                .isEqualTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(mllm.getString("results[0].document.text")).contains("2x-20x");

        FakeLlmResource.server().enqueue(FakeOpenAiServer.Behaviour.status(500));
        given().contentType(ContentType.JSON)
                .body(Map.of("model", "mllm", "query", "q", "documents", List.of("a")))
                .post("/v1/rerank")
                .then()
                .statusCode(503)
                .body("detail", containsString("could not judge"));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", "q", "documents", List.of(1, 2)))
                .post("/v1/rerank")
                .then()
                .statusCode(400)
                .body("detail", containsString("documents[0] must be a string"));
        given().contentType(ContentType.JSON)
                .body(Map.of("model", "gpt-x", "query", "q", "documents", List.of("a")))
                .post("/v1/rerank")
                .then()
                .statusCode(404);
    }

    @Test
    void toolsAndStructuredOutputGoToTheModelWithTheCollectionsPassages() {
        String model = "omnirag:" + LlmTests.traceMonkeyName();
        FakeOpenAiServer server = LlmTests.respond(r -> r.has("tools")
                ? FakeOpenAiServer.Reply.toolCall("lookup_benchmark", "{\"name\":\"SunSpider\"}")
                : r.has("response_format")
                        ? FakeOpenAiServer.Reply.text("{\"speedup\":\"2x-20x\",\"source\":"
                                + FakeOpenAiServer.sourceNumberContaining(r, "2x-20x") + "}")
                        : LlmTests.speedup(r));
        Map<String, Object> tool = Map.of(
                "type",
                "function",
                "function",
                Map.of(
                        "name",
                        "lookup_benchmark",
                        "parameters",
                        Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string")))));
        Map<String, Object> body = new java.util.HashMap<>(chat(model, false, "user", LlmTests.QUESTION));
        body.put("tools", List.of(tool));
        body.put("tool_choice", "auto");
        JsonPath r = given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(r.getString("model")).isEqualTo(model);
        assertThat(r.getString("choices[0].finish_reason")).isEqualTo("tool_calls");
        assertThat(r.getString("choices[0].message.tool_calls[0].function.name"))
                .isEqualTo("lookup_benchmark");
        assertThat(r.getString("choices[0].message.tool_calls[0].function.arguments"))
                .isEqualTo("{\"name\":\"SunSpider\"}");
        assertThat(r.getBoolean("omnirag.relayed")).isTrue();
        JsonNode sent = LlmTests.chatRequests().getLast();
        assertThat(sent.get("tools").get(0).path("function").path("name").asText())
                .isEqualTo("lookup_benchmark");
        assertThat(sent.get("tool_choice").asText()).isEqualTo("auto");
        assertThat(sent.get("messages").toString()).contains("2x-20x").contains(LlmTests.QUESTION);
        assertThat(sent.get("model").asText()).isEqualTo(FakeOpenAiServer.MODEL);

        Map<String, Object> structured = new java.util.HashMap<>(chat(model, false, "user", LlmTests.QUESTION));
        structured.put(
                "response_format",
                Map.of(
                        "type",
                        "json_schema",
                        "json_schema",
                        Map.of(
                                "name",
                                "speedup",
                                "schema",
                                Map.of("type", "object", "properties", Map.of("speedup", Map.of("type", "string"))))));
        JsonPath json = given().contentType(ContentType.JSON)
                .body(structured)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(new JsonPath(json.getString("choices[0].message.content")).getString("speedup"))
                .isEqualTo("2x-20x");
        assertThat(LlmTests.chatRequests()
                        .getLast()
                        .path("response_format")
                        .path("type")
                        .asText())
                .isEqualTo("json_schema");

        // Streamed, the tool call arrives in OpenAI's pieces under the RAG model's name.
        body.put("stream", true);
        String sse = given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(sse)
                .contains("\"tool_calls\"")
                .contains("\"finish_reason\":\"tool_calls\"")
                .contains("\"model\":\"" + model + "\"")
                .doesNotContain(FakeOpenAiServer.MODEL);
        assertThat(sse.strip()).endsWith("data: [DONE]");
        assertThat(server).isNotNull();
    }

    @Test
    void theAskersSamplingFieldsReachTheModelWithTheRagPrompt() {
        String model = "omnirag:" + LlmTests.traceMonkeyName();
        LlmTests.respond(LlmTests::speedup);
        Map<String, Object> body = new java.util.HashMap<>(chat(model, false, "user", LlmTests.QUESTION));
        body.putAll(Map.of("seed", 7, "temperature", 0.1, "top_p", 0.9, "stop", List.of("###"), "max_tokens", 64));
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .body("choices[0].message.content", org.hamcrest.Matchers.startsWith(LlmTests.SPEEDUP_ANSWER_START));
        JsonNode sent = LlmTests.chatRequests().getLast();
        assertThat(sent.path("seed").asInt()).isEqualTo(7);
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.1);
        assertThat(sent.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(sent.path("stop").get(0).asText()).isEqualTo("###");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(sent.path("messages").toString()).contains("2x-20x");
        assertThat(sent.has("tools")).isFalse();
    }

    @Test
    void aPromptOverTheModelsContextAnswersContextLengthExceeded() {
        FakeOpenAiServer server = LlmTests.respond(LlmTests::speedup).contextTokens(200);
        String longText = "wing ".repeat(2000);
        given().contentType(ContentType.JSON)
                .body(chat(FakeOpenAiServer.MODEL, false, "user", longText))
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("context_length_exceeded"))
                .body("error.param", equalTo("messages"))
                .body("detail", containsString("maximum context length"));
        server.contextTokens(0);
    }

    /** The official OpenAI Node.js client (npm "openai") against our /v1/chat/completions, stream and not. */
    @Test
    void officialOpenAiNodeClientChatsAndReadsTheCitations() throws Exception {
        String model = "omnirag:" + LlmTests.traceMonkeyName();
        // Tools: the model calls the first tool it was given; structured output: it writes the JSON asked for.
        LlmTests.respond(r -> r.has("tools")
                ? FakeOpenAiServer.Reply.toolCall(
                        r.path("tools").path(0).path("function").path("name").asText(), "{\"speedup\":\"2x-20x\"}")
                : r.path("response_format").path("type").asText("text").equals("text")
                        ? LlmTests.speedup(r)
                        : FakeOpenAiServer.Reply.text("{\"speedup\":\"2x-20x\"}"));
        Path dir = Path.of("test/js").toAbsolutePath();
        assertThat(dir.resolve("node_modules/openai"))
                .as("run the README test command: it installs the npm test " + "dependencies (npm ci in src/test/js)")
                .exists();
        ProcessBuilder pb =
                new ProcessBuilder("node", "chat.mjs").directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("OMNIRAG_URL", root.toString().replaceAll("/$", ""));
        pb.environment().put("OMNIRAG_MODEL", model);
        pb.environment().put("OMNIRAG_QUESTION", LlmTests.QUESTION);
        Process node = pb.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(out).isZero();
        JsonNode json = JSON.readTree(
                out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());

        assertThat(json.get("plain").get("object").asText()).isEqualTo("chat.completion");
        assertThat(json.get("plain").get("content").asText()).startsWith(LlmTests.SPEEDUP_ANSWER_START + " [[1]](http");
        assertThat(json.get("plain").get("citations").get(0).get("quote").asText())
                .contains("2x-20x");
        assertThat(json.get("plain").get("citations").get(0).get("verified").asBoolean())
                .isTrue();
        assertThat(json.get("stream").get("text").asText())
                .isEqualTo(json.get("plain").get("content").asText());
        assertThat(json.get("stream").get("chunks").asInt()).isGreaterThan(5);
        assertThat(json.get("stream").get("finish").asText()).isEqualTo("stop");
        assertThat(json.get("stream").get("citations").get(0).get("url").asText())
                .contains("/v1/documents/");
        assertThat(json.get("error").get("status").asInt()).isEqualTo(404);
        assertThat(json.get("error").get("class").asText()).isEqualTo("NotFoundError");
        assertThat(json.get("error").get("code").asText()).isEqualTo("model_not_found");
        assertThat(json.get("stream").get("usage").get("total_tokens").asInt()).isPositive();
        assertThat(json.get("stream").get("usage").get("choices").asInt()).isZero();
        assertThat(json.get("toolCall").get("name").asText()).isEqualTo("lookup");
        assertThat(json.get("langchain").get("toolCall").get("name").asText()).isEqualTo("report_speedup");
        assertThat(json.get("langchain")
                        .get("toolCall")
                        .get("args")
                        .get("speedup")
                        .asText())
                .isEqualTo("2x-20x");
        assertThat(json.get("langchain").get("structured").get("speedup").asText())
                .isEqualTo("2x-20x");
        assertThat(json.get("structuredSdk").get("speedup").asText()).isEqualTo("2x-20x");
        assertThat(json.get("toolCall").get("finish").asText()).isEqualTo("tool_calls");
        assertThat(json.get("retrieved").get("id").asText()).isEqualTo(model);
        JsonNode responses = json.get("responses");
        assertThat(responses.get("outputText").asText())
                .startsWith(LlmTests.SPEEDUP_ANSWER_START)
                .contains("[1]");
        assertThat(responses.get("annotation").get("type").asText()).isEqualTo("url_citation");
        assertThat(responses.get("annotation").get("url").asText())
                .contains("/v1/documents/")
                .contains("sig=");
        assertThat(responses.get("streamedText").asText())
                .isEqualTo(responses.get("finalText").asText())
                .startsWith(LlmTests.SPEEDUP_ANSWER_START);
        assertThat(responses.get("status").asText()).isEqualTo("completed");
    }
}
