package dev.omnirag.embeddings;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads Hugging Face tokenizers (DJL's binding of the Rust library) without DJL's usage report: each
 * {@code HuggingFaceTokenizer.newInstance} asks the cloud instance metadata address (169.254.169.254) for the machine's
 * instance id and region and, on AWS, reports them with DJL's version to an S3 address, unless {@code OPT_OUT_TRACKING}
 * is true (environment variable or system property) — a request out of a server over private documents that nobody
 * asked for, and on other hosts a connection attempt to an address that may not answer. Unless the operator set
 * {@code OPT_OUT_TRACKING} (either way), the first load sets the system property to {@code true}. Every tokenizer in
 * Omnirag (embedders, rerankers, tests) is loaded here. Thread safe.
 */
public final class HuggingFaceTokenizers {

    /** DJL's switch: {@code true} turns its report off. */
    public static final String OPT_OUT = "OPT_OUT_TRACKING";

    private HuggingFaceTokenizers() {}

    /** A tokenizer from a {@code tokenizer.json} file, with DJL's options ({@code truncation}, {@code maxLength}...). */
    public static HuggingFaceTokenizer load(Path tokenizerJson, Map<String, String> options) throws IOException {
        optOut();
        return HuggingFaceTokenizer.newInstance(tokenizerJson, options);
    }

    /** A tokenizer from the bytes of a {@code tokenizer.json} (a class path resource); the caller closes the stream. */
    public static HuggingFaceTokenizer load(InputStream tokenizerJson, Map<String, String> options) throws IOException {
        optOut();
        return HuggingFaceTokenizer.newInstance(tokenizerJson, options);
    }

    private static synchronized void optOut() {
        if (System.getenv(OPT_OUT) == null && System.getProperty(OPT_OUT) == null) {
            System.setProperty(OPT_OUT, "true");
        }
    }
}
