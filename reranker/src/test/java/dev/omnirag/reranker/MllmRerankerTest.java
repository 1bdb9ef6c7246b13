package dev.omnirag.reranker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnirag.generator.fake.FakeOpenAiServer;
import dev.omnirag.generator.fake.FakeOpenAiServer.Behaviour;
import dev.omnirag.generator.fake.FakeOpenAiServer.Reply;
import dev.omnirag.index.SearchHit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MLLM reranker against the fake OpenAI-protocol server, which answers yes/no with top logprobs. */
class MllmRerankerTest {

    private static FakeOpenAiServer server;

    @BeforeAll
    static void start() {
        server = FakeOpenAiServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
        // The judge says yes with the probability written in the passage: "p=0.9" -> P(yes) = 0.9.
        server.respond(r -> {
            String text = FakeOpenAiServer.lastUserText(r);
            int at = text.indexOf("p=");
            return Reply.yesNo(at < 0 ? 0.5 : Double.parseDouble(text.substring(at + 2, at + 5)));
        });
    }

    private static MllmReranker.Builder reranker() {
        return MllmReranker.builder().baseUrl(server.baseUrl()).model("fake-vl").deadline(Duration.ofSeconds(5));
    }

    @Test
    void reordersByTheProbabilityOfYes() {
        List<SearchHit> hits = Hits.of("first p=0.2", "second p=0.9", "third p=0.6", "fourth p=0.1");

        Reranking r = reranker().build().rerank(new RerankRequest("which one?", hits, 3));
        // (Requests of an earlier test cancelled mid-flight may still arrive: count this test's own.)

        assertThat(r.applied()).isTrue();
        assertThat(Hits.ids(r.hits())).containsExactly("h1", "h2", "h0");
        assertThat(r.hits().get(0).score()).isCloseTo(0.9, within(1e-9));
        assertThat(r.hits().get(1).score()).isCloseTo(0.6, within(1e-9));
        assertThat(r.hits().get(2).score()).isCloseTo(0.2, within(1e-9));
        assertThat(server.requests().stream().filter(q -> q.toString().contains("which one?")))
                .hasSize(4);
    }

    @Test
    void asksForOneTokenWithLogprobsAndSendsImagesAsImageUrlParts() {
        List<SearchHit> hits = List.of(
                Hits.hit("txt", "a passage p=0.3", 0.5, "text/plain"),
                Hits.hit("img", "a dog on a beach p=0.8", 0.4, "image/png"));
        MllmReranker r = reranker()
                .imageUrl(h -> h.mediaType().startsWith("image/") ? "data:image/png;base64,AAAA" : null)
                .extraBody(Map.of("chat_template_kwargs", Map.of("enable_thinking", false)))
                .build();

        Reranking result = r.rerank(new RerankRequest("where is the dog?", hits, 2));

        assertThat(Hits.ids(result.hits())).containsExactly("img", "txt");
        // Only this test's requests: one of an earlier test cancelled mid-flight may still arrive after the reset.
        JsonNode text = server.requests().stream()
                .filter(q -> q.toString().contains("where is the dog?"))
                .filter(q -> q.toString().contains("Passage:"))
                .findFirst()
                .orElseThrow();
        assertThat(text.get("max_tokens").asInt()).isEqualTo(1);
        assertThat(text.get("logprobs").asBoolean()).isTrue();
        assertThat(text.get("top_logprobs").asInt()).isEqualTo(5);
        assertThat(text.get("temperature").asDouble()).isZero();
        assertThat(text.get("chat_template_kwargs").get("enable_thinking").asBoolean())
                .isFalse();
        assertThat(text.get("messages").get(1).get("content").asText()).startsWith("Question: where is the dog?");
        JsonNode image = server.requests().stream()
                .filter(q -> q.toString().contains("where is the dog?"))
                .filter(q -> q.toString().contains("image_url"))
                .findFirst()
                .orElseThrow();
        List<String> types = new ArrayList<>();
        image.get("messages")
                .get(1)
                .get("content")
                .forEach(p -> types.add(p.get("type").asText()));
        assertThat(types).containsExactly("text", "image_url", "text");
    }

