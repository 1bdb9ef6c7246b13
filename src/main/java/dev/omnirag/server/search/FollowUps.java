package dev.omnirag.server.search;

import dev.omnirag.index.KeywordContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Retrieval for a question asked in a conversation: a follow-up such as "what else did he say in that speech?"
 * names neither the speaker nor the speech, the questions before it did. The previous question counts with weight
 * {@code decay}, the one before with {@code decay²}, and so on for the newest {@code turns}: on the keyword side its
 * words join the query ({@link KeywordContext}), on the vector side its embedding is added to the question's
 * ({@code normalise(q + Σ wᵢ·eᵢ)}). The question itself always weighs most, so a question that changes the subject
 * still finds its own subject first. Immutable and thread safe.
 *
 * @param turns  earlier questions used, newest first (0: none)
 * @param decay  weight of the previous question, in (0, 1]
 */
public record FollowUps(int turns, double decay) {

    /** No conversation context: each question is searched alone. */
    public static final FollowUps NONE = new FollowUps(0, 1);

    public FollowUps {
        if (turns < 0 || turns > 20) {
            throw new IllegalArgumentException(
                    "omnirag.search.follow-up-turns must be in 0..20; follow-up-turns=" + turns);
        }
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException(
                    "omnirag.search.follow-up-decay must be in (0, 1]; follow-up-decay=" + decay);
        }
    }

    /** An earlier question with the weight it gets in this retrieval. */
    public record Weighted(String text, double weight) {}

    /**
     * The earlier questions retrieval uses, newest first, each with its weight; blank ones skipped.
     *
     * @param earlier the conversation's earlier questions, oldest first
     */
    public List<Weighted> weighted(List<String> earlier) {
        List<Weighted> out = new ArrayList<>();
        double weight = decay;
        for (int i = earlier.size() - 1; i >= 0 && out.size() < turns; i--) {
            String q = earlier.get(i);
            if (q != null && !q.isBlank()) {
                out.add(new Weighted(q.strip(), weight));
                weight *= decay;
            }
        }
        return out;
    }

    /** The keyword context of these earlier questions. */
    public static List<KeywordContext> keywordContext(List<Weighted> weighted) {
        return weighted.stream()
                .map(w -> new KeywordContext(w.text(), w.weight()))
                .toList();
    }

    /** {@code normalise(question + Σ wᵢ·earlierᵢ)}; the question's vector alone when there is nothing earlier. */
    public static float[] blend(float[] question, List<Weighted> weighted, List<float[]> earlierVectors) {
        if (weighted.isEmpty()) {
            return question;
        }
        double[] sum = new double[question.length];
        for (int d = 0; d < sum.length; d++) {
            sum[d] = question[d];
        }
        for (int i = 0; i < weighted.size(); i++) {
            float[] v = earlierVectors.get(i);
            for (int d = 0; d < sum.length; d++) {
                sum[d] += weighted.get(i).weight() * v[d];
            }
        }
        double norm = 0;
        for (double x : sum) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[sum.length];
        for (int d = 0; d < sum.length; d++) {
            out[d] = (float) (norm == 0 ? sum[d] : sum[d] / norm);
        }
        return out;
    }
}
