package dev.omnirag.index;

/** How pgvector stores vectors: {@code vector} (float32) or {@code halfvec} (float16, half the size). */
public enum VectorStorage {
    VECTOR("vector"),
    HALFVEC("halfvec");

    private final String sqlType;

    VectorStorage(String sqlType) {
        this.sqlType = sqlType;
    }

    /** The PostgreSQL type name. */
    public String sqlType() {
        return sqlType;
    }
}
