package dev.greenlight.errors;

/** The named model or version does not exist. */
public final class NotFound extends GreenlightException {
    public NotFound(String code, String detail) {
        super(code, detail, null);
    }

    public NotFound(String code, String detail, Throwable cause) {
        super(code, detail, cause);
    }

    @Override
    public Kind kind() {
        return Kind.NOT_FOUND;
    }
}
