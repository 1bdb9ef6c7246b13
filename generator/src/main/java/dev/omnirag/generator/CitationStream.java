package dev.omnirag.generator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns streamed model text into answer text with checked citations, as the text arrives.
 *
 * <p>The model cites with the 1-based numbers of the prompt's sources ({@code [2]}, also {@code [1, 3]}).
 * Text that may be the start of a marker is held back until it is known; whitespace before a marker too (so a
 * dropped marker leaves no stray space). When a marker is complete, each number in it is:
 * <ul>
 *   <li>dropped when it names no source of the prompt ({@code out_of_range});</li>
 *   <li>otherwise attached to its claim ({@link Claims#claimBefore}), verified against the source, and
 *       reported with {@link AnswerListener#onCitation} before the text that contains its marker. In strict mode
 *       an unverified one is dropped ({@code unverified}) instead.</li>
 * </ul>
 * Citations are renumbered 1, 2, 3... in order of appearance, so {@code [n]} in the answer is citation n; the
 * same claim citing the same passage twice keeps one number. Deltas go to the listener once per piece of
 * model text, so streaming stays as fine-grained as the model's.
 *
 * <p>One per answer; not thread safe.
 */
final class CitationStream {

    private static final Pattern COMPLETE = Pattern.compile("\\[(\\d{1,3}(?:\\s*,\\s*\\d{1,3})*)]");
    private static final Pattern PREFIX = Pattern.compile("\\[(?:\\d{1,3}(?:\\s*,\\s*\\d{1,3})*\\s*(?:,\\s*)?)?");
    private static final int MAX_PENDING = 32;

    private final List<Source> sources;
    private final int citable;
    private final CitationVerifier.Session verifier;
    private final boolean strict;
    private final AnswerListener listener;

    private final StringBuilder text = new StringBuilder();
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder space = new StringBuilder();
    private int deltaStart;
    private final List<Citation> citations = new ArrayList<>();
    private final Map<String, Integer> numbers = new HashMap<>();

    /**
     * @param sources  the request's sources
     * @param citable  how many of them (the first ones) the prompt showed the model; higher numbers are dropped
     * @param verifier checks claims against sources
     * @param strict   drop unverified citations instead of flagging them
     * @param listener receives deltas, citations and dropped markers
     */
    CitationStream(
            List<Source> sources,
            int citable,
            CitationVerifier.Session verifier,
            boolean strict,
            AnswerListener listener) {
        this.sources = sources;
        this.citable = citable;
        this.verifier = verifier;
        this.strict = strict;
        this.listener = listener;
    }

    /** Takes the next piece of model text; reports what is settled. */
    void accept(String piece) {
        for (int i = 0; i < piece.length(); i++) {
            process(piece.charAt(i));
        }
        flushDelta();
    }

    /** The model is done: whatever was held back is text. */
    void finish() {
        if (!pending.isEmpty()) {
            String held = pending.toString();
            pending.setLength(0);
            emitSpace();
            text.append(held);
        }
        emitSpace();
        flushDelta();
    }

    String text() {
        return text.toString();
    }

    List<Citation> citations() {
        return List.copyOf(citations);
    }

    private void process(char c) {
        if (!pending.isEmpty()) {
            pending.append(c);
            Matcher complete = COMPLETE.matcher(pending);
            if (complete.matches()) {
                String group = complete.group(1);
                pending.setLength(0);
                marker(group);
                return;
            }
            if (pending.length() <= MAX_PENDING && PREFIX.matcher(pending).matches()) {
                return;
            }
            // Not a marker after all: the held characters are text; the last one is looked at again.
            String held = pending.substring(0, pending.length() - 1);
            pending.setLength(0);
            emitSpace();
            text.append(held);
            process(c);
            return;
        }
        if (c == '[') {
            pending.append(c);
        } else if (Character.isWhitespace(c)) {
            space.append(c);
        } else {
            emitSpace();
            text.append(c);
        }
    }

    private void marker(String group) {
        String claim = Claims.claimBefore(text);
        List<String> emitted = new ArrayList<>();
        for (String part : group.split(",")) {
            int n = Integer.parseInt(part.strip());
            if (n < 1 || n > citable) {
                listener.onDroppedCitation(n, "out_of_range");
                continue;
            }
            int sourceIndex = n - 1;
            CitationVerifier.Verification v = verifier.verify(claim, sourceIndex);
            if (!v.verified() && strict) {
                listener.onDroppedCitation(n, "unverified");
                continue;
            }
            String key = sourceIndex + ":" + v.quoteStart() + ":" + v.quoteEnd() + ":" + claim;
            Integer number = numbers.get(key);
            if (number == null) {
                number = citations.size() + 1;
                numbers.put(key, number);
                Citation citation = Citation.of(
                        number,
                        sourceIndex,
                        sources.get(sourceIndex),
                        v.quoteStart(),
                        v.quoteEnd(),
                        claim,
                        v.verified(),
                        v.support());
                citations.add(citation);
                listener.onCitation(citation);
            }
            String mark = "[" + number + "]";
            if (!emitted.contains(mark) && !endsWith(text, mark)) {
                emitted.add(mark);
            }
        }
        if (emitted.isEmpty()) {
            // The whole marker is gone, and the space before it with it ("programs [7]." reads "programs.").
            space.setLength(0);
            return;
        }
        emitSpace();
        emitted.forEach(text::append);
    }

    private void emitSpace() {
        text.append(space);
        space.setLength(0);
    }

    private void flushDelta() {
        if (text.length() > deltaStart) {
            String delta = text.substring(deltaStart);
            deltaStart = text.length();
            listener.onDelta(delta);
        }
    }

    private static boolean endsWith(StringBuilder sb, String suffix) {
        int from = sb.length() - suffix.length();
        return from >= 0 && sb.indexOf(suffix, from) == from;
    }
}
