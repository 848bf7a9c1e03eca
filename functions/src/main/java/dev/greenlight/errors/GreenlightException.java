package dev.greenlight.errors;

/**
 * The one exception family of Greenlight. Each subtype says what kind of failure it is; only
 * {@link ErrorMapper} turns a kind into an HTTP status, so domain code never picks one.
 *
 * <p>The kinds are closed here. Adapters name their own failures by extending one of the open
 * kinds ({@link Conflict}, {@link Unavailable}, {@link Misconfigured}): the store's
 * {@code StoreConflict} and {@code StoreUnavailable}, the registry's {@code ArmException}, the
 * settings' {@code SettingsException}. Each keeps its cause, so the log shows the SDK's own error.
 */
public abstract sealed class GreenlightException extends RuntimeException
        permits BadRequest, NotFound, Conflict, Unavailable, PayloadTooLarge, Unauthorized, Misconfigured {

    /** What went wrong, from the caller's point of view. */
    public enum Kind {
        /** The caller sent something unusable (400). */
        BAD_REQUEST,
        /** The caller did not prove who it is (401). */
        UNAUTHORIZED,
        /** The named model or version does not exist (404). */
        NOT_FOUND,
        /** The request conflicts with the current state (409). */
        CONFLICT,
        /** A dependency (store, registry) or the model is not ready; retrying later may succeed (503). */
        UNAVAILABLE,
        /** The body is over the limit (413). */
        PAYLOAD_TOO_LARGE,
        /** A setting is missing or wrong: no request can succeed until an operator fixes it (500). */
        MISCONFIGURED
    }

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
