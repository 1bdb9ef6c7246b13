package dev.omnirag.server.api;

import dev.omnirag.generator.TokenCounter;

/**
 * The streamed answer as {@link ChatOptions} cut it: what may be sent of the text so far, holding back a tail
 * that could be the start of a stop sequence until the next delta shows it is not.
 */
final class StreamCut {

    private static final TokenCounter TOKENS = TokenCounter.approximate();

    private final ChatOptions options;
    private final int holdBack;
    private final StringBuilder raw = new StringBuilder();
    private int sentChars;
    private boolean finished;
    private boolean length;

    StreamCut(ChatOptions options) {
        this.options = options;
        this.holdBack = options.stop().stream().mapToInt(String::length).max().orElse(1) - 1;
    }

    /** The next piece to send after {@code delta} arrived ({@code last}: nothing more will). */
    String add(String delta, boolean last) {
        if (finished) {
            return "";
        }
        raw.append(delta);
        ChatOptions.Cut cut = options.cut(raw.toString(), TOKENS);
        boolean done = last || cut.length() || cut.text().length() < raw.length();
        int upTo = done ? cut.text().length() : Math.max(sentChars, cut.text().length() - holdBack);
        String next = cut.text().substring(sentChars, upTo);
        sentChars = upTo;
        if (done) {
            finished = true;
            length = cut.length();
        }
        return next;
    }

    void restart() {
        raw.setLength(0);
        sentChars = 0;
        finished = false;
        length = false;
    }

    boolean cutByLength() {
        return length;
    }

    String text() {
        return raw.substring(0, sentChars);
    }
}
