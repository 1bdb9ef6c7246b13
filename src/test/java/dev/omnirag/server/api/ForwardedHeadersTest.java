package dev.omnirag.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {

    @Test
    void theStandardHeaderWinsAndItsFirstElementCounts() {
        assertThat(ForwardedHeaders.base(
                        "for=1.2.3.4;host=rag.example.com;proto=https, host=inner:8080", "x.example", "http"))
                .isEqualTo("https://rag.example.com");
        assertThat(ForwardedHeaders.base("host=\"rag.example.com:8443\";proto=HTTPS", null, null))
                .isEqualTo("https://rag.example.com:8443");
    }

    @Test
    void theDeFactoHeadersAreUsedWithoutForwarded() {
        assertThat(ForwardedHeaders.base(null, "rag.example.com, proxy.internal", "https"))
                .isEqualTo("https://rag.example.com");
        assertThat(ForwardedHeaders.base(null, "[::1]:8080", null)).isEqualTo("http://[::1]:8080");
    }

    @Test
    void hostsThatCouldBendTheUrlAreRefused() {
        assertThat(ForwardedHeaders.base(null, "evil.example/path?", "https")).isNull();
        assertThat(ForwardedHeaders.base(null, "a@b.example", "https")).isNull();
        assertThat(ForwardedHeaders.base(null, "rag.example.com", "javascript")).isNull();
        assertThat(ForwardedHeaders.base("for=1.2.3.4", null, null)).isNull();
    }
}
