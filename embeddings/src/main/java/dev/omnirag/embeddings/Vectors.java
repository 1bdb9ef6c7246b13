package dev.omnirag.embeddings;

/**
 * Small vector arithmetic on embeddings, shared by the embedders and the libraries that compare their outputs
 * (generator, reranker). Stateless and thread safe.
 */
public final class Vectors {

    private Vectors() {}

    /** Dot product of two vectors of the same length (the cosine when both are unit length). */
    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "vectors must have the same length; a.length=" + a.length + ", b.length=" + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Scales {@code v} in place to unit length and returns it; a zero vector is returned unchanged. */
    public static float[] normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            return v;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / norm);
        }
        return v;
    }
}
