package dev.omnirag.server.api;

/** A failure with an HTTP status and a detail a user can act on; rendered as problem+json. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String param;

    public ApiException(int status, String detail) {
        this(status, detail, null, null);
    }

    /**
     * @param code  OpenAI's error code for clients that branch on it ({@code model_not_found},
     *              {@code context_length_exceeded}, {@code unsupported_parameter}); null for the status' default
     * @param param the request field at fault, or null
     */
    public ApiException(int status, String detail, String code, String param) {
        super(detail);
        this.status = status;
        this.code = code;
        this.param = param;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    /** 404 for a model name or id no model answers to, with OpenAI's code. */
    public static ApiException modelNotFound(String detail) {
        return new ApiException(404, detail, "model_not_found", "model");
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(404, "no " + what + " with id " + id);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, detail);
    }
}
