package dev.omnirag.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.omnirag.embeddings.EmbeddingException;
import dev.omnirag.generator.GenerationException;
import dev.omnirag.index.IndexException;
import dev.omnirag.media.MediaException;
import dev.omnirag.reranker.RerankException;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** What a client is told about failures it did not cause: an error id, never the exception's text. */
class ProblemMapperTest {

    private final ProblemMapper mapper = new ProblemMapper(null, null, null);

    private static Problem problem(Response r) {
        return (Problem) r.getEntity();
    }

    @Test
    void anUnexpectedFailureAnswers500WithAnErrorIdAndNoneOfItsText() {
        Response r = mapper.unexpected(new IllegalStateException("SELECT secret FROM api_keys WHERE x = 'y'"), null);
        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(problem(r).detail())
                .matches("internal error err-[0-9a-f]+ .*")
                .doesNotContain("SELECT")
                .doesNotContain("IllegalStateException");
    }

    /**
     * Request values are refused by Bean Validation or as {@code ApiException}; an IllegalArgumentException that gets
     * this far is the server's own (a library refusing what the server gave it), so it has no mapper of its own.
     */
    @Test
    void anIllegalArgumentFromInsideTheServerIsA500NotABadRequest() {
        assertThat(java.util.Arrays.stream(ProblemMapper.class.getMethods())
                        .filter(m ->
                                m.isAnnotationPresent(org.jboss.resteasy.reactive.server.ServerExceptionMapper.class))
                        .map(m -> m.getParameterTypes()[0]))
                .doesNotContain(IllegalArgumentException.class);
        Response r = mapper.unexpected(new IllegalArgumentException("k must be in 1..100; k=0"), null);
        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(problem(r).detail()).doesNotContain("k must be");
    }

    @Test
    void aValueTheDatabaseCannotStoreAnswers400WithoutTheSql() {
        PgException pg = new PgException(
                "invalid byte sequence for encoding \"UTF8\": 0x00",
                "ERROR",
                "22021",
                "INSERT INTO documents (filename) VALUES ($1)");
        Response r = mapper.unexpected(new RuntimeException("wrapped", pg), null);
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(problem(r).detail())
                .contains("cannot be stored")
                .doesNotContain("INSERT")
                .doesNotContain("UTF8");
    }

    @Test
    void aDuplicateKeyAnswers409WithoutTheConstraintName() {
        PgException pg = new PgException(
                "duplicate key value violates unique constraint \"documents_collection_sha\"",
                "ERROR",
                "23505",
                "Key (collection_id, sha256)=(...) already exists.");
        Response r = mapper.unexpected(new RuntimeException(pg), null);
        assertThat(r.getStatus()).isEqualTo(409);
        assertThat(problem(r).detail())
                .doesNotContain("documents_collection_sha")
                .doesNotContain("duplicate key");
    }

    @Test
    void everyLibraryFailureIsAnsweredByItsKindInOnePlace() {
        Response down = mapper.library(
                new GenerationException.Retriable("the generator at http://llm/v1 answered HTTP 503: busy", null),
                null);
        assertThat(down.getStatus()).isEqualTo(503);
        assertThat(down.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(problem(down).detail()).isEqualTo("the generator at http://llm/v1 answered HTTP 503: busy");
        assertThat(mapper.library(new EmbeddingException.Retriable("busy", null), null)
                        .getStatus())
                .isEqualTo(503);
        assertThat(mapper.library(new RerankException.Retriable("busy", null), null)
                        .getStatus())
                .isEqualTo(503);

        // The request's own image is the client's: 400. A missing tool or model is the server's set-up: 500.
        Response image = mapper.library(new MediaException.NonRetriable("the image is truncated"), null);
        assertThat(image.getStatus()).isEqualTo(400);
        assertThat(problem(image).detail()).isEqualTo("the image is truncated");
        assertThat(mapper.library(new MediaException.Misconfigured("tesseract is not installed"), null)
                        .getStatus())
                .isEqualTo(500);
        assertThat(mapper.library(new IndexException.NonRetriable("vector of 3 dimensions; the index has 384"), null)
                        .getStatus())
                .isEqualTo(500);
        assertThat(mapper.library(new EmbeddingException.NonRetriable("model file missing"), null)
                        .getStatus())
                .isEqualTo(500);
    }

    @Test
    void aStreamThatFailsAfterItStartedTellsTheSameAsAStatusLineWould() {
        ProblemMapper.StreamFailure down = ProblemMapper.streamFailure(
                new GenerationException.Retriable("the generator at http://llm/v1 is down", null));
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.retriable()).isTrue();
        assertThat(down.detail()).isEqualTo("the generator at http://llm/v1 is down");
        ProblemMapper.StreamFailure bug =
                ProblemMapper.streamFailure(new NullPointerException("Cannot invoke \"dev.omnirag.Secret.x()\""));
        assertThat(bug.status()).isEqualTo(500);
        assertThat(bug.detail())
                .matches("internal error err-[0-9a-f]+ .*")
                .doesNotContain("dev.omnirag")
                .doesNotContain("NullPointerException");
    }

    @Test
    void aServerThatIsMisconfiguredAnswers500NamingTheKeyNot400() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.omnirag.server.config.Misconfiguration.building(
                        "omnirag.generator.*",
                        () -> dev.omnirag.generator.OpenAiChatClient.transportBuilder()
                                .baseUrl("ftp://llm")
                                .build()))
                .isInstanceOfSatisfying(dev.omnirag.server.config.Misconfiguration.class, e -> {
                    Response r = mapper.library(e, null);
                    assertThat(r.getStatus()).isEqualTo(500);
                    assertThat(problem(r).detail())
                            .isEqualTo(
                                    "the configuration omnirag.generator.* is refused: baseUrl must be an http(s) URL; "
                                            + "baseUrl=\"ftp://llm\"");
                });
    }
}
