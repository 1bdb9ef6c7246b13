package dev.omnirag.generator;

import java.util.Objects;

/**
 * Answers with a primary generator (a language model) and, when it fails, with a fallback (the extractive
 * generator) that cannot fail for the same reason, so the user still gets a cited answer.
 *
 * <p>Any {@link GenerationException} of the primary (server down, circuit open, timeout, malformed stream, empty
 * answer, a 4xx such as an unknown model) triggers the fallback; the answer is then marked
 * {@link Answer#fallback()} with the reason. If the primary had already streamed part of its answer, the
 * listener gets {@link AnswerListener#onRestart()} before the fallback's answer streams. Failures of the
 * fallback itself propagate. The library does not log; callers log {@link Answer#fallbackReason()}.
 *
 * <p>Immutable and thread safe when both generators are.
 */
public final class FallbackGenerator implements Generator {

    private final Generator primary;
    private final Generator fallback;

    /**
     * @param primary  tried first
     * @param fallback answers when the primary fails
     */
    public FallbackGenerator(Generator primary, Generator fallback) {
        if (primary == null) {
            throw new IllegalArgumentException("primary must not be null; primary=null");
        }
        if (fallback == null) {
            throw new IllegalArgumentException("fallback must not be null; fallback=null");
        }
        this.primary = primary;
        this.fallback = fallback;
    }

    public Generator primary() {
        return primary;
    }

    public Generator fallback() {
        return fallback;
    }

    /** The primary's name: what answers normally. */
    @Override
    public String name() {
        return primary.name();
    }

    /** The name of the generator that produced {@code answer}: the fallback's when it is a fallback answer. */
    public String nameOf(Answer answer) {
        return answer.fallback() ? fallback.name() : primary.name();
    }

    @Override
    public Answer generate(GenerationRequest request, AnswerListener listener) {
        Objects.requireNonNull(request, "request must not be null");
        Objects.requireNonNull(listener, "listener must not be null");
        boolean[] started = new boolean[1];
        AnswerListener tracking = new AnswerListener() {
            @Override
            public void onDelta(String text) {
                started[0] = true;
                listener.onDelta(text);
            }

            @Override
            public void onCitation(Citation citation) {
                started[0] = true;
                listener.onCitation(citation);
            }

            @Override
            public void onRestart() {
                listener.onRestart();
            }

            @Override
            public boolean acceptsRestart() {
                return listener.acceptsRestart();
            }

            @Override
            public void onDroppedCitation(int marker, String reason) {
                listener.onDroppedCitation(marker, reason);
            }
        };
        try {
            return primary.generate(request, tracking);
        } catch (GenerationException e) {
            String reason = primary.name() + " failed: " + e.getMessage();
            if (started[0]) {
                listener.onRestart();
            }
            return fallback.generate(request, listener).asFallback(reason);
        }
    }

    @Override
    public String toString() {
        return "FallbackGenerator[primary=" + primary + ", fallback=" + fallback + "]";
    }
}
