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
        public void onDelta(String text) {
        }

        @Override
        public void onCitation(Citation citation) {
        }
    };

    /** The next piece of answer text; the pieces, concatenated in call order, equal {@link Answer#text()}. */
    void onDelta(String text);

    /** A complete citation, reported no later than the delta that contains its {@code [n]} marker. */
    void onCitation(Citation citation);
}
