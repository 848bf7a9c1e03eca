package dev.greenlight.errors;

/** The caller sent something Greenlight cannot use. */
public final class BadRequest extends GreenlightException {
    public BadRequest(String code, String detail) {
        super(code, detail, null);
    }

    public BadRequest(String code, String detail, Throwable cause) {
        super(code, detail, cause);
    }

    @Override
    public Kind kind() {
        return Kind.BAD_REQUEST;
    }
}