    @Test
    void onlyTheTopCandidatesAreJudgedTheRestFollowWithScoreZero() {
        List<SearchHit> hits = Hits.of("a p=0.1", "b p=0.7", "c p=0.9");

        Reranking r = reranker().candidates(2).build().rerank(new RerankRequest("top candidates?", hits, 3));

        assertThat(Hits.ids(r.hits())).containsExactly("h1", "h0", "h2");
        assertThat(r.hits().get(2).score()).isZero();
        assertThat(server.requests().stream().filter(q -> q.toString().contains("top candidates?")))
                .hasSize(2);
    }

    @Test
    void aFailingModelLeavesTheFirstStageOrderAndSaysWhy() {
        server.enqueue(Behaviour.status(500));
        List<SearchHit> hits = Hits.of("a p=0.1", "b p=0.7", "c p=0.9");

        Reranking r = reranker().concurrency(1).build().rerank(new RerankRequest("q", hits, 2));

        assertThat(r.applied()).isFalse();
        assertThat(r.reason()).contains("HTTP 500");
        assertThat(r.hits()).isEqualTo(hits.subList(0, 2));
    }

    @Test
    void aSlowModelMissesTheDeadlineAndTheFirstStageOrderStands() {
        server.enqueue(Behaviour.stall(Duration.ofSeconds(3)));
        List<SearchHit> hits = Hits.of("a p=0.1", "b p=0.7");
        long start = System.nanoTime();

        Reranking r = reranker().deadline(Duration.ofMillis(400)).build().rerank(new RerankRequest("q", hits, 2));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        assertThat(r.applied()).isFalse();
        assertThat(r.reason()).contains("deadline of 400 ms");
        assertThat(Hits.ids(r.hits())).containsExactly("h0", "h1");
    }

    @Test
    void aServerThatIsDownLeavesTheOrder() {
        Reranking r = MllmReranker.builder()
                .baseUrl("http://127.0.0.1:1/v1")
                .model("m")
                .build()
                .rerank(new RerankRequest("q", Hits.of("a", "b"), 2));
        assertThat(r.applied()).isFalse();
        assertThat(r.reason()).contains("cannot connect to the reranker model");
    }

    @Test
    void pYesAddsUpYesVariantsAndNeedsLogprobs() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode completion = json.readTree("""
                {"choices":[{"logprobs":{"content":[{"token":"Yes","logprob":-0.5,"top_logprobs":[
                  {"token":"Yes","logprob":%s},{"token":" yes","logprob":%s},{"token":"No","logprob":%s},
                  {"token":"Maybe","logprob":-3}]}]}}]}""".formatted(Math.log(0.5), Math.log(0.1), Math.log(0.2)));
        assertThat(MllmReranker.pYes(completion)).isCloseTo(0.6 / 0.8, within(1e-9));
        assertThat(MllmReranker.pYes(json.readTree("{\"choices\":[{\"logprobs\":{\"content\":[{\"token\":\"Maybe\","
                        + "\"logprob\":-0.1,\"top_logprobs\":[]}]}}]}")))
                .isZero();
        assertThatThrownBy(
                        () -> MllmReranker.pYes(json.readTree("{\"choices\":[{\"message\":{\"content\":\"yes\"}}]}")))
                .isInstanceOf(RerankException.NonRetriable.class)
                .hasMessageContaining("no logprobs");
    }

    @Test
    void builderRejectsInvalidParametersNamingThem() {
        assertThatThrownBy(() -> MllmReranker.builder().model("m").build()).hasMessageContaining("baseUrl is required");
        assertThatThrownBy(() -> reranker().model(null).build()).hasMessage("model must not be blank; model=null");
        assertThatThrownBy(() -> reranker().candidates(0).build())
                .hasMessage("candidates must be in 1..200; candidates=0");
        assertThatThrownBy(() -> reranker().topLogprobs(30).build())
                .hasMessage("topLogprobs must be in 2..20; topLogprobs=30");
        assertThatThrownBy(() -> reranker().deadline(Duration.ZERO).build())
                .hasMessage("deadline must be a positive duration; deadline=PT0S");
    }
}
