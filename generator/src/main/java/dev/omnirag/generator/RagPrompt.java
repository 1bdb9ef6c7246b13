package dev.omnirag.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The chat messages that ask a model to answer from numbered sources.
 *
 * <p>Layout (stable parts first, so a server's prefix cache reuses them across questions and turns):
 * <ol>
 *   <li>a system message with the instructions ({@link #DEFAULT_SYSTEM_PROMPT} unless configured);</li>
 *   <li>the earlier turns of the conversation, oldest first;</li>
 *   <li>a user message with the sources, numbered from 1 in retrieval order with their labels
 *       ({@code [2] tracemonkey.pdf, page 2}), then the question. When the model is vision capable, an image
 *       source adds an {@code image_url} part right after its number, and the message becomes a list of
 *       parts.</li>
 * </ol>
 *
 * <p>Token budget: system, history, question and sources together must leave {@code maxTokens} of the model's
 * {@code contextTokens} for the answer. Sources are dropped from the lowest-ranked up until they fit; if no
 * source fits, the oldest turns of the history go too; a question that still does not fit is refused.
 * Dropped sources keep their numbers out of the prompt, so citing them is out of range.
 */
final class RagPrompt {

    static final String DEFAULT_SYSTEM_PROMPT = """
            You are Omnirag, an assistant that answers questions from the user's documents. Answer using only the \
            numbered sources in the user's last message. After each sentence that uses a source, cite it with its \
            number in square brackets, like [1] or [1][3]. Cite a source only where it states what the sentence \
            says, and never invent a source number. If the sources do not answer the question, say that the \
            documents do not contain the answer. Be concise, and answer in the language of the question.""";

    /** Tokens a chat template adds around each message (role markers), on the safe side. */
    static final int MESSAGE_OVERHEAD = 8;

    /** What the prompt is built with. */
    record Options(
            String systemPrompt,
            boolean vision,
            int contextTokens,
            int maxTokens,
            int imageTokens,
            TokenCounter counter) {}

    /**
     * The built prompt.
     *
     * @param messages     the {@code messages} array of the chat request
     * @param sourcesUsed  how many of the request's sources (the first ones) it shows
     * @param historyUsed  how many of the latest history turns it keeps
     * @param tokens       its estimated size in tokens
     */
    record Built(ArrayNode messages, int sourcesUsed, int historyUsed, int tokens) {}

    private RagPrompt() {}

    static Built build(ObjectMapper json, GenerationRequest request, Options o) {
        int budget = o.contextTokens() - o.maxTokens();
        int system = o.counter().count(o.systemPrompt()) + MESSAGE_OVERHEAD;
        String questionPart = "\nQuestion: " + request.question();
        int question = o.counter().count(questionPart) + o.counter().count("Sources:\n\n") + MESSAGE_OVERHEAD;

        List<ChatTurn> history = request.history();
        int[] turnTokens = new int[history.size()];
        int historyTokens = 0;
        for (int i = 0; i < history.size(); i++) {
            turnTokens[i] = o.counter().count(history.get(i).content()) + MESSAGE_OVERHEAD;
            historyTokens += turnTokens[i];
        }
        List<Source> sources = request.sources();
        int[] sourceTokens = new int[sources.size()];
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            sourceTokens[i] = o.counter().count(header(i, s, o.vision()) + s.text() + "\n\n")
                    + (o.vision() && s.hasImage() ? o.imageTokens() : 0);
        }

        int firstTurn = 0;
        int fixed = system + question + historyTokens;
        int used = 0;
        int total = fixed;
        while (used < sources.size() && total + sourceTokens[used] <= budget) {
            total += sourceTokens[used];
            used++;
        }
        if (used == 0) {
            while (total > budget && firstTurn < history.size()) {
                total -= turnTokens[firstTurn];
                firstTurn++;
            }
        }
        if (total > budget) {
            throw new GenerationException.NonRetriable("the question needs about " + total
                    + " tokens of prompt, but the "
                    + "model's context of " + o.contextTokens() + " tokens keeps " + o.maxTokens() + " for the answer; "
                    + "shorten the question or raise context-tokens");
        }

        ArrayNode messages = json.createArrayNode();
        messages.addObject().put("role", "system").put("content", o.systemPrompt());
        for (int i = firstTurn; i < history.size(); i++) {
            messages.addObject()
                    .put("role", history.get(i).role())
                    .put("content", history.get(i).content());
        }
        ObjectNode user = messages.addObject().put("role", "user");
        boolean images = false;
        for (int i = 0; i < used; i++) {
            images |= o.vision() && sources.get(i).hasImage();
        }
        if (!images) {
            StringBuilder text = new StringBuilder(used == 0 ? "Sources: none were found.\n" : "Sources:\n\n");
            for (int i = 0; i < used; i++) {
                Source s = sources.get(i);
                text.append(header(i, s, o.vision())).append(s.text().strip()).append("\n\n");
            }
            user.put("content", text.append(questionPart).toString());
        } else {
            ArrayNode parts = user.putArray("content");
            StringBuilder text = new StringBuilder("Sources:\n\n");
            for (int i = 0; i < used; i++) {
                Source s = sources.get(i);
                text.append(header(i, s, true));
                if (s.hasImage()) {
                    parts.addObject().put("type", "text").put("text", text.toString());
                    text.setLength(0);
                    parts.addObject()
                            .put("type", "image_url")
                            .putObject("image_url")
                            .put("url", s.imageUrl());
                    text.append('\n');
                }
                text.append(s.text().strip()).append("\n\n");
            }
            parts.addObject()
                    .put("type", "text")
                    .put("text", text.append(questionPart).toString());
        }
        return new Built(messages, used, history.size() - firstTurn, total);
    }

    private static String header(int index, Source s, boolean vision) {
        String label = s.label().isBlank() ? s.id() : s.label();
        String kind = !s.hasImage() ? "" : vision ? " (image)" : " (an image this model cannot see)";
        return "[" + (index + 1) + "] " + label + kind + "\n";
    }
}
