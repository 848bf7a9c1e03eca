package dev.greenlight.errors;

/**
 * The one exception family of Greenlight. Each subtype says what kind of failure it is; only
 * {@link ErrorMapper} turns a kind into an HTTP status, so domain code never picks one.
 */
public abstract sealed class GreenlightException extends RuntimeException
        permits BadRequest, NotFound, Conflict, Unavailable, PayloadTooLarge, Unauthorized {

    /** What went wrong, from the caller's point of view. */
    public enum Kind { BAD_REQUEST, UNAUTHORIZED, NOT_FOUND, CONFLICT, UNAVAILABLE, PAYLOAD_TOO_LARGE }

    private final String code;

    protected GreenlightException(String code, String detail, Throwable cause) {
        super(detail, cause);
        this.code = code;
    }

    /** A short, stable, machine-readable error code such as {@code invalid_input}. */
    public String code() {
        return code;
    }

    /** The human-readable detail: names the thing and the bad value. */
    public String detail() {
        return getMessage();
    }

    public abstract Kind kind();
}
