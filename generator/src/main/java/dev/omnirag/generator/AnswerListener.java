package dev.omnirag.generator;

/**
 * Receives an answer while a {@link Generator} produces it, so a server can stream it to the user.
 *
 * <p>Calls come from the thread that called {@link Generator#generate(GenerationRequest, AnswerListener)},
 * one at a time and before {@code generate} returns. An exception thrown by the listener aborts generation and
 * propagates to the caller unchanged.
 */
public interface AnswerListener {

    /** A listener that ignores everything. */
    AnswerListener NONE = new AnswerListener() {
        @Override
        public void onDelta(String text) {}

        @Override
        public void onCitation(Citation citation) {}
    };

    /**
     * The next piece of answer text; the pieces since the last {@link #onRestart()} (or since the start),
     * concatenated in call order, equal {@link Answer#text()}.
     */
    void onDelta(String text);

    /** A complete citation, reported no later than the delta that contains its {@code [n]} marker. */
    void onCitation(Citation citation);

    /**
     * Everything reported so far is void: the answer starts again (a {@link FallbackGenerator} whose primary
     * failed after it had streamed part of an answer). Default: nothing.
     */
    default void onRestart() {}

    /**
     * Whether text already reported may be withdrawn with {@link #onRestart()} for a better answer: a listener whose
     * reader cannot take text back (a client that keeps every piece it got) answers false, and a generator then
     * reports only text it will keep, at the cost of reporting it later. A model failing mid-answer still restarts.
     * Default: true.
     */
    default boolean acceptsRestart() {
        return true;
    }

    /**
     * A {@code [marker]} the model wrote was left out of the answer: {@code reason} is {@code out_of_range} (it
     * names no source of the request) or {@code unverified} (strict mode: the source does not support the
     * sentence). For metrics. Default: nothing.
     */
    default void onDroppedCitation(int marker, String reason) {}
}
