package dev.omnirag.index.bench;

import java.util.Random;

/**
 * Random unit vectors that clump like real embeddings: each is a random cluster centre plus gaussian noise,
 * L2-normalised. Uniformly random vectors in hundreds of dimensions are nearly equidistant, which makes
 * nearest-neighbour search unrealistically hard and its results meaningless; clusters give it structure.
 */
public final class ClusteredVectors {

    /** Per-dimension noise for {@link #of}: noise and centre have similar norms at a few hundred dimensions. */
    public static final double DEFAULT_NOISE = 0.05;

    private final float[][] centres;
    private final double noise;
    private final Random random;

    private ClusteredVectors(float[][] centres, double noise, Random random) {
        this.centres = centres;
        this.noise = noise;
        this.random = random;
    }

    /**
     * A generator of {@code dims}-dimensional vectors around {@code clusters} random unit centres.
     *
     * @param noise standard deviation of the per-dimension gaussian noise added to a centre
     * @param random source of randomness; the generator draws all of its numbers from it, so a seeded
     *     {@link Random} reproduces the same centres and vectors
     */
    public static ClusteredVectors of(int dims, int clusters, double noise, Random random) {
        if (dims < 1 || clusters < 1 || !(noise >= 0)) {
            throw new IllegalArgumentException("need dims >= 1, clusters >= 1, noise >= 0; dims=" + dims + ", clusters="
                    + clusters + ", noise=" + noise);
        }
        float[][] centres = new float[clusters][];
        for (int c = 0; c < clusters; c++) {
            float[] centre = new float[dims];
            for (int d = 0; d < dims; d++) {
                centre[d] = (float) random.nextGaussian();
            }
            centres[c] = normalise(centre);
        }
        return new ClusteredVectors(centres, noise, random);
    }

    /** The next unit vector: a uniformly chosen centre plus noise. */
    public float[] next() {
        float[] centre = centres[random.nextInt(centres.length)];
        float[] v = new float[centre.length];
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (centre[d] + noise * random.nextGaussian());
        }
        return normalise(v);
    }

    /** {@code n} vectors from {@link #next()}. */
    public float[][] next(int n) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = next();
        }
        return out;
    }

    /**
     * A copy of {@code seed} plus gaussian noise of {@code noise} per dimension, unit length: a vector around a real
     * embedding, so that neighbourhoods keep the shape real ones have (noise 0.02 is as hard as bge-small's own
     * vectors at 100,000, docs/benchmarks.md).
     */
    public static float[] jitter(float[] seed, double noise, Random random) {
        float[] v = new float[seed.length];
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (seed[d] + noise * random.nextGaussian());
        }
        return normalise(v);
    }

    /** Scales {@code v} in place to unit length and returns it. */
    public static float[] normalise(float[] v) {
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        float inv = (float) (1 / Math.sqrt(sq));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
