package dev.omnirag.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/**
 * Second-stage reranking of search and ask results: none, local (no model server), mllm, cross-encoder (an ONNX
 * export you provide) or remote (a rerank server).
 */
@ConfigMapping(prefix = "omnirag.reranker")
public interface RerankerConfig {

    /**
     * The reranker used when a request gives no {@code rerank}: {@code none}, {@code local}, {@code mllm},
     * {@code cross-encoder} or {@code remote}.
     */
    @WithName("default")
    @WithDefault("none")
    String defaultReranker();

    /** First-stage hits fetched and reranked when reranking (at least the request's k). */
    @WithDefault("30")
    int candidates();

    /**
     * Model names of {@code /v1/rerank} and {@code /v2/rerank} that stand for one of this server's rerankers, as
     * {@code name=reranker} ({@code rerank-english-v3.0=local,jina-reranker-v2-base-multilingual=cross-encoder}), so
     * clients with a vendor's model name built in work unchanged. Unset: none.
     */
    java.util.Optional<java.util.List<String>> modelAliases();

    /** The local reranker (sentence-level late interaction with the text embedder). */
    Local local();

    /** The multimodal LLM reranker. */
    Mllm mllm();

    /** A cross-encoder exported to ONNX, run in process. */
    CrossEncoder crossEncoder();

    /** A reranking server (Infinity, TEI, vLLM, Jina or Cohere). */
    Remote remote();

    /** {@code omnirag.reranker.cross-encoder.*}: off unless {@code model-path} is set. */
    interface CrossEncoder {
        /** The ONNX export of the cross-encoder (e.g. bge-reranker-base, ms-marco-MiniLM-L-6-v2); off when unset. */
        Optional<java.nio.file.Path> modelPath();

        /** Its Hugging Face {@code tokenizer.json}; default {@code tokenizer.json} beside the model. */
        Optional<java.nio.file.Path> tokenizerPath();

        /** Tokens of one (query, passage) pair at most; the longer side is cut first. */
        @WithDefault("512")
        int maxLength();

        /** Pairs per ONNX call. */
        @WithDefault("16")
        int batchSize();
    }

    /** {@code omnirag.reranker.remote.*}: off unless {@code url} is set. */
    interface Remote {
        /** The rerank endpoint, e.g. {@code http://tei:8080/rerank} or {@code http://infinity:7997/rerank}; off when unset. */
        Optional<String> url();

        /** Its wire format: {@code COHERE} (Cohere, Jina, Infinity, vLLM) or {@code TEI}. */
        @WithDefault("COHERE")
        dev.omnirag.reranker.RemoteReranker.Format format();

        /** The model to ask for (Cohere format); none sent when unset. */
        Optional<String> model();

        /** Sent as a bearer token; none when unset. */
        Optional<String> apiKey();

        /** Hits sent to be judged per query (the first ones). */
        @WithDefault("50")
        int candidates();

        /** Longest wait for the server's answer; past it the first-stage order stands. */
        @WithDefault("10s")
        Duration deadline();
    }

    /** {@code omnirag.reranker.local.*}. */
    interface Local {
        /** Weight of the normalised first-stage score; the rest is the sentence-level score. */
        @WithDefault("0.5")
        double firstStageWeight();

        /** Best sentence cosines averaged into a hit's score (1: the best sentence). */
        @WithDefault("2")
        int topSentences();

        /** First-stage top hits whose mean vector moves the query (pseudo-relevance feedback); 0 turns it off. */
        @WithDefault("3")
        int feedbackHits();

        /** How far feedback moves the query: q + weight * mean of those hits, normalised. */
        @WithDefault("0.5")
        double feedbackWeight();

        /** Sentences of a hit looked at. */
        @WithDefault("32")
        int maxSentences();

        /** MMR trade-off: 1.0 ranks by relevance only; lower values push near-duplicates down. */
        @WithDefault("1.0")
        double mmrLambda();

        /** Sentence vectors kept in memory (about 1.5 KB each). */
        @WithDefault("10000")
        int cacheSize();
    }

    /** {@code omnirag.reranker.mllm.*}. */
    interface Mllm {
        /** The judge server's OpenAI base URL, e.g. {@code http://localhost:8001/v1}; mllm is off when unset. */
        Optional<String> baseUrl();

        /** The judge model, e.g. {@code Qwen/Qwen2.5-VL-7B-Instruct}. */
        Optional<String> model();

        /** Sent as a bearer token; none when unset. */
        Optional<String> apiKey();

        /** Hits judged per query (the first ones). */
        @WithDefault("20")
        int candidates();

        /** Judgements in flight at once. */
        @WithDefault("8")
        int concurrency();

        /** Time for all judgements of one query; past it the first-stage order stands. */
        @WithDefault("15s")
        Duration deadline();

        /** Longest wait to connect to the server. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Alternatives asked for the yes/no token. */
        @WithDefault("5")
        int topLogprobs();

        /** Passage characters sent per judgement. */
        @WithDefault("4000")
        int maxPassageChars();

        /** Send image hits as pictures (the model must accept images). */
        @WithDefault("true")
        boolean images();

        /** A JSON object merged into every judge request. */
        Optional<String> extraBody();
    }
}
