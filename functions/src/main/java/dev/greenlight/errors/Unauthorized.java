package dev.greenlight.errors;

/** The caller could not prove who it is (a missing, wrong or stale signature). */
public final class Unauthorized extends GreenlightException {
    public Unauthorized(String code, String detail) {
        super(code, detail, null);
    }

    @Override
    public Kind kind() {
        return Kind.UNAUTHORIZED;
    }
}
