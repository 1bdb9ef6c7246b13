package dev.omnirag.server.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnirag.generator.fake.FakeOpenAiServer;
import dev.omnirag.generator.fake.FakeOpenAiServer.Reply;
import dev.omnirag.server.TestSupport;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shared helpers of the LLM tests. */
final class LlmTests {

    static final String QUESTION = "What speedup does TraceMonkey give for traceable programs?";
    static final String SPEEDUP_ANSWER_START = "TraceMonkey gives a 2x-20x speedup for traceable programs";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String collection;
    private static String collectionName;

    private LlmTests() {}

    /** The TraceMonkey paper ingested once for all LLM test classes (the profile's application is shared). */
    static synchronized String traceMonkey() {
        if (collection == null) {
            String id = TestSupport.createCollection("llm");
            JsonPath job = TestSupport.ingest(id, TestSupport.shared("media/pdf/tracemonkey.pdf"));
            assertThat(job.getString("status"))
                    .as("job error: %s", job.getString("error"))
                    .isEqualTo("succeeded");
            collectionName =
                    given().get("/v1/collections/" + id).then().extract().path("name");
            collection = id;
        }
        return collection;
    }

    static String traceMonkeyName() {
        traceMonkey();
        return collectionName;
    }

    /**
     * Resets the fake and makes it answer chat requests with {@code answer} and judge requests (one token with
     * logprobs) with P(yes) = 0.9 for passages quoting the speedup and 0.1 for the rest.
     */
    static FakeOpenAiServer respond(Function<JsonNode, Reply> answer) {
        return respond(answer, LlmTests::unchanged);
    }

    /** As {@link #respond(Function)}, rewriting follow-ups (the condense-the-question call) with {@code rewrite}. */
    static FakeOpenAiServer respond(Function<JsonNode, Reply> answer, Function<JsonNode, Reply> rewrite) {
        FakeOpenAiServer server = FakeLlmResource.server().reset();
        server.respond(r -> isJudge(r)
                ? Reply.yesNo(FakeOpenAiServer.lastUserText(r).contains("2x-20x") ? 0.9 : 0.1)
                : isRewrite(r) ? rewrite.apply(r) : answer.apply(r));
        return server;
    }

    static boolean isJudge(JsonNode request) {
        return request.path("logprobs").asBoolean(false)
                && request.path("max_tokens").asInt() == 1;
    }

    /** The call that rewrites a follow-up as a standalone question (its system prompt says so). */
    static boolean isRewrite(JsonNode request) {
        return request.path("messages").path(0).path("content").asText().startsWith("Rewrite the last question");
    }

    /** A rewrite that keeps the follow-up as asked (its "Last question: " line). */
    static Reply unchanged(JsonNode request) {
        String conversation = FakeOpenAiServer.lastUserText(request);
        return Reply.text(
                conversation.substring(conversation.lastIndexOf("Last question: ") + "Last question: ".length()));
    }

    /** The answer quoting the speedup, citing the prompt source that states it. */
    static Reply speedup(JsonNode request) {
        return Reply.text(
                SPEEDUP_ANSWER_START + " [" + FakeOpenAiServer.sourceNumberContaining(request, "2x-20x") + "].");
    }

    /** Chat requests (not judgements or follow-up rewrites) the fake received. */
    static List<JsonNode> chatRequests() {
        return FakeLlmResource.server().requests().stream()
                .filter(r -> !isJudge(r) && !isRewrite(r))
                .toList();
    }

    /** The follow-up rewrites the fake received. */
    static List<JsonNode> rewriteRequests() {
        return FakeLlmResource.server().requests().stream()
                .filter(LlmTests::isRewrite)
                .toList();
    }

    /** A server-sent event. */
    record Event(String name, JsonNode data) {}

    /** Parses an SSE body ({@code event:} and {@code data:} lines, blank-line separated). */
    static List<Event> events(String body) {
        List<Event> events = new ArrayList<>();
        String name = "message";
        StringBuilder data = new StringBuilder();
        for (String line : (body + "\n\n").split("\n", -1)) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    try {
                        events.add(new Event(name, JSON.readTree(data.toString())));
                    } catch (Exception e) {
                        events.add(new Event(name, JSON.getNodeFactory().textNode(data.toString())));
                    }
                }
                name = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).stripLeading());
            }
        }
        return events;
    }

    /** The sum of a Prometheus counter over the series whose labels contain {@code label}, 0 when absent. */
    static double metric(String name, String label) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} ([0-9.eE+-]+)$")
                .matcher(body);
        double sum = 0;
        while (m.find()) {
            if (m.group(1).contains(label)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
