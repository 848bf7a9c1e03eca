package dev.greenlight.errors;

/** A dependency or the model is not ready; retrying later may succeed. */
public final class Unavailable extends GreenlightException {
    public Unavailable(String code, String detail) {
        super(code, detail, null);
    }

    public Unavailable(String code, String detail, Throwable cause) {
        super(code, detail, cause);
    }

    @Override
    public Kind kind() {
        return Kind.UNAVAILABLE;
    }
}
