package dev.omnirag.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong();
    private final CircuitBreaker breaker = new CircuitBreaker("http://llm", 3, Duration.ofSeconds(10), now::get);

    @Test
    void opensAfterThresholdConsecutiveFailuresAndRefusesCalls() {
        for (int i = 0; i < 3; i++) {
            breaker.acquire();
            breaker.onFailure();
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThatThrownBy(breaker::acquire).isInstanceOf(GenerationException.Retriable.class)
                .hasMessageContaining("circuit breaker open: http://llm failed 3 times in a row");
    }

    @Test
    void aSuccessResetsTheFailureCount() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void afterTheOpenDurationOneTrialPassesAndItsOutcomeDecides() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        breaker.acquire();
        assertThatThrownBy(breaker::acquire).hasMessageContaining("trial call");
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        breaker.acquire();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        breaker.acquire();
    }

    @Test
    void aReleasedTrialLetsTheNextOneThrough() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        breaker.acquire();
        breaker.release();
        breaker.acquire();
    }

    @Test
    void rejectsInvalidParametersNamingThem() {
        assertThatThrownBy(() -> new CircuitBreaker("x", 0, Duration.ofSeconds(1)))
                .hasMessage("failureThreshold must be at least 1; failureThreshold=0");
        assertThatThrownBy(() -> new CircuitBreaker("x", 1, Duration.ZERO))
                .hasMessage("openDuration must be positive; openDuration=PT0S");
    }
}
