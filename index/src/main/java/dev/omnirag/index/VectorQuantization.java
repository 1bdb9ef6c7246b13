package dev.omnirag.index;

/** How {@link LuceneHybridIndex} stores the vectors its HNSW graph searches. */
public enum VectorQuantization {
    /** 32-bit floats: exact distances, 4 bytes per dimension. */
    NONE,
    /**
     * Lucene's 8-bit scalar quantization ({@code Lucene104HnswScalarQuantizedVectorsFormat}, unsigned byte
     * encoding): the graph is built and searched over 1 byte per dimension, about 4x less memory to keep
     * hot, at a small cost in recall. The float vectors are kept on disk too so segments can be
     * re-quantized on merge.
     */
    INT8
}
