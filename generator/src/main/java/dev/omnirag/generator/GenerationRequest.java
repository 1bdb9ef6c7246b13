package dev.omnirag.generator;

import java.util.List;

/**
 * A question to answer from sources.
 *
 * @param question what the user asked; not blank
 * @param sources  the passages to answer from, best first (retrieval rank); may be empty, not null, no null
 *                 elements. Citations refer to them by 0-based index and are numbered from 1.
 * @param history  earlier turns of the conversation, oldest first; null becomes empty
 * @param options  the asker's sampling fields for a model ({@code seed}, {@code temperature}, {@code top_p},
 *                 {@code presence_penalty}, {@code frequency_penalty}, {@code stop}, {@code max_tokens}), applied by
 *                 generators that call one; null becomes empty.
 */
public record GenerationRequest(
        String question, List<Source> sources, List<ChatTurn> history, java.util.Map<String, Object> options) {

    public GenerationRequest {
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("question must not be blank; question=" + Source.quoted(question));
        }
        if (sources == null) {
            throw new IllegalArgumentException(
                    "sources must not be null; pass an empty list when nothing was retrieved");
        }
        for (int i = 0; i < sources.size(); i++) {
            // Checked by hand: immutable lists throw on contains(null).
            if (sources.get(i) == null) {
                throw new IllegalArgumentException("sources must not contain null; sources[" + i + "]=null");
            }
        }
        sources = List.copyOf(sources);
        history = history == null ? List.of() : history;
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i) == null) {
                throw new IllegalArgumentException("history must not contain null; history[" + i + "]=null");
            }
        }
        history = List.copyOf(history);
        options = options == null ? java.util.Map.of() : java.util.Map.copyOf(options);
    }

    /** A request without the asker's sampling fields. */
    public GenerationRequest(String question, List<Source> sources, List<ChatTurn> history) {
        this(question, sources, history, null);
    }

    /** A request without conversation history. */
    public GenerationRequest(String question, List<Source> sources) {
        this(question, sources, List.of());
    }
}
