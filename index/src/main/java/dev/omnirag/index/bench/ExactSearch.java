package dev.omnirag.index.bench;

import java.util.Arrays;

/**
 * Exact nearest neighbours by brute force: the dot product of the query with every vector, single thread,
 * plain Java loops. It is the ground truth for recall and the baseline HNSW search is compared against.
 */
public final class ExactSearch {

    private ExactSearch() {}

    /**
     * Indexes of the {@code k} vectors with the largest dot product with {@code query}, best first (ties by
     * lower index).
     */
    public static int[] topK(float[][] vectors, float[] query, int k) {
        int size = Math.min(k, vectors.length);
        int[] best = new int[size];
        float[] bestScore = new float[size];
        Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
        int filled = 0;
        for (int i = 0; i < vectors.length; i++) {
            float score = dot(vectors[i], query);
            if (filled < size || score > bestScore[size - 1]) {
                // Insertion into a short sorted array beats a heap for k around 10.
                int pos = Math.min(filled, size - 1);
                while (pos > 0 && bestScore[pos - 1] < score) {
                    bestScore[pos] = bestScore[pos - 1];
                    best[pos] = best[pos - 1];
                    pos--;
                }
                bestScore[pos] = score;
                best[pos] = i;
                filled = Math.min(filled + 1, size);
            }
        }
        return best;
    }

    /** The dot product of two vectors of the same length. */
    public static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Fraction of {@code expected} found in {@code actual} (both sets of ids, recall@|expected|). */
    public static double recall(int[] expected, int[] actual) {
        int found = 0;
        for (int e : expected) {
            for (int a : actual) {
                if (a == e) {
                    found++;
                    break;
                }
            }
        }
        return expected.length == 0 ? 1.0 : (double) found / expected.length;
    }
}
