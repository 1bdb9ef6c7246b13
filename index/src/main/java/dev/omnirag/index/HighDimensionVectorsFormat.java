package dev.omnirag.index;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's HNSW formats cap vectors at 1024 dimensions when indexing, but the on-disk formats have no such
 * limit. This wrapper raises the cap. It reports the delegate's SPI name, so segments are written and read
 * back by the stock Lucene format: the index stays a plain Lucene index that needs no custom SPI entry.
 */
final class HighDimensionVectorsFormat extends KnnVectorsFormat {

    private final KnnVectorsFormat delegate;
    private final int maxDimensions;

    HighDimensionVectorsFormat(KnnVectorsFormat delegate, int maxDimensions) {
        super(delegate.getName());
        this.delegate = delegate;
        this.maxDimensions = maxDimensions;
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
        return delegate.fieldsWriter(state);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
        return delegate.fieldsReader(state);
    }

    @Override
    public int getMaxDimensions(String fieldName) {
        return maxDimensions;
    }

    @Override
    public String toString() {
        return delegate + "(maxDimensions=" + maxDimensions + ")";
    }
}
