package dev.omnirag.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport against a small HTTP server started here: the event stream as servers really send it (comments,
 * event names, data split over lines, no blank line after [DONE]), and the one retry and breaker policy. The
 * chat, embeddings and reranker clients' own tests cover the rest through their protocols.
 */
class OpenAiTransportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 200;
    private volatile String body = "{\"ok\":true}";
    private volatile String contentType = "application/json";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        requests.incrementAndGet();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private OpenAiTransport.Builder transport() {
        return OpenAiTransport.builder()
                .serverName("test server")
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
                .readTimeout(Duration.ofSeconds(5))
                .retryBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(20));
    }

    @Test
    void aStreamHandsOnEachEventsDataUntilDoneWhateverElseTheServerSends() {
        contentType = "text/event-stream";
        body = ": keep-alive\n\n"
                + "event: message\ndata: {\"n\": 1}\n\n"
                + "data: {\"n\":\ndata: 2}\n\n"
                + "id: 3\ndata: {\"n\": 3}\n\n"
                + "data: [DONE]\n";
        List<Integer> seen = new ArrayList<>();
        transport().build().stream(
                "chat/completions",
                JSON.createObjectNode(),
                e -> seen.add(e.get("n").asInt()));
        assertThat(seen).containsExactly(1, 2, 3);
    }

    @Test
    void aStreamThatEndsWithoutDoneIsARetriableFailureAfterTheEventsItSent() {
        contentType = "text/event-stream";
        body = "data: {\"n\": 1}\n\n";
        List<JsonNode> seen = new ArrayList<>();
        assertThatThrownBy(() -> transport().build().stream("chat/completions", JSON.createObjectNode(), seen::add))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("ended the stream without [DONE]")
                .satisfies(
                        e -> assertThat(((TransportException) e).isRetriable()).isTrue());
        assertThat(seen).hasSize(1);
        assertThat(requests).hasValue(1); // never retried once an event reached the caller
    }

    @Test
    void aClientErrorProvesTheServerAliveAndIsNeitherRetriedNorCountedAgainstIt() {
        status = 400;
        body = "{\"error\": {\"message\": \"unknown model m\"}}";
        OpenAiTransport t = transport().breakerFailureThreshold(1).build();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> t.post("embeddings", JSON.createObjectNode()))
                    .isInstanceOf(TransportException.class)
                    .hasMessage("the test server at " + t.baseUrl() + " answered HTTP 400: unknown model m")
                    .satisfies(
                            e -> assertThat(((TransportException) e).status()).isEqualTo(400));
        }
        assertThat(requests).hasValue(3);
        assertThat(t.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void theBreakerOpensAfterTheThresholdThenOneTrialCallClosesIt() {
        status = 503;
        body = "{\"error\": \"overloaded\"}";
        OpenAiTransport t = transport()
                .maxRetries(1)
                .breakerFailureThreshold(2)
                .breakerOpenDuration(Duration.ofMillis(300))
                .build();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> t.post("embeddings", JSON.createObjectNode()))
                    .hasMessageContaining("answered HTTP 503: overloaded (after 2 attempts)");
        }
        assertThat(requests).hasValue(4);
        assertThat(t.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThatThrownBy(() -> t.post("embeddings", JSON.createObjectNode()))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("circuit breaker open")
                .hasMessageContaining("failed 2 times in a row");
        assertThat(requests).hasValue(4);

        status = 200;
        body = "{\"ok\": true}";
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .ignoreException(TransportException.class)
                .until(() ->
                        t.post("embeddings", JSON.createObjectNode()).path("ok").asBoolean());
        assertThat(t.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(requests).hasValue(5);
    }

    @Test
    void aCallWithItsOwnDeadlineIsNotRetried() {
        status = 500;
        OpenAiTransport t = transport().maxRetries(3).build();
        assertThatThrownBy(() -> t.post("embeddings", JSON.createObjectNode(), Duration.ofSeconds(2)))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("HTTP 500");
        assertThat(requests).hasValue(1);
    }

    @Test
    void anEmptyPathPostsToTheBaseUrlItself() {
        OpenAiTransport t = OpenAiTransport.builder()
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/rerank")
                .build();
        assertThat(t.endpoint("")).hasToString(t.baseUrl());
        assertThat(t.post("", JSON.createObjectNode()).path("ok").asBoolean()).isTrue();
    }

    @Test
    void theBuilderNamesWhatItRefuses() {
        assertThatThrownBy(() -> OpenAiTransport.builder().build())
                .hasMessage("baseUrl is required, e.g. http://localhost:8000/v1; baseUrl=null");
        assertThatThrownBy(() -> transport().maxRetries(-1).build())
                .hasMessage("maxRetries must be in 0..10; maxRetries=-1");
        assertThatThrownBy(() -> transport().breakerFailureThreshold(0).build())
                .hasMessage("breakerFailureThreshold must be in 1..1000; breakerFailureThreshold=0");
        assertThatThrownBy(() -> transport().serverName(" ").build())
                .hasMessage("serverName must not be blank; serverName=\" \"");
    }
}
