package dev.omnirag.server.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omnirag.generator.fake.FakeOpenAiServer;
import dev.omnirag.generator.fake.FakeOpenAiServer.Behaviour;
import dev.omnirag.generator.fake.FakeOpenAiServer.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Ask with the LLM generator (the fake model server): streaming, checked citations, fallback, reranking. */
@QuarkusTest
@TestProfile(LlmProfile.class)
@Tag("llm")
class LlmAskTest {

    private static JsonPath ask(Map<String, Object> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/collections/" + LlmTests.traceMonkey() + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static List<LlmTests.Event> askStream(Map<String, Object> body) {
        String sse = given().contentType(ContentType.JSON)
                .accept("text/event-stream")
                .body(body)
                .post("/v1/collections/" + LlmTests.traceMonkey() + "/ask")
                .then()
                .statusCode(200)
                .contentType(containsString("text/event-stream"))
                .extract()
                .asString();
        return LlmTests.events(sse);
    }

    @Test
    void streamingAskDeliversTheModelsTokensAndAVerifiedCitationBeforeItsMarker() {
        LlmTests.traceMonkey();
        LlmTests.respond(LlmTests::speedup);

        List<LlmTests.Event> events = askStream(Map.of("question", LlmTests.QUESTION));

        List<String> names = events.stream().map(LlmTests.Event::name).toList();
        assertThat(names.getLast()).isEqualTo("done");
        assertThat(names.stream().filter("delta"::equals).count())
                .as(names.toString())
                .isGreaterThan(5);
        int citation = names.indexOf("citation");
        int markerDelta = -1;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).name().equals("delta")) {
                text.append(events.get(i).data().get("text").asText());
                if (markerDelta < 0 && text.toString().contains("[1]")) {
                    markerDelta = i;
                }
            }
        }
        assertThat(citation).isGreaterThanOrEqualTo(0).isLessThan(markerDelta);
        JsonNode c = events.get(citation).data();
        assertThat(c.get("verified").asBoolean()).isTrue();
        assertThat(c.get("quote").asText()).contains("2x-20x");
        assertThat(c.get("claim").asText()).isEqualTo(LlmTests.SPEEDUP_ANSWER_START);
        assertThat(c.get("locator").get("page").asInt()).isBetween(1, 2);
        JsonNode done = events.getLast().data();
        assertThat(done.get("answer").asText())
                .isEqualTo(text.toString())
                .isEqualTo(LlmTests.SPEEDUP_ANSWER_START + " [1].");
        assertThat(done.get("generator").asText()).isEqualTo("openai:" + FakeOpenAiServer.MODEL);
        assertThat(done.get("grounded").asDouble()).isEqualTo(1.0);
        assertThat(done.has("fallback")).isFalse();

        JsonNode sent = LlmTests.chatRequests().getFirst();
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(sent.get("chat_template_kwargs").get("enable_thinking").asBoolean())
                .isFalse();
        assertThat(FakeOpenAiServer.lastUserText(sent))
                .contains("[1] tracemonkey.pdf, page ")
                .endsWith("Question: " + LlmTests.QUESTION);
    }

    @Test
    void aFollowUpInAConversationSendsTheEarlierTurnsToTheModel() {
        String collection = LlmTests.traceMonkey();
        LlmTests.respond(LlmTests::speedup);
        String conversation = given().contentType(ContentType.JSON)
                .body(Map.of())
                .post("/v1/collections/" + collection + "/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        JsonPath first = ask(Map.of("question", LlmTests.QUESTION, "conversationId", conversation));
        assertThat(first.getInt("turn")).isEqualTo(1);
        ask(Map.of("question", "And what does it compile them to?", "conversationId", conversation));
        JsonNode second = LlmTests.chatRequests().getLast();
        List<String> roles = new java.util.ArrayList<>();
        second.get("messages").forEach(m -> roles.add(m.path("role").asText()));
        String messages = second.get("messages").toString();
        assertThat(messages)
                .contains(LlmTests.QUESTION)
                .contains(LlmTests.SPEEDUP_ANSWER_START)
                .contains("And what does it compile them to?");
        assertThat(roles).contains("assistant");
    }

    @Test
    void aFollowUpIsSearchedAsTheStandaloneQuestionTheModelRewroteItTo() {
        String collection = LlmTests.traceMonkey();
        LlmTests.respond(LlmTests::speedup, r -> Reply.text(LlmTests.QUESTION));
        String conversation = given().contentType(ContentType.JSON)
                .body(Map.of())
                .post("/v1/collections/" + collection + "/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        ask(Map.of("question", "What is TraceMonkey?", "conversationId", conversation));
        assertThat(LlmTests.rewriteRequests())
                .as("a first question is not rewritten")
                .isEmpty();
        double rewritten = LlmTests.metric("omnirag_followups_rewrites_total", "outcome=\"rewritten\"");

        ask(Map.of("question", "How much faster does it make them?", "conversationId", conversation));

        JsonNode rewrite = LlmTests.rewriteRequests().getLast();
        assertThat(FakeOpenAiServer.lastUserText(rewrite))
                .contains("User: What is TraceMonkey?")
                .endsWith("Last question: How much faster does it make them?");
        // The sources the model answers from were retrieved for the rewritten question: the speedup passage is one.
        assertThat(FakeOpenAiServer.lastUserText(LlmTests.chatRequests().getLast()))
                .contains("2x-20x");
        assertThat(LlmTests.metric("omnirag_followups_rewrites_total", "outcome=\"rewritten\""))
                .isEqualTo(rewritten + 1);
    }

    @Test
    void whenTheRewriteFailsTheFollowUpIsSearchedWithTheEarlierQuestionsWords() {
        String collection = LlmTests.traceMonkey();
        LlmTests.respond(LlmTests::speedup, r -> Reply.text(""));
        String conversation = given().contentType(ContentType.JSON)
                .body(Map.of())
                .post("/v1/collections/" + collection + "/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        ask(Map.of("question", LlmTests.QUESTION, "conversationId", conversation));
        double failed = LlmTests.metric("omnirag_followups_rewrites_total", "outcome=\"failed\"");

        JsonPath second = ask(Map.of("question", "And for the others?", "conversationId", conversation));

        assertThat(second.getString("answer")).isNotBlank();
        assertThat(second.getInt("turn")).isEqualTo(2);
        assertThat(LlmTests.metric("omnirag_followups_rewrites_total", "outcome=\"failed\""))
                .isEqualTo(failed + 1);
        assertThat(FakeOpenAiServer.lastUserText(LlmTests.chatRequests().getLast()))
                .contains("2x-20x");
    }

    @Test
    void aFabricatedSeventhCitationWithThreeSourcesIsDroppedAndCounted() {
        LlmTests.respond(r -> Reply.text(LlmTests.SPEEDUP_ANSWER_START + " [7]. " + "It traces hot loops ["
                + FakeOpenAiServer.sourceNumberContaining(r, "2x-20x") + "]."));
        double before = LlmTests.metric("omnirag_citations_dropped_total", "reason=\"out_of_range\"");

        JsonPath answer = ask(Map.of("question", LlmTests.QUESTION, "k", 3));

        assertThat(FakeOpenAiServer.lastUserText(LlmTests.chatRequests().getFirst()))
                .contains("[3] ")
                .doesNotContain("[4] ");
        assertThat(answer.getString("answer")).doesNotContain("[7]").startsWith(LlmTests.SPEEDUP_ANSWER_START + ".");
        assertThat(answer.getList("citations")).hasSize(1);
        assertThat(LlmTests.metric("omnirag_citations_dropped_total", "reason=\"out_of_range\""))
                .isEqualTo(before + 1);
    }

    @Test
    void aCitedSentenceThatDoesNotMatchItsSourceIsFlaggedUnverified() {
        LlmTests.respond(r -> Reply.text("Penguins huddle together to survive the Antarctic winter [1]. "
                + LlmTests.SPEEDUP_ANSWER_START + " [" + FakeOpenAiServer.sourceNumberContaining(r, "2x-20x") + "]."));
        double before = LlmTests.metric("omnirag_citations_total", "verified=\"false\"");

        JsonPath answer = ask(Map.of("question", LlmTests.QUESTION));

        assertThat(answer.getList("citations.verified")).containsExactly(false, true);
        assertThat(answer.getString("citations[0].claim"))
                .isEqualTo("Penguins huddle together to survive the Antarctic winter");
        assertThat(answer.getDouble("grounded")).isEqualTo(0.5);
        assertThat(LlmTests.metric("omnirag_citations_total", "verified=\"false\""))
                .isEqualTo(before + 1);
    }

    @Test
    void whenTheGeneratorIsDownAskFallsBackToTheExtractiveAnswerAndSaysWhy() {
        LlmTests.respond(LlmTests::speedup).enqueue(Behaviour.status(500), Behaviour.status(503));

        JsonPath answer = ask(Map.of("question", LlmTests.QUESTION));

        assertThat(answer.getBoolean("fallback")).isTrue();
        assertThat(answer.getString("fallbackReason"))
                .contains("openai:fake-moe failed", "HTTP 503", "after 2 attempts");
        assertThat(answer.getString("generator")).isEqualTo("extractive");
        assertThat(answer.getList("citations.quote").toString()).contains("2x-20x");
        assertThat(answer.getList("citations.verified")).containsOnly(true);
    }

    @Test
    void whenTheGeneratorStallsAskFallsBackAfterTheReadTimeout() {
        LlmTests.respond(LlmTests::speedup).enqueue(Behaviour.stall(Duration.ofSeconds(20)));
        long start = System.nanoTime();

        JsonPath answer = ask(Map.of("question", LlmTests.QUESTION));

        // Connect + read timeout are 1 s each; the rest is retrieval and the extractive answer on a busy machine.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        assertThat(answer.getBoolean("fallback")).isTrue();
        assertThat(answer.getString("fallbackReason")).contains("did not answer within 2000 ms (read timeout)");
    }

    @Test
    void aStreamThatBreaksMidAnswerRestartsWithTheFallbackAnswer() {
        LlmTests.respond(LlmTests::speedup).enqueue(Behaviour.malformedAfter(4));

        List<LlmTests.Event> events = askStream(Map.of("question", LlmTests.QUESTION));

        List<String> names = events.stream().map(LlmTests.Event::name).toList();
        int restart = names.indexOf("restart");
        assertThat(restart).as(names.toString()).isPositive();
        assertThat(names.subList(0, restart)).contains("delta");
        StringBuilder after = new StringBuilder();
        for (LlmTests.Event e : events.subList(restart, events.size())) {
            if (e.name().equals("delta")) {
                after.append(e.data().get("text").asText());
            }
        }
        JsonNode done = events.getLast().data();
        assertThat(done.get("fallback").asBoolean()).isTrue();
        assertThat(done.get("fallbackReason").asText()).contains("malformed chunk");
        assertThat(done.get("answer").asText()).isEqualTo(after.toString()).contains("2x-20x");
    }

    @Test
    void searchRerankedByTheMllmPutsThePassageItSaysYesToFirst() {
        LlmTests.respond(LlmTests::speedup);
        String url = "/v1/collections/" + LlmTests.traceMonkey() + "/search";
        String query = "tracing JIT compilers for dynamic languages";

        given().contentType(ContentType.JSON)
                .body(Map.of("query", query, "k", 10))
                .post(url)
                .then()
                .statusCode(200)
                .body("rerank", equalTo("none"));
        FakeLlmResource.server().reset();
        LlmTests.respond(LlmTests::speedup);
        JsonPath reranked = given().contentType(ContentType.JSON)
                .body(Map.of("query", query, "k", 10, "rerank", "mllm"))
                .post(url)
                .then()
                .statusCode(200)
                .body("rerank", equalTo("mllm"))
                .extract()
                .jsonPath();

        assertThat(reranked.getString("results[0].text")).contains("2x-20x");
        assertThat(reranked.getDouble("results[0].score")).isEqualTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(reranked.getString("rerankFailure")).isNull();
        List<String> texts = reranked.getList("results.text");
        List<Float> scores = reranked.getList("results.score", Float.class);
        int lastYes = -1;
        int firstNo = texts.size();
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).contains("2x-20x")) {
                lastYes = i;
                assertThat(scores.get(i)).isCloseTo(0.9f, org.assertj.core.data.Offset.offset(1e-6f));
            } else {
                firstNo = Math.min(firstNo, i);
                assertThat(scores.get(i)).isCloseTo(0.1f, org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
        assertThat(lastYes).isLessThan(firstNo);
        long judged = FakeLlmResource.server().requests().stream()
                .filter(LlmTests::isJudge)
                .count();
        assertThat(judged).isEqualTo(20);
    }

    @Test
    void whenTheMllmRerankerFailsTheFirstStageOrderStandsAndTheResponseSaysWhy() {
        LlmTests.respond(LlmTests::speedup).enqueue(Behaviour.status(500));
        String url = "/v1/collections/" + LlmTests.traceMonkey() + "/search";
        String query = "tracing JIT compilers for dynamic languages";

        List<String> plain = given().contentType(ContentType.JSON)
                .body(Map.of("query", query, "k", 5))
                .post(url)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("results.chunkId");
        JsonPath failed = given().contentType(ContentType.JSON)
                .body(Map.of("query", query, "k", 5, "rerank", "mllm"))
                .post(url)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(failed.getList("results.chunkId")).isEqualTo(plain);
        assertThat(failed.getString("rerankFailure")).contains("HTTP 500");
    }

    @Test
    void askTakesARerankerAndRejectsUnknownOnes() {
        LlmTests.respond(LlmTests::speedup);
        JsonPath answer = ask(Map.of("question", LlmTests.QUESTION, "rerank", "mllm", "k", 3));
        assertThat(answer.getString("rerank")).isEqualTo("mllm");
        // The judge put the speedup passage first, so it is source [1] of the prompt.
        assertThat(FakeOpenAiServer.sourceNumberContaining(
                        LlmTests.chatRequests().getFirst(), "2x-20x"))
                .isEqualTo(1);
        given().contentType(ContentType.JSON)
                .body(Map.of("question", LlmTests.QUESTION, "rerank", "colbert"))
                .post("/v1/collections/" + LlmTests.traceMonkey() + "/ask")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "detail",
                        equalTo("rerank must be one of [none, local, mllm, cross-encoder, remote]; rerank=colbert"));
    }
}
