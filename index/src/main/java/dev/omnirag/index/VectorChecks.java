package dev.omnirag.index;

/** Checks every backend applies to vectors before writing or searching, so all refuse the same inputs. */
final class VectorChecks {

    /** Unit length is checked with this slack: quantized or float16 round trips move norms a little. */
    static final double UNIT_NORM_TOLERANCE = 1e-2;

    private VectorChecks() {}

    /**
     * @param what names the vector in the message, e.g. "query vector"
     * @param where names the index in the message, e.g. "the index at /data/x" or "table t"
     */
    static void check(float[] vector, int dimensions, VectorSimilarity similarity, String what, String where) {
        if (vector.length != dimensions) {
            throw new IndexException.NonRetriable(
                    what + " has " + vector.length + " dimensions but " + where + " has " + dimensions);
        }
        double squared = 0;
        for (float x : vector) {
            if (!Float.isFinite(x)) {
                throw new IndexException.NonRetriable(what + " contains a non-finite value: " + x);
            }
            squared += (double) x * x;
        }
        if (similarity == VectorSimilarity.DOT_PRODUCT && Math.abs(Math.sqrt(squared) - 1) > UNIT_NORM_TOLERANCE) {
            throw new IndexException.NonRetriable(
                    what + " must have unit length for DOT_PRODUCT similarity; norm=" + Math.sqrt(squared));
        }
        if (similarity == VectorSimilarity.COSINE && squared == 0) {
            throw new IndexException.NonRetriable(what + " must not be the zero vector for COSINE similarity");
        }
    }
}
