package dev.omnirag.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnirag.generator.ChatTurn;
import dev.omnirag.index.SearchHit;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.search.AskService;
import dev.omnirag.server.search.SearchProfile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Follow-up questions in a conversation find what the earlier question named: the set in
 * {@code src/test/resources/eval/followups.json} (written over ../shared/media), each follow-up retrieved alone and
 * after its first question, with the server's own retrieval (hybrid, default profile, no LLM: the earlier questions'
 * words and embeddings). Prints hit@1, hit@5 and MRR@10 of the pages that answer it, before and after (the figures in
 * docs/evaluation.md).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FollowUpRetrievalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AskService ask;

    @Inject
    Db db;

    private JsonNode set;
    private String collection;

    @BeforeEach
    void ingestTheSharedMediaOnce() throws IOException {
        if (collection != null) {
            return;
        }
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/eval/followups.json"))) {
            set = JSON.readTree(in);
        }
        collection = TestSupport.createCollection("followups");
        List<String> jobs = new ArrayList<>();
        for (JsonNode file : set.get("files")) {
            jobs.add(TestSupport.upload(collection, TestSupport.shared(file.asText()), 202)
                    .getString("jobId"));
        }
        for (String job : jobs) {
            JsonPath done = TestSupport.awaitJob(job);
            assertThat(done.getString("status"))
                    .as("job error: %s", done.getString("error"))
                    .isEqualTo("succeeded");
        }
    }

    @Test
    void followUpsFindThePagesTheirFirstQuestionNamedMoreOftenThanAlone() {
        CollectionEntity c = db.read(() -> CollectionEntity.<CollectionEntity>findById(UUID.fromString(collection)));
        double[] before = new double[3];
        double[] after = new double[3];
        int n = 0;
        StringBuilder table =
                new StringBuilder(String.format(Locale.ROOT, "%-45s %6s %6s%n", "follow-up", "alone", "in conv"));
        for (JsonNode item : set.get("items")) {
            String first = item.get("first").asText();
            String followUp = item.get("followUp").asText();
            String answer = ask.answer(
                            first,
                            List.of(),
                            ask.retrieve(c, first, 5, null, SearchProfile.FAST).hits(),
                            AskService.SILENT)
                    .answer()
                    .text();
            List<ChatTurn> history =
                    List.of(new ChatTurn(ChatTurn.USER, first), new ChatTurn(ChatTurn.ASSISTANT, answer));
            int alone = rank(
                    ask.retrieve(c, followUp, List.of(), 10, null, SearchProfile.FAST)
                            .hits(),
                    item.get("relevant"));
            int inConversation = rank(
                    ask.retrieve(c, followUp, history, 10, null, SearchProfile.FAST)
                            .hits(),
                    item.get("relevant"));
            add(before, alone);
            add(after, inConversation);
            n++;
            table.append(String.format(Locale.ROOT, "%-45s %6s %6s%n", followUp, show(alone), show(inConversation)));
        }
        for (double[] m : List.of(before, after)) {
            for (int i = 0; i < m.length; i++) {
                m[i] /= n;
            }
        }
        System.out.print(table);
        System.out.printf(
                Locale.ROOT,
                "follow-ups (%d): alone hit@1 %.3f hit@5 %.3f MRR@10 %.3f; in conversation hit@1 %.3f"
                        + " hit@5 %.3f MRR@10 %.3f%n",
                n,
                before[0],
                before[1],
                before[2],
                after[0],
                after[1],
                after[2]);

        assertThat(after[2]).as("MRR@10 in conversation vs alone").isGreaterThan(before[2] + 0.05);
        assertThat(after[1]).as("hit@5 in conversation vs alone").isGreaterThan(before[1]);
    }

    @Test
    void aFollowUpAskedInAConversationCitesWhatTheFirstQuestionFound() {
        String conversation = given().contentType(ContentType.JSON)
                .body(Map.of())
                .post("/v1/collections/" + collection + "/conversations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        JsonPath first =
                ask(Map.of("question", "ask not what your country can do for you", "conversationId", conversation));
        assertThat(first.getList("citations.filename", String.class)).contains("jfk.wav");

        JsonPath alone = ask(Map.of("question", "Who is speaking there?"));
        JsonPath followUp = ask(Map.of("question", "Who is speaking there?", "conversationId", conversation));

        assertThat(alone.getList("citations.filename", String.class)).doesNotContain("jfk.wav");
        assertThat(followUp.getList("citations.filename", String.class)).contains("jfk.wav");
        assertThat(followUp.getInt("turn")).isEqualTo(2);
    }

    private JsonPath ask(Map<String, Object> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/collections/" + collection + "/ask")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** 1-based rank of the first hit on a relevant page among the hits, 0 when none is. */
    private static int rank(List<SearchHit> hits, JsonNode relevant) {
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            for (JsonNode r : relevant) {
                boolean page = r.get("page").isNull()
                        || Objects.equals(h.locator().page(), r.get("page").asInt());
                if (h.filename().equals(r.get("file").asText()) && page) {
                    return i + 1;
                }
            }
        }
        return 0;
    }

    private static void add(double[] metrics, int rank) {
        metrics[0] += rank == 1 ? 1 : 0;
        metrics[1] += rank >= 1 && rank <= 5 ? 1 : 0;
        metrics[2] += rank == 0 ? 0 : 1.0 / rank;
    }

    private static String show(int rank) {
        return rank == 0 ? "-" : Integer.toString(rank);
    }
}
