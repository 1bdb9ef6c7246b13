package dev.omnirag.server.search;

import dev.omnirag.reranker.Reranker;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The configured rerankers by name: {@code local} always, {@code mllm} when {@code omnirag.reranker.mllm.base-url}
 * and {@code model} are set, {@code cross-encoder} when {@code omnirag.reranker.cross-encoder.model-path} is set,
 * {@code remote} when {@code omnirag.reranker.remote.url} is set. {@code none} means no reranking. Built by
 * {@code RerankerProducers}.
 *
 * @param local         the local reranker
 * @param mllm          the MLLM reranker, if configured
 * @param mllmModel     its model name, if configured
 * @param crossEncoder  the ONNX cross-encoder, if configured
 * @param remote        the remote reranker, if configured
 * @param defaultName   what requests without {@code rerank} get
 * @param candidates    first-stage hits fetched and reranked
 */
public record Rerankers(
        Reranker local,
        Optional<Reranker> mllm,
        Optional<String> mllmModel,
        Optional<Reranker> crossEncoder,
        Optional<Reranker> remote,
        String defaultName,
        int candidates) {

    /** Accepted values of a request's {@code rerank}. */
    public static final List<String> NAMES = List.of("none", "local", "mllm", "cross-encoder", "remote");

    public Rerankers {
        if (!NAMES.contains(defaultName)) {
            throw new IllegalArgumentException(
                    "omnirag.reranker.default must be one of " + NAMES + "; default=" + defaultName);
        }
        if (defaultName.equals("mllm") && mllm.isEmpty()) {
            throw new IllegalArgumentException("omnirag.reranker.default=mllm needs omnirag.reranker.mllm.base-url and "
                    + "omnirag.reranker.mllm.model");
        }
        if (defaultName.equals("cross-encoder") && crossEncoder.isEmpty()) {
            throw new IllegalArgumentException(
                    "omnirag.reranker.default=cross-encoder needs " + "omnirag.reranker.cross-encoder.model-path");
        }
        if (defaultName.equals("remote") && remote.isEmpty()) {
            throw new IllegalArgumentException("omnirag.reranker.default=remote needs omnirag.reranker.remote.url");
        }
        if (candidates < 1 || candidates > 1000) {
            throw new IllegalArgumentException(
                    "omnirag.reranker.candidates must be in 1..1000; candidates=" + candidates);
        }
    }

    /** The names a request may ask for on this server (those configured), in the order of {@link #NAMES}. */
    public List<String> available() {
        return NAMES.stream()
                .filter(name -> switch (name) {
                    case "mllm" -> mllm.isPresent();
                    case "cross-encoder" -> crossEncoder.isPresent();
                    case "remote" -> remote.isPresent();
                    default -> true;
                })
                .toList();
    }

    /**
     * The reranker a request asks for (null or blank: the default); empty for {@code none}. Throws
     * 400 ({@code ApiException}) with a message naming the field for unknown or unconfigured names.
     */
    public Optional<Reranker> select(String requested) {
        String name = requested == null || requested.isBlank()
                ? defaultName
                : requested.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "none" -> Optional.empty();
            case "local" -> Optional.of(local);
            case "mllm" -> {
                if (mllm.isEmpty()) {
                    throw dev.omnirag.server.api.ApiException.badRequest(
                            "rerank=mllm is not available: set omnirag.reranker.mllm.base-url "
                                    + "and omnirag.reranker.mllm.model");
                }
                yield mllm;
            }
            case "cross-encoder" -> {
                if (crossEncoder.isEmpty()) {
                    throw dev.omnirag.server.api.ApiException.badRequest("rerank=cross-encoder is not available: set "
                            + "omnirag.reranker.cross-encoder.model-path to an ONNX export of a cross-encoder");
                }
                yield crossEncoder;
            }
            case "remote" -> {
                if (remote.isEmpty()) {
                    throw dev.omnirag.server.api.ApiException.badRequest(
                            "rerank=remote is not available: set omnirag.reranker.remote.url "
                                    + "to a rerank server's endpoint");
                }
                yield remote;
            }
            default ->
                throw dev.omnirag.server.api.ApiException.badRequest(
                        "rerank must be one of " + NAMES + "; rerank=" + requested);
        };
    }
}
