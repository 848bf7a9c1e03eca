package dev.greenlight.errors;

/**
 * A setting is missing or has a value Greenlight cannot use. No request can succeed until an
 * operator fixes it, so it is neither the caller's mistake (4xx) nor worth retrying (503).
 * The detail names the setting, the bad value and what is allowed.
 */
public non-sealed class Misconfigured extends GreenlightException {
    public static final String CODE = "misconfigured";

    public Misconfigured(String detail) {
        super(CODE, detail, null);
    }

    public Misconfigured(String detail, Throwable cause) {
        super(CODE, detail, cause);
    }

    @Override
    public final Kind kind() {
        return Kind.MISCONFIGURED;
    }
}
