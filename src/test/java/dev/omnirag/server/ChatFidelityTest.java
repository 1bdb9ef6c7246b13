package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What OpenAI clients send to a RAG model ({@code omnirag:<collection>}) is honoured or refused clearly, never
 * accepted and ignored: tools and structured output answer 400 naming the field, numbers are numbers,
 * {@code max_tokens} cuts with {@code finish_reason: "length"}, {@code stop} ends the answer,
 * {@code stream_options.include_usage} adds OpenAI's usage chunk, and models are found by collection id or name.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatFidelityTest {

    private static final String QUESTION = "What is flutter?";

    private String collection;
    private String name;

    @BeforeEach
    void ingestNotes() throws IOException {
        if (collection != null) {
            return;
        }
        collection = TestSupport.createCollection("fidelity");
        name = given().get("/v1/collections/" + collection).then().extract().path("name");
        Path file = Files.createTempDirectory("omnirag-fidelity").resolve("flutter.txt");
        Files.writeString(
                file,
                "Flutter is a dynamic instability of an elastic structure in a fluid flow. It can "
                        + "destroy a wing within seconds when the airspeed passes the flutter speed. Engineers test every new "
                        + "wing for flutter in the wind tunnel before the first flight.");
        assertThat(TestSupport.ingest(collection, file).getString("status")).isEqualTo("succeeded");
    }

    private Map<String, Object> request(Object... extra) {
        Map<String, Object> body = new HashMap<>(
                Map.of("model", "omnirag:" + name, "messages", List.of(Map.of("role", "user", "content", QUESTION))));
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return body;
    }

    private static Response post(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/chat/completions");
    }

    @Test
    void toolsStructuredOutputAndSeveralChoicesAreRefusedNamingTheField() {
        Map<String, Object> tool = Map.of(
                "type",
                "function",
                "function",
                Map.of("name", "lookup", "parameters", Map.of("type", "object", "properties", Map.of())));
        Map<String, Object[]> cases = Map.of(
                "tools", new Object[] {"tools", List.of(tool)},
                "response_format",
                        new Object[] {
                            "response_format",
                            Map.of(
                                    "type",
                                    "json_schema",
                                    "json_schema",
                                    Map.of("name", "x", "schema", Map.of("type", "object")))
                        },
                "n", new Object[] {"n", 2},
                "logprobs", new Object[] {"logprobs", true});
        cases.forEach((field, extra) -> post(request(extra))
                .then()
                .statusCode(400)
                .body("error.code", equalTo("unsupported_parameter"))
                .body("error.param", equalTo(field))
                .body("error.type", equalTo("invalid_request_error")));
        // What asks for nothing special is fine.
        post(request("tools", List.of(), "response_format", Map.of("type", "text"), "n", 1, "logprobs", false))
                .then()
                .statusCode(200);
    }

    @Test
    void numbersMustBeNumbers() {
        post(request("temperature", "hot"))
                .then()
                .statusCode(400)
                .body("error.param", equalTo("temperature"))
                .body("error.code", equalTo("invalid_value"));
        post(request("max_tokens", "many")).then().statusCode(400).body("error.param", equalTo("max_tokens"));
        post(request("stream", "yes")).then().statusCode(400).body("error.param", equalTo("stream"));
        post(request("temperature", 0.2, "top_p", 1, "seed", 7)).then().statusCode(200);
    }

    @Test
    void maxTokensCutsTheAnswerAndSaysSo() {
        JsonPath whole = post(request()).then().statusCode(200).extract().jsonPath();
        assertThat(whole.getString("choices[0].finish_reason")).isEqualTo("stop");
        JsonPath cut =
                post(request("max_tokens", 4)).then().statusCode(200).extract().jsonPath();
        assertThat(cut.getString("choices[0].finish_reason")).isEqualTo("length");
        assertThat(cut.getString("choices[0].message.content").length())
                .isLessThan(whole.getString("choices[0].message.content").length())
                .isLessThanOrEqualTo(4 * 4);
        assertThat(cut.getInt("usage.completion_tokens")).isLessThanOrEqualTo(4);
        List<Map<String, Object>> events = stream(request("max_completion_tokens", 4));
        assertThat(finish(events)).isEqualTo("length");
        assertThat(text(events)).isEqualTo(cut.getString("choices[0].message.content"));
    }

    @Test
    void aStopSequenceEndsTheAnswerBeforeIt() {
        String whole = post(request()).then().statusCode(200).extract().path("choices[0].message.content");
        assertThat(whole).contains("instability");
        String stopped = post(request("stop", List.of("instability")))
                .then()
                .statusCode(200)
                .extract()
                .path("choices[0].message.content");
        assertThat(stopped).isEqualTo(whole.substring(0, whole.indexOf("instability")));
        List<Map<String, Object>> events = stream(request("stop", "instability"));
        assertThat(text(events)).isEqualTo(stopped);
        assertThat(finish(events)).isEqualTo("stop");
    }

    @Test
    void usageComesOnItsOwnLastChunkWhenAskedFor() {
        List<Map<String, Object>> plain = stream(request());
        assertThat(plain).noneMatch(e -> e.containsKey("usage"));
        List<Map<String, Object>> withUsage = stream(request("stream_options", Map.of("include_usage", true)));
        Map<String, Object> last = withUsage.getLast();
        assertThat((List<?>) last.get("choices")).isEmpty();
        assertThat(((Map<?, ?>) last.get("usage")).get("total_tokens")).isInstanceOf(Integer.class);
        assertThat(withUsage.subList(0, withUsage.size() - 1)).noneMatch(e -> e.containsKey("usage"));
        assertThat(finish(withUsage)).isEqualTo("stop");
    }

    @Test
    void aLongLastMessageIsAnswered() {
        // Chat front ends wrap the question in their own templates (Open WebUI's RAG and title prompts).
        String template = "Use the context below to answer.\n" + "Context: nothing relevant. ".repeat(400)
                + "\nQuestion: " + QUESTION;
        assertThat(template.length()).isGreaterThan(10_000);
        Map<String, Object> body = request();
        body.put("messages", List.of(Map.of("role", "user", "content", template)));
        post(body).then().statusCode(200).body("choices[0].finish_reason", equalTo("stop"));
    }

    /**
     * Request bodies shaped like those Open WebUI and LibreChat send to an OpenAI connection (written after their
     * default templates: a system prompt, the RAG template wrapping the question, title generation with a token
     * limit, their sampling and bookkeeping fields) are answered, not refused.
     */
    @Test
    void chatFrontEndsRequestBodiesAreAnswered() {
        String ragTemplate = "### Task:\nRespond to the user query using the provided context, incorporating inline "
                + "citations in the format [id] only when the <source> tag includes an explicit id attribute.\n\n"
                + "### Guidelines:\n" + "- If you don't know the answer, clearly state that.\n".repeat(40)
                + "\n<context>\n</context>\n\n<user_query>\n" + QUESTION + "\n</user_query>";
        Map<String, Object> openWebUi = new HashMap<>(Map.of(
                "model",
                "omnirag:" + name,
                "stream",
                true,
                "stream_options",
                Map.of("include_usage", true),
                "messages",
                List.of(
                        Map.of("role", "system", "content", "You are a helpful assistant."),
                        Map.of("role", "user", "content", ragTemplate))));
        List<Map<String, Object>> events = stream(openWebUi);
        assertThat(text(events)).contains("Flutter");
        assertThat(events.getLast()).containsKey("usage");

        Map<String, Object> title = Map.of(
                "model",
                "omnirag:" + name,
                "stream",
                false,
                "max_tokens",
                50,
                "messages",
                List.of(Map.of(
                        "role",
                        "user",
                        "content",
                        "### Task:\nGenerate a concise, 3-5 word title "
                                + "with an emoji summarizing the chat history.\n### Chat History:\n<chat_history>\nUSER: "
                                + QUESTION + "\nASSISTANT: Flutter is a dynamic instability.\n</chat_history>")));
        post(title).then().statusCode(200).body("choices[0].message.role", equalTo("assistant"));

        Map<String, Object> libreChat = new HashMap<>(request(
                "temperature",
                1,
                "top_p",
                1,
                "presence_penalty",
                0,
                "frequency_penalty",
                0,
                "user",
                "6650c8f0a1b2c3d4e5f60718",
                "stream",
                false));
        libreChat.put(
                "messages",
                List.of(
                        Map.of("role", "system", "content", "Instructions:\nBe concise."),
                        Map.of("role", "user", "content", QUESTION)));
        post(libreChat).then().statusCode(200).body("choices[0].finish_reason", equalTo("stop"));
    }

    @Test
    void modelsAreFoundByCollectionIdAndByNameAndTheIdSurvivesARename() {
        given().get("/v1/models/omnirag:" + collection)
                .then()
                .statusCode(200)
                .body("id", equalTo("omnirag:" + collection))
                .body("object", equalTo("model"));
        given().get("/v1/models/omnirag:" + name).then().statusCode(200).body("id", equalTo("omnirag:" + name));
        given().get("/v1/models/omnirag:no-such-collection")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("model_not_found"))
                .body("error.param", equalTo("model"));
        given().get("/v1/models/no-such-model").then().statusCode(404).body("error.code", equalTo("model_not_found"));
        String embedder = given().get("/v1/models").then().extract().path("data[0].id");
        given().get("/v1/models/" + embedder).then().statusCode(200).body("id", equalTo(embedder));

        String renamed = TestSupport.createCollection("fidelity-renamed");
        Path file;
        try {
            file = Files.createTempDirectory("omnirag-rename").resolve("flutter.txt");
            Files.writeString(file, "Flutter is a dynamic instability of an elastic structure in a fluid flow.");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(TestSupport.ingest(renamed, file).getString("status")).isEqualTo("succeeded");
        Map<String, Object> byId = new HashMap<>(request());
        byId.put("model", "omnirag:" + renamed);
        post(byId).then().statusCode(200).body("model", equalTo("omnirag:" + renamed));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "renamed-" + renamed.substring(0, 8)))
                .patch("/v1/collections/" + renamed)
                .then()
                .statusCode(200);
        post(byId)
                .then()
                .statusCode(200)
                .body("choices[0].message.content", org.hamcrest.Matchers.containsString("Flutter"));
        Map<String, Object> byName = new HashMap<>(request());
        byName.put("model", "omnirag:renamed-" + renamed.substring(0, 8));
        post(byName).then().statusCode(200);
        byName.put("model", "omnirag:no-such-collection");
        post(byName).then().statusCode(404).body("error.code", equalTo("model_not_found"));
    }

    @Test
    void theResponsesApiAnswersWithCitationsAsAnnotations() {
        JsonPath r = given().contentType(ContentType.JSON)
                .body(Map.of("model", "omnirag:" + collection, "input", QUESTION, "instructions", "Answer briefly."))
                .post("/v1/responses")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(r.getString("object")).isEqualTo("response");
        assertThat(r.getString("status")).isEqualTo("completed");
        assertThat(r.getString("output[0].type")).isEqualTo("message");
        assertThat(r.getString("output[0].role")).isEqualTo("assistant");
        String text = r.getString("output[0].content[0].text");
        assertThat(r.getString("output[0].content[0].type")).isEqualTo("output_text");
        assertThat(text).contains("Flutter").contains("[1]");
        Map<String, Object> annotation = r.getMap("output[0].content[0].annotations[0]");
        assertThat(annotation.get("type")).isEqualTo("url_citation");
        assertThat(text.substring((Integer) annotation.get("start_index"), (Integer) annotation.get("end_index")))
                .isEqualTo("[1]");
        assertThat((String) annotation.get("url")).contains("/v1/documents/").contains("sig=");
        assertThat((String) annotation.get("title")).isEqualTo("flutter.txt");
        assertThat(r.getInt("usage.total_tokens")).isPositive();
        // A conversation as input, and a cut answer.
        JsonPath cut = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "model",
                        "omnirag:" + name,
                        "max_output_tokens",
                        3,
                        "input",
                        List.of(
                                Map.of("role", "user", "content", "Hello"),
                                Map.of("role", "assistant", "content", "Hi."),
                                Map.of(
                                        "role",
                                        "user",
                                        "content",
                                        List.of(Map.of("type", "input_text", "text", QUESTION))))))
                .post("/v1/responses")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(cut.getString("status")).isEqualTo("incomplete");
        assertThat(cut.getString("incomplete_details.reason")).isEqualTo("max_output_tokens");
        given().contentType(ContentType.JSON)
                .body(Map.of("model", "gpt-4o", "input", "hi"))
                .post("/v1/responses")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("model_not_found"));
        given().contentType(ContentType.JSON)
                .body(Map.of("model", "omnirag:" + name, "input", "hi", "tools", List.of(Map.of("type", "web_search"))))
                .post("/v1/responses")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("tools"));
    }

    @Test
    void aStreamedResponseSendsTheResponsesEventsInOrder() {
        String sse = given().contentType(ContentType.JSON)
                .body(Map.of("model", "omnirag:" + name, "input", QUESTION, "stream", true))
                .post("/v1/responses")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<String> types = new ArrayList<>();
        StringBuilder deltas = new StringBuilder();
        JsonPath completed = null;
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                JsonPath e = new JsonPath(line.substring(6));
                types.add(e.getString("type"));
                if (e.getString("type").equals("response.output_text.delta")) {
                    deltas.append(e.getString("delta"));
                }
                if (e.getString("type").equals("response.completed")) {
                    completed = e;
                }
            }
        }
        assertThat(types.subList(0, 4))
                .containsExactly(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.content_part.added");
        assertThat(types).contains("response.output_text.delta");
        assertThat(types.subList(types.size() - 4, types.size()))
                .containsExactly(
                        "response.output_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.completed");
        assertThat(completed).isNotNull();
        assertThat(completed.getString("response.output[0].content[0].text")).isEqualTo(deltas.toString());
        assertThat(completed.getString("response.output[0].content[0].annotations[0].type"))
                .isEqualTo("url_citation");
    }

    /** The events of a streamed answer, [DONE] excluded. */
    private static List<Map<String, Object>> stream(Map<String, Object> body) {
        body = new HashMap<>(body);
        body.put("stream", true);
        String sse = post(body).then().statusCode(200).extract().asString();
        List<Map<String, Object>> events = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                events.add(new JsonPath(line.substring(6)).getMap(""));
            }
        }
        assertThat(sse.strip()).endsWith("data: [DONE]");
        return events;
    }

    private static String text(List<Map<String, Object>> events) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> e : events) {
            List<?> choices = (List<?>) e.get("choices");
            if (!choices.isEmpty()
                    && ((Map<?, ?>) choices.getFirst()).get("delta") instanceof Map<?, ?> delta
                    && delta.get("content") instanceof String s) {
                sb.append(s);
            }
        }
        return sb.toString();
    }

    private static String finish(List<Map<String, Object>> events) {
        for (Map<String, Object> e : events) {
            List<?> choices = (List<?>) e.get("choices");
            if (!choices.isEmpty() && ((Map<?, ?>) choices.getFirst()).get("finish_reason") instanceof String f) {
                return f;
            }
        }
        return null;
    }
}
