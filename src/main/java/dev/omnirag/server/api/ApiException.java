package dev.omnirag.server.api;

/** A failure with an HTTP status and a detail a user can act on; rendered as problem+json. */
public class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(404, "no " + what + " with id " + id);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, detail);
    }
}
